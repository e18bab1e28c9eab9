/*
 * test_loader_session: our loader through the session.
 *
 * The session uses our loader unless MF_SESSION_TOPOLOADER names another:
 * the source -> tee -> two sinks topology (set with flags 0) resolves and
 * plays both branches to the end with the default and with
 * CLSID_MFSessionTopoLoader; CLSID_MFSessionPlatformTopoLoader gives the
 * platform's (Wine's refuses the tee, issue 13); any other CLSID is created
 * with CoCreateInstance and its Load is the one called (a loader class
 * registered in this process, CoRegisterClassObject).  The registry switch
 * (UsePlatformLoader) is test_register's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_loader_rig.h"
#include "doubles.h"

/* ---- through the session: source -> tee -> two sinks, resolved (flags 0) ---- */

/* Plays the tee topology through a session made with `config`; the status
 * of MESessionTopologySet is returned, and when it is S_OK both branches
 * must play all samples to MESessionEnded. */
static HRESULT play_tee(IMFAttributes *config, const char *what)
{
    struct dsource_desc src_desc = {1, 20, 100000, 4, TRUE, TRUE, TRUE};
    struct dsink_desc sink_desc = {2};
    struct event_waiter *waiter;
    IMFMediaSession *session;
    IMFTopology *topology;
    struct dsource *src;
    struct dsink *sink;
    HRESULT status = E_FAIL, hr;

    if (FAILED(dsource_create(&src_desc, &src)) || FAILED(dsink_create(&sink_desc, &sink)))
    {
        ok(0, "%s: doubles created", what);
        return E_FAIL;
    }
    if (FAILED(hr = create_session_with(config, &session)))
    {
        ok(0, "%s: session created (%#lx)", what, (unsigned long)hr);
        return hr;
    }
    waiter = event_waiter_create((IMFMediaEventGenerator *)session);
    topology = rig_session_tee(src, sink);
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, topology));
    if (!event_waiter_wait_for(waiter, MESessionTopologySet, TEST_TIMEOUT, &status, NULL))
        ok(0, "%s: MESessionTopologySet within %u ms", what, TEST_TIMEOUT);
    else if (SUCCEEDED(status))
    {
        HRESULT started = E_FAIL, ended = E_FAIL;

        BOOL got;

        ok_hr(S_OK, start_at(session, 0));
        got = event_waiter_wait_for(waiter, MESessionStarted, TEST_TIMEOUT, &started, NULL);
        ok(got && started == S_OK, "%s: started (%#lx)", what, (unsigned long)started);
        got = event_waiter_wait_for(waiter, MESessionEnded, 10000, &ended, NULL);
        ok(got && ended == S_OK, "%s: MESessionEnded (%#lx)", what, (unsigned long)ended);
        ok(dsink_received(sink, 0) == 20 && dsink_received(sink, 1) == 20,
                "%s: both branches got all 20 samples (%u, %u)", what, dsink_received(sink, 0), dsink_received(sink, 1));
        ok(dsink_markers(sink, 0) == 1 && dsink_markers(sink, 1) == 1, "%s: both branches ended", what);
    }
    ok_hr(S_OK, IMFMediaSession_Close(session));
    ok(event_waiter_wait_for(waiter, MESessionClosed, TEST_TIMEOUT, &hr, NULL), "%s: closed", what);
    event_waiter_destroy(waiter);
    rig_session_done(session, topology, src, sink);
    return status;
}

static void test_session_tee(void)
{
    IMFAttributes *config;
    HRESULT hr;

    /* The session's default loader is ours: the tee resolves and plays. */
    ok_hr(S_OK, play_tee(NULL, "default loader"));
    MFCreateAttributes(&config, 1);
    IMFAttributes_SetGUID(config, &MF_SESSION_TOPOLOADER, &CLSID_MFSessionTopoLoader);
    ok_hr(S_OK, play_tee(config, "MF_SESSION_TOPOLOADER = ours"));
    /* The platform's loader stays selectable; Wine's fails this topology (issue 13). */
    IMFAttributes_SetGUID(config, &MF_SESSION_TOPOLOADER, &CLSID_MFSessionPlatformTopoLoader);
    hr = play_tee(config, "MF_SESSION_TOPOLOADER = the platform's");
    if (SUCCEEDED(hr)) diag("the platform's loader resolved the tee");
    else diag("the platform's loader refused the tee with %#lx", (unsigned long)hr);
    ok(hr == S_OK || hr == MF_E_TOPO_CODEC_NOT_FOUND, "the platform's loader was used (%#lx)", (unsigned long)hr);
    IMFAttributes_Release(config);
}

/* ---- a third-party loader: counts its Load calls, resolves with ours ---- */

static const GUID CLSID_test_loader = {0x2d0c8f37, 0x6a4e, 0x4e0d, {0x8f, 0x1b, 0x50, 0x7a, 0x33, 0xc1, 0x9e, 0x42}};

static LONG third_party_loads;

struct counting_loader
{
    IMFTopoLoader IMFTopoLoader_iface;
    LONG refcount;
    IMFTopoLoader *inner;
};

static struct counting_loader *impl_from_IMFTopoLoader(IMFTopoLoader *iface)
{
    return CONTAINING_RECORD(iface, struct counting_loader, IMFTopoLoader_iface);
}

static HRESULT WINAPI counting_QueryInterface(IMFTopoLoader *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFTopoLoader) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFTopoLoader_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI counting_AddRef(IMFTopoLoader *iface)
{
    return InterlockedIncrement(&impl_from_IMFTopoLoader(iface)->refcount);
}
static ULONG WINAPI counting_Release(IMFTopoLoader *iface)
{
    struct counting_loader *l = impl_from_IMFTopoLoader(iface);
    ULONG refcount = InterlockedDecrement(&l->refcount);

    if (!refcount)
    {
        IMFTopoLoader_Release(l->inner);
        free(l);
    }
    return refcount;
}
static HRESULT WINAPI counting_Load(IMFTopoLoader *iface, IMFTopology *input, IMFTopology **output,
        IMFTopology *current)
{
    InterlockedIncrement(&third_party_loads);
    return IMFTopoLoader_Load(impl_from_IMFTopoLoader(iface)->inner, input, output, current);
}
static const IMFTopoLoaderVtbl counting_vtbl = {counting_QueryInterface, counting_AddRef, counting_Release, counting_Load};

static HRESULT create_counting_loader(struct rig_factory *factory, REFIID riid, void **out)
{
    struct counting_loader *l;
    HRESULT hr;

    if (!(l = calloc(1, sizeof(*l)))) return E_OUTOFMEMORY;
    if (!(l->inner = rig_our_loader()))
    {
        free(l);
        return E_FAIL;
    }
    l->IMFTopoLoader_iface.lpVtbl = &counting_vtbl;
    l->refcount = 1;
    hr = IMFTopoLoader_QueryInterface(&l->IMFTopoLoader_iface, riid, out);
    IMFTopoLoader_Release(&l->IMFTopoLoader_iface);
    return hr;
}

static void test_third_party_loader(void)
{
    struct rig_factory factory;
    IMFAttributes *config;

    rig_factory_init(&factory, create_counting_loader);
    ok_hr(S_OK, CoRegisterClassObject(&CLSID_test_loader, (IUnknown *)&factory.IClassFactory_iface,
            CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &factory.cookie));
    MFCreateAttributes(&config, 1);
    IMFAttributes_SetGUID(config, &MF_SESSION_TOPOLOADER, &CLSID_test_loader);
    ok_hr(S_OK, play_tee(config, "MF_SESSION_TOPOLOADER = a third-party loader"));
    ok(third_party_loads >= 1, "the session resolved with the loader MF_SESSION_TOPOLOADER names (%ld Load calls)",
            third_party_loads);
    if (factory.cookie) CoRevokeClassObject(factory.cookie);
    IMFAttributes_Release(config);
}

START_TEST(loader_session)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    harness_watchdog(60000);
    RUN(test_session_tee);
    RUN(test_third_party_loader);
    MFShutdown();
    CoUninitialize();
}
