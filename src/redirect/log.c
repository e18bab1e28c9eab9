/*
 * The redirect's one-time messages.
 *
 * A fallback to the system's session is said on the debugger channel
 * (OutputDebugString, WINEDEBUG=+debugstr under Wine) and, when
 * MFSESSION_TRACE names a trace file, in that file: a Chrome Trace Event
 * file with one instant event, "redirect fallback", whose "reason" argument
 * is the message.  Our session, which would otherwise have written the file,
 * is not in the process.
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

#include "redirect.h"

static LONG fallback_logged, note_logged;

/* Under Wine a Unix path (/tmp/trace.json) names the Unix file, as the
 * session's own trace writer does. */
static BOOL trace_path(WCHAR *out, DWORD size)
{
    WCHAR *(CDECL *get_dos_file_name)(const char *unix_path);
    WCHAR configured[MAX_PATH], *dos;
    char unix_path[MAX_PATH * 3];
    DWORD len;

    len = GetEnvironmentVariableW(L"MFSESSION_TRACE", configured, ARRAYSIZE(configured));
    if (!len || len >= ARRAYSIZE(configured))
        return FALSE;
    if (configured[0] == '/' && configured[1] != '/'
            && (get_dos_file_name = (void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_dos_file_name"))
            && WideCharToMultiByte(CP_UTF8, 0, configured, -1, unix_path, sizeof(unix_path), NULL, NULL)
            && (dos = get_dos_file_name(unix_path)))
    {
        len = lstrlenW(dos);
        if (len < size)
            memcpy(out, dos, (len + 1) * sizeof(WCHAR));
        HeapFree(GetProcessHeap(), 0, dos);
        return len < size;
    }
    len = GetFullPathNameW(configured, size, out, NULL);
    return len && len < size;
}

/* JSON string contents: quotes, backslashes and control characters escaped. */
static size_t json_escape(const char *in, char *out, size_t size)
{
    size_t len = 0;

    for (; *in && len + 7 < size; ++in)
    {
        if (*in == '"' || *in == '\\')
        {
            out[len++] = '\\';
            out[len++] = *in;
        }
        else if ((unsigned char)*in < 0x20)
            len += snprintf(out + len, size - len, "\\u%04x", (unsigned char)*in);
        else
            out[len++] = *in;
    }
    out[len] = 0;
    return len;
}

static void write_trace(const WCHAR *reason)
{
    char utf8[MAX_PATH * 6], escaped[MAX_PATH * 12], text[MAX_PATH * 12 + 256];
    WCHAR path[MAX_PATH];
    DWORD written;
    HANDLE file;
    int len;

    if (!trace_path(path, ARRAYSIZE(path)))
        return;
    if (!WideCharToMultiByte(CP_UTF8, 0, reason, -1, utf8, sizeof(utf8), NULL, NULL))
        return;
    json_escape(utf8, escaped, sizeof(escaped));
    len = snprintf(text, sizeof(text),
            "{\"traceEvents\":[\n"
            "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%lu,\"tid\":0,\"args\":{\"name\":\"mf.dll redirect\"}},\n"
            "{\"name\":\"redirect fallback\",\"ph\":\"i\",\"s\":\"p\",\"pid\":%lu,\"tid\":%lu,\"ts\":0,"
            "\"args\":{\"reason\":\"%s\"}}\n]}\n",
            (unsigned long)GetCurrentProcessId(), (unsigned long)GetCurrentProcessId(),
            (unsigned long)GetCurrentThreadId(), escaped);
    if (len <= 0 || (size_t)len >= sizeof(text))
        return;
    file = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return;
    WriteFile(file, text, len, &written, NULL);
    CloseHandle(file);
}

void redirect_log_fallback(const WCHAR *reason)
{
    WCHAR message[2 * MAX_PATH + 160];

    if (InterlockedCompareExchange(&fallback_logged, 1, 0))
        return;
    swprintf(message, ARRAYSIZE(message), L"mfsession redirect: using the system's session: %ls\n", reason);
    OutputDebugStringW(message);
    write_trace(reason);
}

void redirect_log_note(const WCHAR *message)
{
    if (!InterlockedCompareExchange(&note_logged, 1, 0))
        OutputDebugStringW(message);
}
