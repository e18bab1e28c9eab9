/*
 * Self-registration inside the private Wine prefix: DllRegisterServer,
 * DllUnregisterServer and DllInstall called directly and through regsvr32,
 * the keys and values they write, and COM activation through them.
 *
 * This is the only test that touches the registry (meson runs tests in
 * parallel).  Whatever registration existed before is saved first and put
 * back at the end.
 */
#include "common.h"
#include "doubles.h"
#include "test_loader_rig.h"
#include <wchar.h>

/* Checks one call's HRESULT, evaluating the call exactly once. */
#define check_hr(expected, call) do { \
        HRESULT check_hr_ = (call); \
        ok(check_hr_ == (HRESULT)(expected), "%s: expected %#lx, got %#lx", #call, \
                (unsigned long)(HRESULT)(expected), (unsigned long)check_hr_); \
    } while (0)

#define CLASSES        L"Software\\Classes\\"
#define PROGID         L"MFSession.MediaSession.1"
#define VERSION_PROGID L"MFSession.MediaSession"
#define BACKUP_KEY     L"Software\\mfsession-test-register-backup"

static HRESULT (WINAPI *pDllRegisterServer)(void);
static HRESULT (WINAPI *pDllUnregisterServer)(void);
static HRESULT (WINAPI *pDllInstall)(BOOL, const WCHAR *);

static WCHAR module_path[MAX_PATH], clsid_str[40], clsid_key[80];
/* The topology loader's class, registered with the session's. */
#define LOADER_PROGID  L"MFSession.TopoLoader.1"
static WCHAR loader_clsid_str[40], loader_clsid_key[80];
static const WCHAR *our_keys[5];

static const WCHAR *root_name(HKEY root)
{
    return root == HKEY_LOCAL_MACHINE ? L"HKLM" : L"HKCU";
}

static BOOL key_exists(HKEY root, const WCHAR *subkey)
{
    HKEY key;
    if (RegOpenKeyExW(root, subkey, 0, KEY_READ, &key)) return FALSE;
    RegCloseKey(key);
    return TRUE;
}

/* The string value, or an empty string when it is missing or not REG_SZ. */
static const WCHAR *get_string(HKEY root, const WCHAR *subkey, const WCHAR *name)
{
    static WCHAR buffer[4][MAX_PATH * 2];
    static unsigned int next;
    WCHAR *value = buffer[next++ % 4];
    DWORD size = sizeof(buffer[0]);

    if (RegGetValueW(root, subkey, name, RRF_RT_REG_SZ, NULL, value, &size)) value[0] = 0;
    return value;
}

static void check_string(HKEY root, const WCHAR *subkey, const WCHAR *name, const WCHAR *expected,
        const char *what)
{
    const WCHAR *value = get_string(root, subkey, name);
    ok(!_wcsicmp(value, expected), "%s: %ls\\%ls [%ls] is \"%ls\", got \"%ls\"", what, root_name(root),
            subkey, name ? name : L"(default)", expected, value);
}

static void check_registered(HKEY root, const char *what)
{
    WCHAR key[160];

    swprintf(key, ARRAYSIZE(key), L"%ls\\InprocServer32", clsid_key);
    ok(get_string(root, clsid_key, NULL)[0] != 0, "%s: %ls\\%ls has a description", what,
            root_name(root), clsid_key);
    check_string(root, key, NULL, module_path, what);
    check_string(root, key, L"ThreadingModel", L"Both", what);
    swprintf(key, ARRAYSIZE(key), L"%ls\\ProgID", clsid_key);
    check_string(root, key, NULL, PROGID, what);
    swprintf(key, ARRAYSIZE(key), L"%ls\\VersionIndependentProgID", clsid_key);
    check_string(root, key, NULL, VERSION_PROGID, what);

    ok(get_string(root, CLASSES PROGID, NULL)[0] != 0, "%s: the ProgID has a description", what);
    check_string(root, CLASSES PROGID L"\\CLSID", NULL, clsid_str, what);
    ok(get_string(root, CLASSES VERSION_PROGID, NULL)[0] != 0,
            "%s: the version-independent ProgID has a description", what);
    check_string(root, CLASSES VERSION_PROGID L"\\CLSID", NULL, clsid_str, what);
    check_string(root, CLASSES VERSION_PROGID L"\\CurVer", NULL, PROGID, what);

    swprintf(key, ARRAYSIZE(key), L"%ls\\InprocServer32", loader_clsid_key);
    ok(get_string(root, loader_clsid_key, NULL)[0] != 0, "%s: the loader's class has a description", what);
    check_string(root, key, NULL, module_path, what);
    check_string(root, key, L"ThreadingModel", L"Both", what);
    swprintf(key, ARRAYSIZE(key), L"%ls\\ProgID", loader_clsid_key);
    check_string(root, key, NULL, LOADER_PROGID, what);
    check_string(root, CLASSES LOADER_PROGID L"\\CLSID", NULL, loader_clsid_str, what);
}

static void check_unregistered(HKEY root, const char *what)
{
    unsigned int i;
    for (i = 0; i < ARRAYSIZE(our_keys); ++i)
        ok(!key_exists(root, our_keys[i]), "%s: %ls\\%ls does not exist", what, root_name(root), our_keys[i]);
}

/* CoCreateInstance through the machine registration (Wine's COM reads only
 * the machine classes key); a created session is shut down and released. */
static void check_activation(HRESULT expected, const char *what)
{
    IMFMediaSession *session = NULL;
    IMFTopoLoader *loader = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_MFSession, NULL, CLSCTX_INPROC_SERVER, &IID_IMFMediaSession, (void **)&session);
    ok(hr == expected, "%s: CoCreateInstance(CLSID_MFSession, IID_IMFMediaSession) gives %#lx, got %#lx",
            what, (unsigned long)expected, (unsigned long)hr);
    if (SUCCEEDED(hr) && session)
    {
        check_hr(S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
    }

    hr = CoCreateInstance(&CLSID_MFSessionTopoLoader, NULL, CLSCTX_INPROC_SERVER, &IID_IMFTopoLoader,
            (void **)&loader);
    ok(hr == expected, "%s: CoCreateInstance(CLSID_MFSessionTopoLoader, IID_IMFTopoLoader) gives %#lx, got %#lx",
            what, (unsigned long)expected, (unsigned long)hr);
    if (SUCCEEDED(hr) && loader) IMFTopoLoader_Release(loader);
}

/* Runs "regsvr32 <args> <module path>"; its exit code, or -1. */
static int regsvr32(const WCHAR *args)
{
    PROCESS_INFORMATION pi;
    STARTUPINFOW si = {sizeof(si)};
    WCHAR cmdline[MAX_PATH * 2];
    DWORD code = (DWORD)-1;

    swprintf(cmdline, ARRAYSIZE(cmdline), L"regsvr32 %ls \"%ls\"", args, module_path);
    if (!CreateProcessW(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    {
        diag("CreateProcess(%ls) failed, error %lu", cmdline, GetLastError());
        return -1;
    }
    if (wait_handle(pi.hProcess, 30000, "regsvr32"))
        GetExitCodeProcess(pi.hProcess, &code);
    else
        TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (int)code;
}

/* Saving and restoring whatever registration the prefix had (the demo
 * registers mfsession machine-wide in the same prefix). */
static void backup_name(HKEY root, unsigned int i, WCHAR *name, size_t size)
{
    swprintf(name, size, L"%ls\\%ls%u", BACKUP_KEY, root_name(root), i);
}

static void save_registration(void)
{
    HKEY roots[] = {HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER}, dst;
    unsigned int r, i;
    WCHAR name[128];

    RegDeleteTreeW(HKEY_CURRENT_USER, BACKUP_KEY);
    for (r = 0; r < ARRAYSIZE(roots); ++r)
        for (i = 0; i < ARRAYSIZE(our_keys); ++i)
        {
            if (!key_exists(roots[r], our_keys[i])) continue;
            diag("saving the existing %ls\\%ls", root_name(roots[r]), our_keys[i]);
            backup_name(roots[r], i, name, ARRAYSIZE(name));
            if (RegCreateKeyExW(HKEY_CURRENT_USER, name, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &dst, NULL)) continue;
            ok(!RegCopyTreeW(roots[r], our_keys[i], dst), "existing registration saved");
            RegCloseKey(dst);
        }
}

static void restore_registration(void)
{
    HKEY roots[] = {HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER}, dst;
    unsigned int r, i;
    WCHAR name[128];

    pDllUnregisterServer();
    pDllInstall(FALSE, L"user");
    for (r = 0; r < ARRAYSIZE(roots); ++r)
        for (i = 0; i < ARRAYSIZE(our_keys); ++i)
        {
            backup_name(roots[r], i, name, ARRAYSIZE(name));
            if (!key_exists(HKEY_CURRENT_USER, name)) continue;
            if (RegCreateKeyExW(roots[r], our_keys[i], 0, NULL, 0, KEY_ALL_ACCESS, NULL, &dst, NULL)) continue;
            ok(!RegCopyTreeW(HKEY_CURRENT_USER, name, dst), "earlier %ls\\%ls restored",
                    root_name(roots[r]), our_keys[i]);
            RegCloseKey(dst);
        }
    RegDeleteTreeW(HKEY_CURRENT_USER, BACKUP_KEY);
}

static void test_direct_calls(void)
{
    CLSID clsid;

    check_hr(S_OK, pDllUnregisterServer());
    check_hr(S_OK, pDllUnregisterServer());
    check_hr(S_OK, pDllInstall(FALSE, L"user"));
    check_unregistered(HKEY_LOCAL_MACHINE, "nothing registered");
    check_unregistered(HKEY_CURRENT_USER, "nothing registered");
    check_activation(REGDB_E_CLASSNOTREG, "with nothing registered");

    /* Machine registration. */
    check_hr(S_OK, pDllRegisterServer());
    check_registered(HKEY_LOCAL_MACHINE, "DllRegisterServer");
    check_unregistered(HKEY_CURRENT_USER, "DllRegisterServer writes no per-user keys");
    check_hr(S_OK, pDllRegisterServer());
    check_registered(HKEY_LOCAL_MACHINE, "registering twice");
    check_hr(S_OK, CLSIDFromProgID(VERSION_PROGID, &clsid));
    ok(IsEqualCLSID(&clsid, &CLSID_MFSession), "the version-independent ProgID resolves to CLSID_MFSession");
    check_hr(S_OK, CLSIDFromProgID(PROGID, &clsid));
    ok(IsEqualCLSID(&clsid, &CLSID_MFSession), "the ProgID resolves to CLSID_MFSession");
    check_activation(S_OK, "after DllRegisterServer");

    check_hr(S_OK, pDllUnregisterServer());
    check_unregistered(HKEY_LOCAL_MACHINE, "DllUnregisterServer");
    check_activation(REGDB_E_CLASSNOTREG, "after DllUnregisterServer");
    check_hr(S_OK, pDllUnregisterServer());

    /* DllInstall: "user" (any case) is per user; NULL, "" and "machine" are
     * the machine; anything else is refused without writing anything. */
    check_hr(S_OK, pDllInstall(TRUE, L"user"));
    check_registered(HKEY_CURRENT_USER, "DllInstall(TRUE, user)");
    check_unregistered(HKEY_LOCAL_MACHINE, "per-user registration leaves HKLM alone");
    check_hr(S_OK, pDllInstall(FALSE, L"USER"));
    check_unregistered(HKEY_CURRENT_USER, "DllInstall(FALSE, USER)");
    check_hr(S_OK, pDllInstall(FALSE, L"User"));

    check_hr(E_INVALIDARG, pDllInstall(TRUE, L"everyone"));
    check_hr(E_INVALIDARG, pDllInstall(FALSE, L"users"));
    check_unregistered(HKEY_LOCAL_MACHINE, "DllInstall with an unknown command line");
    check_unregistered(HKEY_CURRENT_USER, "DllInstall with an unknown command line");

    check_hr(S_OK, pDllInstall(TRUE, NULL));
    check_registered(HKEY_LOCAL_MACHINE, "DllInstall(TRUE, NULL)");
    check_hr(S_OK, pDllInstall(FALSE, L"Machine"));
    check_unregistered(HKEY_LOCAL_MACHINE, "DllInstall(FALSE, Machine)");
    check_hr(S_OK, pDllInstall(TRUE, L""));
    check_registered(HKEY_LOCAL_MACHINE, "DllInstall(TRUE, \"\")");
    check_hr(S_OK, pDllInstall(FALSE, NULL));
    check_unregistered(HKEY_LOCAL_MACHINE, "DllInstall(FALSE, NULL)");
    check_unregistered(HKEY_CURRENT_USER, "machine DllInstall leaves HKCU alone");
}

static void test_regsvr32(void)
{
    ok(regsvr32(L"/s") == 0, "regsvr32 /s succeeds");
    check_registered(HKEY_LOCAL_MACHINE, "regsvr32 /s");
    check_unregistered(HKEY_CURRENT_USER, "regsvr32 /s writes no per-user keys");
    check_activation(S_OK, "after regsvr32 /s");

    ok(regsvr32(L"/u /s") == 0, "regsvr32 /u /s succeeds");
    check_unregistered(HKEY_LOCAL_MACHINE, "regsvr32 /u /s");
    check_activation(REGDB_E_CLASSNOTREG, "after regsvr32 /u /s");
    ok(regsvr32(L"/u /s") == 0, "regsvr32 /u /s succeeds again when nothing is registered");

    ok(regsvr32(L"/n /i:user /s") == 0, "regsvr32 /n /i:user /s succeeds");
    check_registered(HKEY_CURRENT_USER, "regsvr32 /n /i:user");
    check_unregistered(HKEY_LOCAL_MACHINE, "per-user regsvr32 leaves HKLM alone");
    ok(regsvr32(L"/u /n /i:user /s") == 0, "regsvr32 /u /n /i:user /s succeeds");
    check_unregistered(HKEY_CURRENT_USER, "regsvr32 /u /n /i:user");
    ok(regsvr32(L"/u /n /i:user /s") == 0, "per-user unregistration succeeds again");
}

/* UsePlatformLoader under our loader's class key sends every session
 * created without MF_SESSION_TOPOLOADER to the platform's loader; the
 * source -> tee -> two sinks topology tells them apart on Wine 8 (issue 13:
 * Wine's loader refuses it with MF_E_TOPO_CODEC_NOT_FOUND, ours resolves it). */
static HRESULT tee_status_switched(DWORD *switch_to)
{
    struct dsource_desc src_desc = {1, 4, 100000, 4, TRUE, TRUE, TRUE};
    struct dsink_desc sink_desc = {2};
    IMFMediaSession *session;
    IMFTopology *topology;
    struct dsource *src;
    struct dsink *sink;
    HRESULT status;

    dsource_create(&src_desc, &src);
    dsink_create(&sink_desc, &sink);
    session = create_session();
    /* Set after the session exists: the choice is made when its first
     * topology is resolved (creation reads no registry). */
    if (switch_to)
        RegSetKeyValueW(HKEY_CURRENT_USER, loader_clsid_key, L"UsePlatformLoader", REG_DWORD, switch_to,
                sizeof(*switch_to));
    topology = rig_session_tee(src, sink);
    status = rig_set_topology_status(session, topology);
    rig_session_done(session, topology, src, sink);
    return status;
}

static HRESULT tee_status(void)
{
    return tee_status_switched(NULL);
}

static void test_platform_loader_switch(void)
{
    DWORD on = 1;
    HKEY key;

    check_hr(S_OK, tee_status());
    ok(!RegCreateKeyExW(HKEY_CURRENT_USER, loader_clsid_key, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL),
            "the loader's class key can be written");
    RegSetValueExW(key, L"UsePlatformLoader", 0, REG_DWORD, (const BYTE *)&on, sizeof(on));
    RegCloseKey(key);
    check_hr(MF_E_TOPO_CODEC_NOT_FOUND, tee_status());
    on = 0;
    RegSetKeyValueW(HKEY_CURRENT_USER, loader_clsid_key, L"UsePlatformLoader", REG_DWORD, &on, sizeof(on));
    check_hr(S_OK, tee_status());
    on = 1;
    check_hr(MF_E_TOPO_CODEC_NOT_FOUND, tee_status_switched(&on));
    on = 0;
    check_hr(S_OK, tee_status_switched(&on));
    RegDeleteTreeW(HKEY_CURRENT_USER, loader_clsid_key);
}

START_TEST(register)
{
    HRESULT hr, init;
    HMODULE module;
    DWORD len;

    init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    check_hr(S_OK, init);
    hr = MFStartup(MF_VERSION, MFSTARTUP_FULL);
    check_hr(S_OK, hr);

    module = load_mfsession();
    ok(module != NULL, "mfsession.dll loads");
    if (!module) goto done;
    pDllRegisterServer = (void *)GetProcAddress(module, "DllRegisterServer");
    pDllUnregisterServer = (void *)GetProcAddress(module, "DllUnregisterServer");
    pDllInstall = (void *)GetProcAddress(module, "DllInstall");
    ok(pDllRegisterServer && pDllUnregisterServer && pDllInstall, "the registration entry points are exported");
    if (!pDllRegisterServer || !pDllUnregisterServer || !pDllInstall) goto done;

    len = GetModuleFileNameW(module, module_path, ARRAYSIZE(module_path));
    ok(len && len < ARRAYSIZE(module_path), "the module path fits in MAX_PATH");
    StringFromGUID2(&CLSID_MFSession, clsid_str, ARRAYSIZE(clsid_str));
    swprintf(clsid_key, ARRAYSIZE(clsid_key), CLASSES L"CLSID\\%ls", clsid_str);
    our_keys[0] = clsid_key;
    our_keys[1] = CLASSES PROGID;
    our_keys[2] = CLASSES VERSION_PROGID;
    StringFromGUID2(&CLSID_MFSessionTopoLoader, loader_clsid_str, ARRAYSIZE(loader_clsid_str));
    swprintf(loader_clsid_key, ARRAYSIZE(loader_clsid_key), CLASSES L"CLSID\\%ls", loader_clsid_str);
    our_keys[3] = loader_clsid_key;
    our_keys[4] = CLASSES LOADER_PROGID;
    diag("module %ls, CLSID %ls", module_path, clsid_str);

    save_registration();
    test_direct_calls();
    test_regsvr32();
    test_platform_loader_switch();
    restore_registration();

done:
    if (SUCCEEDED(hr)) MFShutdown();
    if (SUCCEEDED(init)) CoUninitialize();
}
