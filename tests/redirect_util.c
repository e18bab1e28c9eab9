/* Helpers of the redirect's tests: see redirect_util.h. */
#include "redirect_util.h"
#include "media.h"
#include <stdio.h>

BOOL env_path(const WCHAR *variable, WCHAR *path, DWORD size)
{
    WCHAR value[MAX_PATH];
    DWORD len = GetEnvironmentVariableW(variable, value, ARRAYSIZE(value)), i;

    if (!len || len >= ARRAYSIZE(value) || len + 3 > size)
        return FALSE;
    if (value[0] != '/')
    {
        wcscpy(path, value);
        return TRUE;
    }
    path[0] = 'Z';
    path[1] = ':';
    for (i = 0; i <= len; ++i)
        path[i + 2] = value[i] == '/' ? '\\' : value[i];
    return TRUE;
}

BOOL file_exists(const WCHAR *path)
{
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

static BOOL copy_into(const WCHAR *variable, const WCHAR *dir, const WCHAR *name, WCHAR *copied)
{
    WCHAR source[MAX_PATH];

    if (!env_path(variable, source, ARRAYSIZE(source)))
    {
        ok(0, "%ls is not set", variable);
        return FALSE;
    }
    swprintf(copied, MAX_PATH, L"%ls\\%ls", dir, name);
    if (!CopyFileW(source, copied, FALSE))
    {
        ok(0, "copy %ls to %ls: error %lu", source, copied, GetLastError());
        return FALSE;
    }
    return TRUE;
}

BOOL app_create(struct app *app, const WCHAR *client_variable, unsigned int files)
{
    static LONG serial;
    WCHAR temp[MAX_PATH], client[MAX_PATH], name[MAX_PATH], copied[MAX_PATH], *base;

    GetTempPathW(ARRAYSIZE(temp), temp);
    swprintf(app->dir, ARRAYSIZE(app->dir), L"%lsmfsession-redirect-%lu-%ld", temp,
            GetCurrentProcessId(), InterlockedIncrement(&serial));
    if (!CreateDirectoryW(app->dir, NULL))
    {
        ok(0, "CreateDirectory %ls: error %lu", app->dir, GetLastError());
        return FALSE;
    }
    swprintf(app->trace, ARRAYSIZE(app->trace), L"%ls\\trace.json", app->dir);

    if (!env_path(client_variable, client, ARRAYSIZE(client)))
    {
        ok(0, "%ls is not set", client_variable);
        return FALSE;
    }
    for (base = client + wcslen(client); base > client && base[-1] != '\\'; --base);
    wcscpy(name, base);
    if (!copy_into(client_variable, app->dir, name, app->exe))
        return FALSE;
    if ((files & APP_REDIRECT) && !copy_into(L"MFSESSION_REDIRECT_DLL", app->dir, L"mf.dll", copied))
        return FALSE;
    if ((files & APP_MFSESSION) && !copy_into(L"MFSESSION_DLL", app->dir, L"mfsession.dll", copied))
        return FALSE;
    return TRUE;
}

void app_remove(struct app *app)
{
    WIN32_FIND_DATAW data;
    WCHAR pattern[MAX_PATH], path[MAX_PATH];
    HANDLE find;

    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", app->dir);
    if ((find = FindFirstFileW(pattern, &data)) != INVALID_HANDLE_VALUE)
    {
        do
        {
            if (data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                continue;
            swprintf(path, ARRAYSIZE(path), L"%ls\\%ls", app->dir, data.cFileName);
            DeleteFileW(path);
        } while (FindNextFileW(find, &data));
        FindClose(find);
    }
    RemoveDirectoryW(app->dir);
}

int app_run(struct app *app, const WCHAR *args, const WCHAR *redirect_value, DWORD timeout_ms,
        char *out, DWORD size)
{
    SECURITY_ATTRIBUTES inherit = {sizeof(inherit), NULL, TRUE};
    PROCESS_INFORMATION pi;
    STARTUPINFOW si = {sizeof(si)};
    WCHAR command[3 * MAX_PATH];
    HANDLE read_end, write_end;
    DWORD status = (DWORD)-1, got, total = 0;
    BOOL started;

    out[0] = 0;
    if (!CreatePipe(&read_end, &write_end, &inherit, 1 << 16))
        return -1;
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = si.hStdError = write_end;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    swprintf(command, ARRAYSIZE(command), L"\"%ls\" %ls", app->exe, args);

    /* The child inherits the environment: set for the one CreateProcess. */
    DeleteFileW(app->trace);
    SetEnvironmentVariableW(L"MFSESSION_TRACE", app->trace);
    SetEnvironmentVariableW(L"MFSESSION_REDIRECT", redirect_value);
    started = CreateProcessW(NULL, command, NULL, NULL, TRUE, 0, NULL, app->dir, &si, &pi);
    SetEnvironmentVariableW(L"MFSESSION_TRACE", NULL);
    SetEnvironmentVariableW(L"MFSESSION_REDIRECT", NULL);
    CloseHandle(write_end);
    if (!started)
    {
        ok(0, "CreateProcess %ls: error %lu", command, GetLastError());
        CloseHandle(read_end);
        return -1;
    }

    if (WaitForSingleObject(pi.hProcess, timeout_ms) != WAIT_OBJECT_0)
    {
        ok(0, "%ls did not end within %lu ms: killed", command, timeout_ms);
        TerminateProcess(pi.hProcess, 1);
        WaitForSingleObject(pi.hProcess, 5000);
    }
    else
        GetExitCodeProcess(pi.hProcess, &status);
    while (total + 1 < size && PeekNamedPipe(read_end, NULL, 0, NULL, &got, NULL) && got
            && ReadFile(read_end, out + total, min(got, size - 1 - total), &got, NULL) && got)
        total += got;
    out[total] = 0;
    CloseHandle(read_end);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (int)status;
}

void test_wav(const WCHAR *dir, WCHAR *path, DWORD size)
{
    WCHAR media[MAX_PATH];

    if (env_path(L"MFSESSION_MEDIA_DIR", media, ARRAYSIZE(media)))
    {
        swprintf(path, size, L"%ls\\tone.wav", media);
        if (file_exists(path))
            return;
    }
    swprintf(path, size, L"%ls\\tone.wav", dir);
    write_wav(path, 44100, 2, 1000);
}
