/*
 * The mf.dll redirect (src/redirect/, docs/REDIRECT.md):
 *   - an unmodified client (redirect_client.exe, which calls only
 *     MFCreateMediaSession) plays a WAV to MESessionEnded and MESessionClosed
 *     through our session when the redirect is beside it (the trace file
 *     MFSESSION_TRACE names exists: only our session writes it), through the
 *     platform's without it, with MFSESSION_REDIRECT=0, and when our DLL
 *     cannot be found (then the redirect's fallback note is in the trace);
 *   - every forwarded export resolves to the system's mf.dll, first called
 *     from many threads at once; a harmless call of each family gives what
 *     the system's function gives;
 *   - nothing the system's mf.dll exports is missing from the redirect.
 */
#include "common.h"
#include "redirect_util.h"
#include <stdio.h>
#include <string.h>

#define CLIENT_TIMEOUT 60000

static WCHAR wav[MAX_PATH];
static WCHAR scratch[MAX_PATH];

/* Case-insensitive: the loader keeps a module's name as it was asked for. */
static BOOL output_has(const char *out, const char *text)
{
    size_t len = strlen(text);

    for (; *out; ++out)
        if (!_strnicmp(out, text, len))
            return TRUE;
    return FALSE;
}

/* The client's line naming the session's module, for a check's message
 * (one line: the rest of the output would break the TAP stream). */
static const char *module_line(const char *out, char *buf, size_t size)
{
    const char *line = strstr(out, "session module:"), *end;

    if (!line) line = out;
    if (!(end = strchr(line, '\n'))) end = line + strlen(line);
    if (end > line && end[-1] == '\r') --end;
    snprintf(buf, size, "%.*s", (int)(end - line), line);
    return buf;
}

/* The client's output, as TAP comments. */
static void show_output(const char *out)
{
    const char *line, *end;

    for (line = out; *line; line = *end ? end + 1 : end)
    {
        if (!(end = strchr(line, '\n')))
            end = line + strlen(line);
        diag("  %.*s", (int)(end - line), line);
    }
}

static int run_client(struct app *app, const WCHAR *redirect_value, char *out, DWORD size)
{
    int status = app_run(app, wav, redirect_value, CLIENT_TIMEOUT, out, size);

    if (status)
        show_output(out);
    return status;
}

static BOOL file_has(const WCHAR *path, const char *text)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD size, got = 0;
    BOOL found = FALSE;
    char *data;

    if (file == INVALID_HANDLE_VALUE)
        return FALSE;
    size = GetFileSize(file, NULL);
    if (size != INVALID_FILE_SIZE && (data = malloc(size + 1)))
    {
        ReadFile(file, data, size, &got, NULL);
        data[got] = 0;
        found = strstr(data, text) != NULL;
        free(data);
    }
    CloseHandle(file);
    return found;
}

static BOOL mfsession_registered(void)
{
    HKEY key;

    if (RegOpenKeyExW(HKEY_CLASSES_ROOT, L"CLSID\\{9BC800B1-C557-4289-AAE2-224DCDAE69C6}\\InprocServer32",
            0, KEY_READ, &key))
        return FALSE;
    RegCloseKey(key);
    return TRUE;
}

static void test_unmodified_client(void)
{
    char out[8192], line[512];
    struct app app;
    int status;

    /* No redirect: the platform's session, no trace. */
    if (!app_create(&app, L"MFSESSION_REDIRECT_CLIENT", APP_CLIENT_ONLY))
        return;
    status = run_client(&app, NULL, out, sizeof(out));
    ok(status == 0, "without the redirect the client plays to MESessionClosed: status %d", status);
    ok(output_has(out, "system32\\mf.dll"), "without the redirect the session is the system mf.dll's: %s",
            module_line(out, line, sizeof(line)));
    ok(!file_exists(app.trace), "without the redirect no trace file is written (not our session)");
    app_remove(&app);

    /* The redirect and mfsession.dll beside the client. */
    if (!app_create(&app, L"MFSESSION_REDIRECT_CLIENT", APP_REDIRECT | APP_MFSESSION))
        return;
    status = run_client(&app, NULL, out, sizeof(out));
    ok(status == 0, "with the redirect the client plays to MESessionClosed: status %d", status);
    ok(output_has(out, "mfsession.dll"), "with the redirect the session is mfsession.dll's: %s",
            module_line(out, line, sizeof(line)));
    ok(file_exists(app.trace), "with the redirect our session's trace file %ls exists", app.trace);
    ok(file_has(app.trace, "MESessionClosed"), "our session's trace has MESessionClosed");

    /* MFSESSION_REDIRECT=0 turns it off without uninstalling it. */
    status = run_client(&app, L"0", out, sizeof(out));
    ok(status == 0, "MFSESSION_REDIRECT=0: the client plays to MESessionClosed: status %d", status);
    ok(output_has(out, "system32\\mf.dll"), "MFSESSION_REDIRECT=0: the system's session: %s",
            module_line(out, line, sizeof(line)));
    ok(!file_exists(app.trace), "MFSESSION_REDIRECT=0: no trace file");

    /* Any other value leaves it on. */
    status = run_client(&app, L"1", out, sizeof(out));
    ok(status == 0 && file_exists(app.trace), "MFSESSION_REDIRECT=1: our session (status %d, trace %d)",
            status, file_exists(app.trace));
    app_remove(&app);

    /* The redirect alone: our DLL cannot be found, the application plays
     * through the system's session and the reason is in the trace. */
    if (mfsession_registered())
    {
        skip("CLSID_MFSession is registered in this prefix: the not-found fallback cannot be shown");
        return;
    }
    if (!app_create(&app, L"MFSESSION_REDIRECT_CLIENT", APP_REDIRECT))
        return;
    status = run_client(&app, NULL, out, sizeof(out));
    ok(status == 0, "redirect without mfsession.dll: the client plays to MESessionClosed: status %d", status);
    ok(output_has(out, "system32\\mf.dll"), "redirect without mfsession.dll: the system's session: %s",
            module_line(out, line, sizeof(line)));
    ok(file_has(app.trace, "\"redirect fallback\"") && file_has(app.trace, "mfsession.dll does not exist"),
            "redirect without mfsession.dll: the trace says why");
    ok(!file_has(app.trace, "MESessionClosed"), "redirect without mfsession.dll: no session events in the trace");
    app_remove(&app);
}

/* The slot a thunk jumps through: jmp *disp32(%rip) on x86_64, jmp *abs32
 * on i386 (thunks.c). */
static void *thunk_target(const void *thunk)
{
    const BYTE *code = thunk;
    DWORD operand;

    if (code[0] != 0xff || code[1] != 0x25)
        return NULL;
    memcpy(&operand, code + 2, sizeof(operand));
#ifdef _WIN64
    return *(void **)(code + 6 + (LONG)operand);
#else
    return *(void **)(ULONG_PTR)operand;
#endif
}

/* The export names of a loaded module, from its export directory. */
static DWORD export_names(HMODULE module, const char ***names)
{
    const BYTE *base = (const BYTE *)module;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
    const IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT];
    const IMAGE_EXPORT_DIRECTORY *exports = (const IMAGE_EXPORT_DIRECTORY *)(base + dir->VirtualAddress);
    const DWORD *rvas = (const DWORD *)(base + exports->AddressOfNames);
    DWORD i;

    *names = malloc(exports->NumberOfNames * sizeof(**names));
    for (i = 0; i < exports->NumberOfNames; ++i)
        (*names)[i] = (const char *)(base + rvas[i]);
    return exports->NumberOfNames;
}

static HMODULE redirect, system_mf;

static DWORD WINAPI first_call_thread(void *arg)
{
    HRESULT (WINAPI *create_topology)(IMFTopology **) = (void *)GetProcAddress(redirect, "MFCreateTopology");
    IMFTopology *topology = NULL;
    HANDLE go = arg;
    HRESULT hr;

    WaitForSingleObject(go, TEST_TIMEOUT);
    hr = create_topology(&topology);
    if (topology)
        IMFTopology_Release(topology);
    return hr;
}

static void test_first_call_threads(void)
{
    HANDLE threads[8], go = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD i, code, good = 0;

    for (i = 0; i < ARRAYSIZE(threads); ++i)
        threads[i] = CreateThread(NULL, 0, first_call_thread, go, 0, NULL);
    SetEvent(go);
    for (i = 0; i < ARRAYSIZE(threads); ++i)
    {
        if (wait_handle(threads[i], TEST_TIMEOUT, "first-call thread") && GetExitCodeThread(threads[i], &code)
                && code == S_OK)
            ++good;
        CloseHandle(threads[i]);
    }
    CloseHandle(go);
    ok(good == ARRAYSIZE(threads), "the first call of a forward from %u threads at once: %lu got S_OK",
            (unsigned int)ARRAYSIZE(threads), good);
}

static BOOL in_module(const void *object, HMODULE expected)
{
    HMODULE module = NULL;

    return object && GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS
            | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, *(const void *const *)object, &module)
            && module == expected;
}

/* A function with one out-pointer, through the redirect and directly: the
 * same result, and (maker not NULL) the object made by that module: the
 * system's mf.dll, or mfplat.dll where mf.dll forwards. */
static void check_one_out(const char *name, HMODULE maker)
{
    HRESULT (WINAPI *through)(IUnknown **) = (void *)GetProcAddress(redirect, name);
    HRESULT (WINAPI *direct)(IUnknown **) = (void *)GetProcAddress(system_mf, name);
    IUnknown *a = NULL, *b = NULL;
    HRESULT hr_a, hr_b;

    if (!ok(through && direct, "%s exported by the redirect and the system", name))
        return;
    hr_a = through(&a);
    hr_b = direct(&b);
    ok(hr_a == hr_b && hr_a == S_OK, "%s through the redirect: %#lx, directly %#lx", name, hr_a, hr_b);
    if (maker)
        ok(in_module(a, maker), "%s through the redirect: the object is the platform's", name);
    if (a) IUnknown_Release(a);
    if (b) IUnknown_Release(b);
}

static void test_families(void)
{
    HRESULT (WINAPI *get_service)(IUnknown *, REFGUID, REFIID, void **);
    HRESULT (WINAPI *create_node)(MF_TOPOLOGY_TYPE, IMFTopologyNode **);
    HRESULT (WINAPI *shutdown_object)(IUnknown *);
    HRESULT (WINAPI *mime_types)(PROPVARIANT *);
    HRESULT (WINAPI *can_unload)(void);
    HRESULT (WINAPI *class_object)(REFCLSID, REFIID, void **);
    IMFTopologyNode *node = NULL;
    IMFAttributes *attributes;
    PROPVARIANT types;
    void *out;
    HRESULT hr;

    check_one_out("MFCreateTopology", system_mf);
    check_one_out("MFCreatePresentationClock", system_mf);
    check_one_out("MFCreateSourceResolver", GetModuleHandleW(L"mfplat.dll"));
    check_one_out("MFCreateTopoLoader", system_mf);
    check_one_out("MFCreateStandardQualityManager", system_mf);
    check_one_out("MFCreateAudioRendererActivate", NULL);

    create_node = (void *)GetProcAddress(redirect, "MFCreateTopologyNode");
    hr = create_node(MF_TOPOLOGY_TEE_NODE, &node);
    ok(hr == S_OK && in_module(node, system_mf), "MFCreateTopologyNode (two arguments) forwards: %#lx", hr);
    if (node) IMFTopologyNode_Release(node);

    /* Four arguments: the service lookup on an object without IMFGetService. */
    MFCreateAttributes(&attributes, 0);
    get_service = (void *)GetProcAddress(redirect, "MFGetService");
    out = (void *)1;
    hr = get_service((IUnknown *)attributes, &MF_RATE_CONTROL_SERVICE, &IID_IUnknown, &out);
    ok(hr == MFGetService((IUnknown *)attributes, &MF_RATE_CONTROL_SERVICE, &IID_IUnknown, &out),
            "MFGetService forwards: %#lx", hr);
    shutdown_object = (void *)GetProcAddress(redirect, "MFShutdownObject");
    ok_hr(MFShutdownObject((IUnknown *)attributes), shutdown_object((IUnknown *)attributes));
    IMFAttributes_Release(attributes);

    mime_types = (void *)GetProcAddress(redirect, "MFGetSupportedMimeTypes");
    PropVariantInit(&types);
    hr = mime_types(&types);
    ok(hr == S_OK && types.vt == (VT_VECTOR | VT_LPWSTR), "MFGetSupportedMimeTypes forwards: %#lx, vt %#x",
            hr, types.vt);
    PropVariantClear(&types);

    /* The COM entry points go to the system's mf.dll too. */
    can_unload = (void *)GetProcAddress(redirect, "DllCanUnloadNow");
    class_object = (void *)GetProcAddress(redirect, "DllGetClassObject");
    ok(can_unload && class_object, "the COM entry points are exported");
    if (can_unload && class_object)
    {
        ok_hr(((HRESULT (WINAPI *)(void))(void *)GetProcAddress(system_mf, "DllCanUnloadNow"))(), can_unload());
        out = (void *)1;
        ok_hr(CLASS_E_CLASSNOTAVAILABLE, class_object(&CLSID_MFSession, &IID_IClassFactory, &out));
    }
}

/* Every export but the two sessions jumps to the system's function; the
 * system's missing documented ones return HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND). */
static void test_every_export(void)
{
    DWORD count, i, forwarded = 0, missing = 0, wrong = 0;
    const char **names;
    void *target, *expected;

    count = export_names(redirect, &names);
    ok(count == 95, "the redirect exports the 95 names of Windows 10's mf.dll: %lu", count);
    for (i = 0; i < count; ++i)
    {
        void *thunk = (void *)GetProcAddress(redirect, names[i]);

        if (!strcmp(names[i], "MFCreateMediaSession") || !strcmp(names[i], "MFCreatePMPMediaSession"))
        {
            ok(thunk && thunk != (void *)GetProcAddress(system_mf, names[i]), "%s is the redirect's own", names[i]);
            continue;
        }
        target = thunk_target(thunk);
        expected = (void *)GetProcAddress(system_mf, names[i]);
        if (expected && target == expected)
            ++forwarded;
        else if (!expected && target)
            ++missing;
        else
        {
            ++wrong;
            ok(0, "%s: thunk target %p, system's %p", names[i], target, expected);
        }
    }
    ok(!wrong && forwarded + missing == count - 2, "every forward resolved: %lu to the system's, %lu stand-ins",
            forwarded, missing);
    diag("%lu exports forwarded to %ls's, %lu not in it", forwarded, L"the system mf.dll", missing);

    if (!GetProcAddress(system_mf, "MFGetSystemId"))
    {
        HRESULT (WINAPI *get_system_id)(void **) = (void *)GetProcAddress(redirect, "MFGetSystemId");
        void *id = NULL;
        ok_hr(HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND), get_system_id(&id));
        ok(!id, "a missing forward leaves its out parameter alone");
    }
    free(names);
}

/* Nothing the system's mf.dll exports is missing from the redirect. */
static void test_export_list(void)
{
    DWORD count, i, absent = 0;
    const char **names;

    count = export_names(system_mf, &names);
    ok(count >= 86, "the system's mf.dll has %lu exports (Wine 8: 86)", count);
    for (i = 0; i < count; ++i)
    {
        if (!GetProcAddress(redirect, names[i]))
        {
            ++absent;
            ok(0, "the system's mf.dll exports %s, the redirect does not", names[i]);
        }
    }
    ok(!absent, "all %lu exports of the system's mf.dll are the redirect's too", count);
    free(names);
}

START_TEST(test_redirect)
{
    WCHAR redirect_path[MAX_PATH], system_path[MAX_PATH];
    UINT len;

    harness_watchdog(4 * CLIENT_TIMEOUT);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);

    GetTempPathW(ARRAYSIZE(scratch), scratch);
    test_wav(scratch, wav, ARRAYSIZE(wav));
    ok(file_exists(wav), "test WAV %ls", wav);

    if (!ok(env_path(L"MFSESSION_REDIRECT_DLL", redirect_path, ARRAYSIZE(redirect_path)),
            "MFSESSION_REDIRECT_DLL names the redirect"))
        return;
    len = GetSystemDirectoryW(system_path, MAX_PATH - 8);
    wcscpy(system_path + len, L"\\mf.dll");
    system_mf = LoadLibraryW(system_path);
    redirect = LoadLibraryW(redirect_path);
    ok(system_mf && redirect && redirect != system_mf, "the redirect %ls loads beside the system's mf.dll",
            redirect_path);
    if (!system_mf || !redirect)
        return;

    RUN(test_first_call_threads);
    RUN(test_every_export);
    RUN(test_families);
    RUN(test_export_list);
    RUN(test_unmodified_client);
    MFShutdown();
}
