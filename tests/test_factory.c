/*
 * The class object and the module lock count, with the DLL loaded by
 * LoadLibrary (no registry): DllGetClassObject, QueryInterface and reference
 * counting on the class object, aggregation, IClassFactory::LockServer,
 * DllCanUnloadNow, and IMFSessionFactory::CreateSession with attributes.
 */
#include "common.h"

/* Checks one call's HRESULT, evaluating the call exactly once. */
#define check_hr(expected, call) do { \
        HRESULT check_hr_ = (call); \
        ok(check_hr_ == (HRESULT)(expected), "%s: expected %#lx, got %#lx", #call, \
                (unsigned long)(HRESULT)(expected), (unsigned long)check_hr_); \
    } while (0)

static HRESULT (WINAPI *pDllGetClassObject)(REFCLSID, REFIID, void **);
static HRESULT (WINAPI *pDllCanUnloadNow)(void);

/* MF_SESSION_TOPOLOADER and MF_SESSION_QUALITY_MANAGER (mfidl.h): defined here
 * because mingw-w64 10's libmfuuid lacks them. */
static const GUID attr_session_topoloader =
    {0x1e83d482, 0x1f1c, 0x4571, {0x84, 0x05, 0x88, 0xf4, 0xb2, 0x18, 0x1f, 0x71}};
static const GUID attr_session_quality_manager =
    {0x1e83d482, 0x1f1c, 0x4571, {0x84, 0x05, 0x88, 0xf4, 0xb2, 0x18, 0x1f, 0x73}};

/* A CLSID no one registered: {5d3a8c61-0f1e-4b8a-9c55-7e2f31a4b6d9}. */
static const GUID unregistered_clsid =
    {0x5d3a8c61, 0x0f1e, 0x4b8a, {0x9c, 0x55, 0x7e, 0x2f, 0x31, 0xa4, 0xb6, 0xd9}};

/* Objects may drop their last internal reference on a work queue thread just
 * after the client's last Release: give the lock count a bounded time. */
static HRESULT wait_can_unload(void)
{
    DWORD start = GetTickCount();
    HRESULT hr;

    while ((hr = pDllCanUnloadNow()) != S_OK && GetTickCount() - start < TEST_TIMEOUT)
        Sleep(10);
    if (hr == S_OK && GetTickCount() - start > 50)
        diag("DllCanUnloadNow became S_OK only after %lu ms", (unsigned long)(GetTickCount() - start));
    return hr;
}

static void test_get_class_object(void)
{
    IClassFactory *factory;
    void *out;
    HRESULT hr;

    out = (void *)0xdeadbeef;
    hr = pDllGetClassObject(&unregistered_clsid, &IID_IClassFactory, &out);
    check_hr(CLASS_E_CLASSNOTAVAILABLE, hr);
    ok(!out, "an unknown CLSID gives a NULL object, got %p", out);

    out = (void *)0xdeadbeef;
    hr = pDllGetClassObject(&IID_IMFMediaSession, &IID_IUnknown, &out);
    check_hr(CLASS_E_CLASSNOTAVAILABLE, hr);
    ok(!out, "an interface IID as CLSID gives a NULL object, got %p", out);

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, NULL);
    check_hr(E_POINTER, hr);

    out = (void *)0xdeadbeef;
    hr = pDllGetClassObject(NULL, &IID_IClassFactory, &out);
    check_hr(E_INVALIDARG, hr);
    ok(!out, "a NULL CLSID gives a NULL object, got %p", out);

    out = (void *)0xdeadbeef;
    hr = pDllGetClassObject(&CLSID_MFSession, NULL, &out);
    check_hr(E_INVALIDARG, hr);
    ok(!out, "a NULL IID gives a NULL object, got %p", out);

    /* The class object is not a session. */
    out = (void *)0xdeadbeef;
    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IMFMediaSession, &out);
    check_hr(E_NOINTERFACE, hr);
    ok(!out, "the class object does not give IMFMediaSession, got %p", out);
    check_hr(S_OK, pDllCanUnloadNow());

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    if (SUCCEEDED(hr)) IClassFactory_Release(factory);
    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IMFSessionFactory, &out);
    check_hr(S_OK, hr);
    if (SUCCEEDED(hr)) IUnknown_Release((IUnknown *)out);
    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IUnknown, &out);
    check_hr(S_OK, hr);
    if (SUCCEEDED(hr)) IUnknown_Release((IUnknown *)out);
    check_hr(S_OK, pDllCanUnloadNow());
}

static void test_query_interface(void)
{
    IUnknown *unk, *unk2, *out;
    IMFSessionFactory *session_factory;
    IClassFactory *factory, *factory2;
    HRESULT hr;

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;

    hr = IClassFactory_QueryInterface(factory, &IID_IMFSessionFactory, (void **)&session_factory);
    check_hr(S_OK, hr);
    hr = IMFSessionFactory_QueryInterface(session_factory, &IID_IClassFactory, (void **)&factory2);
    check_hr(S_OK, hr);
    ok(factory2 == factory, "IClassFactory from IMFSessionFactory is the same pointer");
    IClassFactory_Release(factory2);

    hr = IClassFactory_QueryInterface(factory, &IID_IUnknown, (void **)&unk);
    check_hr(S_OK, hr);
    hr = IMFSessionFactory_QueryInterface(session_factory, &IID_IUnknown, (void **)&unk2);
    check_hr(S_OK, hr);
    ok(unk == unk2, "IUnknown is the same from both interfaces (COM identity)");
    IUnknown_Release(unk2);
    IUnknown_Release(unk);

    out = (IUnknown *)0xdeadbeef;
    hr = IClassFactory_QueryInterface(factory, &IID_IMFMediaSession, (void **)&out);
    check_hr(E_NOINTERFACE, hr);
    ok(!out, "E_NOINTERFACE sets *out to NULL, got %p", out);
    out = (IUnknown *)0xdeadbeef;
    hr = IMFSessionFactory_QueryInterface(session_factory, &IID_IMFAttributes, (void **)&out);
    check_hr(E_NOINTERFACE, hr);
    ok(!out, "E_NOINTERFACE sets *out to NULL, got %p", out);
    out = (IUnknown *)0xdeadbeef;
    hr = IClassFactory_QueryInterface(factory, &IID_IClassFactory2, (void **)&out);
    check_hr(E_NOINTERFACE, hr);
    ok(!out, "IClassFactory2 is not offered, got %p", out);

    hr = IClassFactory_QueryInterface(factory, &IID_IUnknown, NULL);
    check_hr(E_POINTER, hr);

    IMFSessionFactory_Release(session_factory);
    ok(!IClassFactory_Release(factory), "the class object is released");
}

static void test_refcount(void)
{
    IMFSessionFactory *session_factory;
    IClassFactory *factory;
    HRESULT hr;

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;

    ok(IClassFactory_AddRef(factory) == 2, "first AddRef returns 2");
    ok(IClassFactory_AddRef(factory) == 3, "second AddRef returns 3");
    hr = IClassFactory_QueryInterface(factory, &IID_IMFSessionFactory, (void **)&session_factory);
    check_hr(S_OK, hr);
    ok(get_refcount(factory) == 4, "QueryInterface adds a reference to the one shared count, got %lu",
            get_refcount(factory));
    ok(IMFSessionFactory_AddRef(session_factory) == 5, "AddRef through IMFSessionFactory returns 5");
    ok(IMFSessionFactory_Release(session_factory) == 4, "Release through IMFSessionFactory returns 4");
    ok(IMFSessionFactory_Release(session_factory) == 3, "Release returns 3");
    ok(IClassFactory_Release(factory) == 2, "Release returns 2");
    ok(IClassFactory_Release(factory) == 1, "Release returns 1");
    ok(IClassFactory_Release(factory) == 0, "the last Release returns 0");
}

static void test_aggregation(void)
{
    IMFSessionFactory *session_factory;
    IClassFactory *factory;
    void *out;
    HRESULT hr;

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;

    out = (void *)0xdeadbeef;
    hr = IClassFactory_CreateInstance(factory, (IUnknown *)factory, &IID_IUnknown, &out);
    check_hr(CLASS_E_NOAGGREGATION, hr);
    ok(!out, "CLASS_E_NOAGGREGATION sets *out to NULL, got %p", out);
    out = (void *)0xdeadbeef;
    hr = IClassFactory_CreateInstance(factory, (IUnknown *)factory, &IID_IMFMediaSession, &out);
    check_hr(CLASS_E_NOAGGREGATION, hr);
    ok(!out, "CLASS_E_NOAGGREGATION sets *out to NULL, got %p", out);

    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IMFMediaSession, NULL);
    check_hr(E_POINTER, hr);

    hr = IClassFactory_QueryInterface(factory, &IID_IMFSessionFactory, (void **)&session_factory);
    check_hr(S_OK, hr);
    hr = IMFSessionFactory_CreateSession(session_factory, NULL, &IID_IMFMediaSession, NULL);
    check_hr(E_POINTER, hr);
    IMFSessionFactory_Release(session_factory);

    ok(get_refcount(factory) == 1, "failed calls leave no references, got %lu", get_refcount(factory));
    IClassFactory_Release(factory);
}

static void test_unload(void)
{
    IClassFactory *factory, *factory2;
    HRESULT hr;

    check_hr(S_OK, pDllCanUnloadNow());

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;
    check_hr(S_FALSE, pDllCanUnloadNow());
    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory2);
    check_hr(S_OK, hr);
    IClassFactory_Release(factory2);
    check_hr(S_FALSE, pDllCanUnloadNow());
    IClassFactory_Release(factory);
    check_hr(S_OK, pDllCanUnloadNow());

    /* LockServer keeps the module loaded after the class object is gone. */
    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    check_hr(S_OK, IClassFactory_LockServer(factory, TRUE));
    check_hr(S_OK, IClassFactory_LockServer(factory, TRUE));
    IClassFactory_Release(factory);
    check_hr(S_FALSE, pDllCanUnloadNow());

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    check_hr(S_OK, IClassFactory_LockServer(factory, FALSE));
    check_hr(S_FALSE, pDllCanUnloadNow());
    check_hr(S_OK, IClassFactory_LockServer(factory, FALSE));
    check_hr(S_FALSE, pDllCanUnloadNow());
    IClassFactory_Release(factory);
    check_hr(S_OK, pDllCanUnloadNow());
}

/* The topology loader's class object: IClassFactory only, no aggregation,
 * and a live loader or class object holds the module. */
static void test_loader_class(void)
{
    IClassFactory *factory;
    IMFTopoLoader *loader;
    IUnknown *unk, *out;
    HRESULT hr;

    out = (void *)0xdeadbeef;
    check_hr(E_NOINTERFACE, pDllGetClassObject(&CLSID_MFSessionTopoLoader, &IID_IMFSessionFactory, (void **)&out));
    ok(!out, "the loader's class object is no session factory");
    hr = pDllGetClassObject(&CLSID_MFSessionTopoLoader, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;
    check_hr(S_FALSE, pDllCanUnloadNow());
    out = (void *)0xdeadbeef;
    check_hr(CLASS_E_NOAGGREGATION, IClassFactory_CreateInstance(factory, (IUnknown *)factory, &IID_IUnknown,
            (void **)&out));
    ok(!out, "no aggregation, NULL object");
    check_hr(E_NOINTERFACE, IClassFactory_CreateInstance(factory, NULL, &IID_IMFMediaSession, (void **)&out));
    check_hr(S_OK, IClassFactory_CreateInstance(factory, NULL, &IID_IMFTopoLoader, (void **)&loader));
    IClassFactory_Release(factory);
    check_hr(S_FALSE, pDllCanUnloadNow());
    check_hr(S_OK, IMFTopoLoader_QueryInterface(loader, &IID_IUnknown, (void **)&unk));
    ok(unk == (IUnknown *)loader, "IUnknown is the loader itself");
    IUnknown_Release(unk);
    ok(IMFTopoLoader_Release(loader) == 0, "the last reference frees the loader");
    check_hr(S_OK, pDllCanUnloadNow());
}

/* A live session holds the module, whichever way it was created. */
static void test_session_lock(void)
{
    IMFSessionFactory *session_factory;
    IMFMediaSession *session = NULL;
    IClassFactory *factory;
    HRESULT hr;

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;
    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IMFMediaSession, (void **)&session);
    ok(hr == S_OK, "IClassFactory::CreateInstance(IID_IMFMediaSession) creates a session, hr %#lx", hr);
    IClassFactory_Release(factory);
    if (session)
    {
        check_hr(S_FALSE, pDllCanUnloadNow());
        check_hr(S_OK, IMFMediaSession_Shutdown(session));
        check_hr(S_FALSE, pDllCanUnloadNow());
        IMFMediaSession_Release(session);
        check_hr(S_OK, wait_can_unload());
    }

    hr = pDllGetClassObject(&CLSID_MFSession, &IID_IMFSessionFactory, (void **)&session_factory);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;
    session = NULL;
    hr = IMFSessionFactory_CreateSession(session_factory, NULL, &IID_IMFMediaSession, (void **)&session);
    ok(hr == S_OK, "IMFSessionFactory::CreateSession(NULL config) creates a session, hr %#lx", hr);
    IMFSessionFactory_Release(session_factory);
    if (session)
    {
        check_hr(S_FALSE, pDllCanUnloadNow());
        check_hr(S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
        check_hr(S_OK, wait_can_unload());
    }
}

static void check_create_session(IMFAttributes *config, const char *what)
{
    IMFMediaSession *session;
    HRESULT hr;

    hr = create_session_with(config, &session);
    ok(hr == S_OK, "CreateSession with %s succeeds, hr %#lx", what, hr);
    if (!session) return;
    check_hr(S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
}

static void test_create_session(void)
{
    IMFAttributes *config;
    HRESULT hr;

    check_create_session(NULL, "NULL config");

    hr = MFCreateAttributes(&config, 1);
    check_hr(S_OK, hr);
    if (FAILED(hr)) return;
    check_create_session(config, "an empty config");

    /* An unregistered topology loader must not fail creation. */
    check_hr(S_OK, IMFAttributes_SetGUID(config, &attr_session_topoloader, &unregistered_clsid));
    check_create_session(config, "MF_SESSION_TOPOLOADER = an unregistered CLSID");
    IMFAttributes_DeleteAllItems(config);

    /* GUID_NULL means no quality manager. */
    check_hr(S_OK, IMFAttributes_SetGUID(config, &attr_session_quality_manager, &GUID_NULL));
    check_create_session(config, "MF_SESSION_QUALITY_MANAGER = GUID_NULL");

    /* Unknown keys are ignored. */
    check_hr(S_OK, IMFAttributes_SetUINT32(config, &unregistered_clsid, 1));
    check_create_session(config, "an unknown key");
    IMFAttributes_Release(config);

    check_hr(S_OK, wait_can_unload());
}

START_TEST(factory)
{
    HMODULE module;
    HRESULT hr;

    hr = MFStartup(MF_VERSION, MFSTARTUP_FULL);
    check_hr(S_OK, hr);

    module = load_mfsession();
    ok(module != NULL, "mfsession.dll loads");
    if (!module) goto done;
    pDllGetClassObject = (void *)GetProcAddress(module, "DllGetClassObject");
    pDllCanUnloadNow = (void *)GetProcAddress(module, "DllCanUnloadNow");
    ok(pDllGetClassObject && pDllCanUnloadNow, "DllGetClassObject and DllCanUnloadNow are exported");
    if (!pDllGetClassObject || !pDllCanUnloadNow) goto done;

    test_get_class_object();
    test_query_interface();
    test_refcount();
    test_aggregation();
    test_unload();
    test_loader_class();
    test_session_lock();
    test_create_session();

done:
    if (SUCCEEDED(hr)) MFShutdown();
}
