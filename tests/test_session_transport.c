/*
 * test_session: transport commands without a topology, and SetTopology's
 * synchronous argument and structural checks (CONTRACT.md sections 1 and 2).
 */
#include "test_session.h"

/* ---------------------------------------------------------------------------
 * Transport commands without a topology: each returns S_OK and completes with
 * its own event, in call order, carrying the failure as its status.
 */
void test_transport_without_topology(void)
{
    IMFMediaSession *session;
    struct event_waiter *w;
    PROPVARIANT pos;

    if (!(session = create_session())) return;
    w = waiter_for(session);

    expect_no_event(session, "[3] GetEvent(NO_WAIT) on a new session gives MF_E_NO_EVENTS_AVAILABLE");

    /* Argument checks are synchronous and queue nothing. */
    expect_hr("[2 Start] NULL position gives E_POINTER (GUID_NULL format)", E_POINTER,
            IMFMediaSession_Start(session, &GUID_NULL, NULL));
    expect_hr("[2 Start] NULL position gives E_POINTER (NULL format)", E_POINTER,
            IMFMediaSession_Start(session, NULL, NULL));

    expect_hr("[1] Start is queued and returns S_OK", S_OK, start_empty(session));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST,
            "[2 Start] no topology: MESessionStarted with status MF_E_INVALIDREQUEST");

    PropVariantInit(&pos);
    expect_hr("[2 Start] NULL format means GUID_NULL: S_OK", S_OK, IMFMediaSession_Start(session, NULL, &pos));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST,
            "[2 Start] no topology, NULL format: MESessionStarted with status MF_E_INVALIDREQUEST");

    pos.vt = VT_I8;
    pos.hVal.QuadPart = 10000000;
    expect_hr("[2 Start] VT_I8 position: S_OK", S_OK, IMFMediaSession_Start(session, &GUID_NULL, &pos));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST,
            "[2 Start] no topology, VT_I8 position: MESessionStarted with status MF_E_INVALIDREQUEST");

    expect_hr("[1] Pause is queued and returns S_OK", S_OK, IMFMediaSession_Pause(session));
    expect_event(w, MESessionPaused, MF_E_INVALIDREQUEST,
            "[2 Pause] no topology: MESessionPaused with status MF_E_INVALIDREQUEST");

    expect_hr("[1] Stop is queued and returns S_OK", S_OK, IMFMediaSession_Stop(session));
    expect_event(w, MESessionStopped, MF_E_INVALIDREQUEST,
            "[2 Stop] no topology: MESessionStopped with status MF_E_INVALIDREQUEST");

    expect_hr("[1] ClearTopologies is queued and returns S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_event(w, MESessionTopologiesCleared, S_OK, "[2 ClearTopologies] MESessionTopologiesCleared(S_OK)");
    expect_hr("[2 ClearTopologies] may be repeated: S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_event(w, MESessionTopologiesCleared, S_OK,
            "[2 ClearTopologies] repeated: MESessionTopologiesCleared(S_OK)");

    /* Back to back: completions come strictly in call order. */
    expect_hr("[1] Stop back to back: S_OK", S_OK, IMFMediaSession_Stop(session));
    expect_hr("[1] Start back to back: S_OK", S_OK, start_empty(session));
    expect_hr("[1] ClearTopologies back to back: S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_hr("[1] Pause back to back: S_OK", S_OK, IMFMediaSession_Pause(session));
    expect_hr("[1] Start back to back: S_OK", S_OK, start_empty(session));
    expect_event(w, MESessionStopped, MF_E_INVALIDREQUEST, "[1] commands complete in call order (1: Stop)");
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[1] commands complete in call order (2: Start)");
    expect_event(w, MESessionTopologiesCleared, S_OK, "[1] commands complete in call order (3: ClearTopologies)");
    expect_event(w, MESessionPaused, MF_E_INVALIDREQUEST, "[1] commands complete in call order (4: Pause)");
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[1] commands complete in call order (5: Start)");

    /* A failed command leaves no error behind: nothing else was queued. */
    Sleep(100);
    expect_no_event(session, "[1] a failed command reports its failure in its own completion event: nothing else (no MEError) is queued");

    close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
}

/* ---------------------------------------------------------------------------
 * A minimal media source: only its identity and its refcount matter.  The
 * session must not call into it for the synchronous topology checks, but every
 * method answers sensibly if it does.
 */
struct fake_source
{
    IMFMediaSource IMFMediaSource_iface;
    LONG refcount;
};

static struct fake_source *impl_from_source(IMFMediaSource *iface)
{
    return CONTAINING_RECORD(iface, struct fake_source, IMFMediaSource_iface);
}

static HRESULT WINAPI fake_source_QueryInterface(IMFMediaSource *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFMediaSource) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFMediaSource_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI fake_source_AddRef(IMFMediaSource *iface)
{
    return InterlockedIncrement(&impl_from_source(iface)->refcount);
}

static ULONG WINAPI fake_source_Release(IMFMediaSource *iface)
{
    /* Freed by the test, which needs the count after the session let go. */
    return InterlockedDecrement(&impl_from_source(iface)->refcount);
}

static HRESULT WINAPI fake_source_GetEvent(IMFMediaSource *iface, DWORD flags, IMFMediaEvent **event)
{
    if (event) *event = NULL;
    return MF_E_NO_EVENTS_AVAILABLE;
}

static HRESULT WINAPI fake_source_BeginGetEvent(IMFMediaSource *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_EndGetEvent(IMFMediaSource *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    if (event) *event = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_QueueEvent(IMFMediaSource *iface, MediaEventType type, REFGUID ext_type,
        HRESULT hr, const PROPVARIANT *value)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_GetCharacteristics(IMFMediaSource *iface, DWORD *flags)
{
    *flags = 0;
    return S_OK;
}

static HRESULT WINAPI fake_source_CreatePresentationDescriptor(IMFMediaSource *iface, IMFPresentationDescriptor **pd)
{
    *pd = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Start(IMFMediaSource *iface, IMFPresentationDescriptor *pd, const GUID *format,
        const PROPVARIANT *pos)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Stop(IMFMediaSource *iface)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Pause(IMFMediaSource *iface)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_source_Shutdown(IMFMediaSource *iface)
{
    return S_OK;
}

static const IMFMediaSourceVtbl fake_source_vtbl =
{
    fake_source_QueryInterface, fake_source_AddRef, fake_source_Release,
    fake_source_GetEvent, fake_source_BeginGetEvent, fake_source_EndGetEvent, fake_source_QueueEvent,
    fake_source_GetCharacteristics, fake_source_CreatePresentationDescriptor,
    fake_source_Start, fake_source_Stop, fake_source_Pause, fake_source_Shutdown,
};

/* ---------------------------------------------------------------------------
 * SetTopology: argument and structural checks are synchronous.
 */
static HRESULT make_stream_descriptor(IMFStreamDescriptor **sd)
{
    IMFMediaType *type;
    HRESULT hr;

    if (FAILED(hr = MFCreateMediaType(&type))) return hr;
    IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Audio);
    IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, &MFAudioFormat_PCM);
    hr = MFCreateStreamDescriptor(1, 1, &type, sd);
    IMFMediaType_Release(type);
    return hr;
}

/* A topology holding one source-stream node with the given attributes (NULL: left out). */
static IMFTopology *make_source_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd,
        IMFStreamDescriptor *sd, IMFTopologyNode **out_node)
{
    IMFTopologyNode *node;
    IMFTopology *topology;

    *out_node = NULL;
    if (FAILED(MFCreateTopology(&topology))) return NULL;
    if (FAILED(MFCreateTopologyNode(MF_TOPOLOGY_SOURCESTREAM_NODE, &node)))
    {
        IMFTopology_Release(topology);
        return NULL;
    }
    if (source) IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_SOURCE, (IUnknown *)source);
    if (pd) IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd);
    if (sd) IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd);
    IMFTopology_AddNode(topology, node);
    *out_node = node;
    return topology;
}

/* SetTopology fails synchronously with `expected`, and queues nothing: the
 * next completion is the ClearTopologies queued after it. */
static void check_rejected_topology(IMFMediaSession *session, struct event_waiter *w, IMFTopology *topology,
        HRESULT expected, const char *rule)
{
    char msg[300];
    HRESULT hr;

    hr = IMFMediaSession_SetTopology(session, 0, topology);
    ok(hr == expected, "%s: expected %#lx, got %#lx", rule, (unsigned long)expected, (unsigned long)hr);
    expect_hr("[2 ClearTopologies] S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    snprintf(msg, sizeof(msg), "%s: a rejected SetTopology queues nothing (next event is the ClearTopologies after it)", rule);
    expect_event(w, MESessionTopologiesCleared, S_OK, msg);
}

void test_set_topology_checks(void)
{
    static const struct { HRESULT hr; const char *rule; } missing[] =
    {
        {MF_E_TOPO_MISSING_SOURCE,
                "[2 SetTopology] a source node without MF_TOPONODE_SOURCE gives MF_E_TOPO_MISSING_SOURCE"},
        {MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR,
                "[2 SetTopology] a source node without MF_TOPONODE_PRESENTATION_DESCRIPTOR gives "
                "MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR"},
        {MF_E_TOPO_MISSING_STREAM_DESCRIPTOR,
                "[2 SetTopology] a source node without MF_TOPONODE_STREAM_DESCRIPTOR gives "
                "MF_E_TOPO_MISSING_STREAM_DESCRIPTOR"},
    };
    struct fake_source source = {{&fake_source_vtbl}, 1};
    IMFPresentationDescriptor *pd = NULL, *pd_deselected = NULL;
    ULONG topology_ref, node_ref, pd_ref, sd_ref;
    IMFStreamDescriptor *sd = NULL;
    IMFMediaSession *session;
    IMFTopology *topology;
    IMFTopologyNode *node;
    struct event_waiter *w;
    IMFMediaEvent *event;
    IMFTopology *empty, *no_nodes = NULL;
    ULONG no_nodes_ref = 0;
    PROPVARIANT value;
    HRESULT hr, status;
    unsigned i;

    if (!(session = create_session())) return;
    w = waiter_for(session);

    expect_hr("[1] SetTopology(0, NULL) gives E_POINTER", E_POINTER, IMFMediaSession_SetTopology(session, 0, NULL));

    if (SUCCEEDED(MFCreateTopology(&no_nodes)))
    {
        no_nodes_ref = get_refcount(no_nodes);
        check_rejected_topology(session, w, no_nodes, E_INVALIDARG,
                "[2 SetTopology] a topology with no nodes gives E_INVALIDARG");
    }

    /* CLEAR_CURRENT with nothing current: completes with an empty value. */
    expect_hr("[2 SetTopology] CLEAR_CURRENT with NULL: S_OK", S_OK,
            IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL));
    hr = event_waiter_next(w, TEST_TIMEOUT, &event);
    if (ok(hr == S_OK && event, "[2 SetTopology] CLEAR_CURRENT: MESessionTopologySet arrives within %u ms (hr %#lx)",
            TEST_TIMEOUT, (unsigned long)hr))
    {
        MediaEventType type = MEUnknown;
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_GetStatus(event, &status);
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(type == MESessionTopologySet, "[2 SetTopology] CLEAR_CURRENT completes with MESessionTopologySet, got %s",
                event_name(type));
        ok(status == S_OK, "[2 SetTopology] CLEAR_CURRENT with nothing current: status S_OK, got %#lx",
                (unsigned long)status);
        ok(value.vt == VT_EMPTY, "[2 SetTopology] CLEAR_CURRENT with nothing current: value VT_EMPTY, got vt %u",
                value.vt);
        PropVariantClear(&value);
        IMFMediaEvent_Release(event);
    }

    /* Structural checks on a source-stream node (observed, synchronous). */
    if (FAILED(hr = make_stream_descriptor(&sd))
            || FAILED(hr = MFCreatePresentationDescriptor(1, &sd, &pd))
            || FAILED(hr = MFCreatePresentationDescriptor(1, &sd, &pd_deselected)))
    {
        ok(0, "creating descriptors failed, hr %#lx", (unsigned long)hr);
        goto done;
    }
    IMFPresentationDescriptor_SelectStream(pd, 0);
    IMFPresentationDescriptor_DeselectStream(pd_deselected, 0);

    /* A source node missing one of its three attributes. */
    for (i = 0; i < ARRAYSIZE(missing); ++i)
    {
        if (!(topology = make_source_topology(i == 0 ? NULL : &source.IMFMediaSource_iface, i == 1 ? NULL : pd,
                i == 2 ? NULL : sd, &node)))
            continue;
        check_rejected_topology(session, w, topology, missing[i].hr, missing[i].rule);
        IMFTopologyNode_Release(node);
        IMFTopology_Release(topology);
    }
    if ((topology = make_source_topology(&source.IMFMediaSource_iface, pd_deselected, sd, &node)))
    {
        topology_ref = get_refcount(topology);
        node_ref = get_refcount(node);
        pd_ref = get_refcount(pd_deselected);
        sd_ref = get_refcount(sd);
        check_rejected_topology(session, w, topology, MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED,
                "[2 SetTopology] a deselected stream descriptor gives MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED");
        hr = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &empty);
        expect_hr("[2 SetTopology] a rejected topology does not become current", MF_E_INVALIDREQUEST, hr);
        if (SUCCEEDED(hr)) IMFTopology_Release(empty);

        close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
        event_waiter_destroy(w);
        w = NULL;
        expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
        session = NULL;

        settled_refcount(topology, topology_ref);
        settled_refcount(node, node_ref);
        settled_refcount(pd_deselected, pd_ref);
        settled_refcount(sd, sd_ref);
        ok(get_refcount(topology) == topology_ref && get_refcount(node) == node_ref,
                "[2 Shutdown] the rejected topology and its node are not referenced after Shutdown and Release "
                "(topology %lu -> %lu, node %lu -> %lu)", (unsigned long)topology_ref,
                (unsigned long)get_refcount(topology), (unsigned long)node_ref, (unsigned long)get_refcount(node));
        ok(get_refcount(pd_deselected) == pd_ref && get_refcount(sd) == sd_ref,
                "[2 Shutdown] the descriptors are not referenced after Shutdown and Release "
                "(pd %lu -> %lu, sd %lu -> %lu)", (unsigned long)pd_ref, (unsigned long)get_refcount(pd_deselected),
                (unsigned long)sd_ref, (unsigned long)get_refcount(sd));
        IMFTopologyNode_Release(node);
        IMFTopology_Release(topology);
    }

done:
    if (w)
    {
        close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
        event_waiter_destroy(w);
    }
    if (session)
    {
        expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
        IMFMediaSession_Release(session);
    }
    if (no_nodes)
    {
        ok(settled_refcount(no_nodes, no_nodes_ref) == no_nodes_ref,
                "[2 Shutdown] the rejected empty topology is not referenced after Shutdown and Release: "
                "refcount %lu before, %lu after", (unsigned long)no_nodes_ref, (unsigned long)get_refcount(no_nodes));
        IMFTopology_Release(no_nodes);
    }
    settled_refcount(&source.IMFMediaSource_iface, 1);
    ok(source.refcount == 1, "[2 Shutdown] the media source is not referenced after Shutdown and Release: refcount %ld",
            source.refcount);
    if (pd_deselected) IMFPresentationDescriptor_Release(pd_deselected);
    if (pd) IMFPresentationDescriptor_Release(pd);
    if (sd) IMFStreamDescriptor_Release(sd);
}
