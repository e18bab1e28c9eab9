/*
 * The test doubles, driven directly without a session: each check names the
 * behaviour of tests/doubles/doubles.h that the session's tests rely on.
 *
 * The "direct drive" (ddrive_play, tests/doubles/ddrive.c) plays a source
 * into a sink the way CONTRACT.md section 5 says the session does: source
 * Start; a system-time-source clock Start; each MEStreamSinkRequestSample
 * answered by one ProcessSample, fed by IMFMediaStream::RequestSample ->
 * MEMediaSample (through a transform when given); MEEndOfStream -> drain ->
 * PlaceMarker(ENDOFSEGMENT).  The tests here check what came out.
 *
 * The parts: the drive, the call log and the topology builder here; the
 * source, transforms, sink and activate, and every fault switch in
 * test_doubles_{source,mft,sink,faults}.c; shared helpers in test_doubles_util.c.
 */
#include "test_doubles.h"

/* ---- the direct drive (ddrive.c) ---------------------------------------------- */

/* Checks that stream i got samples 0..n-1 with the given durations' times. */
static void check_received(struct dsink *sink, unsigned i, unsigned n, LONGLONG step, LONGLONG last_duration)
{
    unsigned k, bad = ~0u;

    ok(dsink_received(sink, i) == n, "stream sink %u received %u samples (%u)", i, n, dsink_received(sink, i));
    for (k = 0; k < n && bad == ~0u; ++k)
    {
        LONGLONG duration = k + 1 == n ? last_duration : step;
        if (dsink_sample_time(sink, i, k) != (LONGLONG)k * step || dsink_sample_duration(sink, i, k) != duration)
            bad = k;
    }
    ok(bad == ~0u, "stream sink %u: every sample once, in order, with its time and duration (first bad %d: t=%lld)",
            i, (int)bad, bad == ~0u ? 0 : (long long)dsink_sample_time(sink, i, bad));
    ok(dsink_markers(sink, i) == 1, "stream sink %u got one end-of-segment marker", i);
    ok(!dsink_unrequested(sink, i), "stream sink %u got no sample it did not request", i);
}

static void test_drive_plain(BOOL eager)
{
    struct dsource_desc sd = source_desc(2, 10, eager);
    struct dsink_desc kd = sink_desc(2);
    struct dsource *src;
    struct dsink *sink;
    char error[128];
    unsigned i;
    HRESULT hr;
    int first;

    diag("direct drive, %s end of stream", eager ? "eager" : "lazy");
    dlog_clear();
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dsink_create(&kd, &sink));
    hr = ddrive_play(src, sink, NULL, TEST_TIMEOUT, error, sizeof(error));
    ok(hr == S_OK, "the presentation played to its end (hr %#lx: %s)", hr, error);
    ok(WaitForSingleObject(dsink_done_event(sink), 0) == WAIT_OBJECT_0, "the sink's done event is set");
    for (i = 0; i < 2; ++i)
    {
        check_received(sink, i, 10, DUR, DUR);
        ok(dsource_delivered(src, i) == 10, "stream %u delivered 10 samples (%u)", i, dsource_delivered(src, i));
    }
    ok(dlog_count("s0.RequestSample") == (eager ? 10 : 11), "%s end of stream: %d requests for 10 samples",
            eager ? "eager" : "lazy", dlog_count("s0.RequestSample"));
    first = dlog_find("src.Start(0)", 0);
    ok(first >= 0 && first < dlog_find("s0.RequestSample", 0) && dlog_find("s0.RequestSample", 0)
            < dlog_find("ss0.ProcessSample(t=0)", 0), "log: Start, then RequestSample, then ProcessSample");
    ok(dlog_find("ss1.PlaceMarker(ENDOFSEGMENT)", dlog_find("ss1.ProcessSample(t=900000)", 0)) > 0,
            "log: the marker follows the last sample");
    ok(dlog_find("sink.Shutdown", 0) > 0 && dlog_find("src.Shutdown", 0) > 0, "log: both shut down");
    ok(settle(source_rc, src, 1) == 1, "source refcount back to 1 (%ld)", dsource_refcount(src));
    ok(settle(sink_rc, sink, 1) == 1, "sink refcount back to 1 (%ld)", dsink_refcount(sink));
    for (i = 0; i < 2; ++i)
    {
        ok(dsource_stream_refcount(src, i) == 1, "stream %u refcount 1 (%ld)", i, dsource_stream_refcount(src, i));
        ok(dsink_stream_refcount(sink, i) == 1, "stream sink %u refcount 1 (%ld)", i, dsink_stream_refcount(sink, i));
    }
    if (FAILED(hr)) dlog_dump();
    dsource_release(src);
    dsink_release(sink);
}

static void test_drive_transforms(enum dmft_kind kind)
{
    struct dsource_desc sd = source_desc(2, 5, TRUE);
    struct dsink_desc kd = sink_desc(2);
    IMFTransform *mfts[2];
    struct dsource *src;
    struct dsink *sink;
    char error[128];
    unsigned i;
    HRESULT hr;

    diag("direct drive through %s transforms", kind == DMFT_PASSTHROUGH ? "pass-through" : "2:1");
    dlog_clear();
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dsink_create(&kd, &sink));
    ok_hr(S_OK, dmft_create(kind, &mfts[0]));
    ok_hr(S_OK, dmft_create(kind, &mfts[1]));
    hr = ddrive_play(src, sink, mfts, TEST_TIMEOUT, error, sizeof(error));
    ok(hr == S_OK, "the presentation played to its end (hr %#lx: %s)", hr, error);
    if (FAILED(hr)) dlog_dump();
    for (i = 0; i < 2; ++i)
    {
        if (kind == DMFT_PASSTHROUGH)
        {
            check_received(sink, i, 5, DUR, DUR);
            ok(dmft_inputs(mfts[i]) == 5 && dmft_outputs(mfts[i]) == 5, "mft%u: 5 in, 5 out", i);
        }
        else
        {
            /* 5 samples: (0,1) (2,3) and the lone 4 after the drain. */
            check_received(sink, i, 3, 2 * DUR, DUR);
            ok(dmft_inputs(mfts[i]) == 5 && dmft_outputs(mfts[i]) == 3, "mft%u: 5 in, 3 out (%u, %u)", i,
                    dmft_inputs(mfts[i]), dmft_outputs(mfts[i]));
        }
        ok(dmft_refcount(mfts[i]) == 1, "mft%u refcount 1 (%ld)", i, dmft_refcount(mfts[i]));
    }
    ok(dlog_find("mft0.ProcessMessage(NOTIFY_BEGIN_STREAMING)", 0) >= 0
            && dlog_find("mft0.ProcessMessage(DRAIN)", 0) > dlog_find("mft0.ProcessInput(t=400000)", 0),
            "log: mft0 begins streaming, and is drained after its last input");
    if (kind == DMFT_TWO_TO_ONE)
        ok(dlog_find("mft1.ProcessOutput(t=400000)", dlog_find("mft1.ProcessMessage(DRAIN)", 0)) > 0,
                "log: the drain brings out the lone last input");
    ok(settle(source_rc, src, 1) == 1 && settle(sink_rc, sink, 1) == 1, "source and sink refcounts back to 1");
    IMFTransform_Release(mfts[0]);
    IMFTransform_Release(mfts[1]);
    dsource_release(src);
    dsink_release(sink);
}

/* ---- call log and fault switches --------------------------------------------- */

static void test_log(void)
{
    char entry[64];

    dlog_clear();
    ok(dlog_size() == 0, "dlog_clear empties the log");
    dlog_add("a.X(%d)", 1);
    dlog_add("a.Y");
    dlog_add("b.X(1)");
    dlog_add("a.X(1)");
    ok(dlog_find("a.X(1)", 0) == 0 && dlog_find("a.X(1)", 1) == 3 && dlog_find("a.X", 0) == -1,
            "dlog_find: the first entry equal to the string at or after an index");
    ok(dlog_count("a.") == 3 && dlog_count("b.X") == 1 && dlog_count("") == 4, "dlog_count: entries by prefix");
    ok(dlog_entry(1, entry, sizeof(entry)) && !strcmp(entry, "a.Y") && !dlog_entry(4, entry, sizeof(entry)),
            "dlog_entry copies one entry");
    dlog_enable(FALSE);
    dlog_add("c");
    dlog_enable(TRUE);
    ok(dlog_size() == 4 && dlog_find("c", 0) < 0, "dlog_enable(FALSE): nothing is recorded");
    dlog_clear();
}

static void test_faults(void)
{
    struct dsource_desc sd = source_desc(1, 1, TRUE);
    IMFMediaSource *source;
    struct dsource *src;
    HRESULT hr[5];
    DWORD flags;
    unsigned k;

    dfault_reset();
    ok_hr(S_OK, dsource_create(&sd, &src));
    source = dsource_iface(src);
    ok(dfault_calls() == 0, "creating a double makes no switchable call");
    dfault_set(DCALL_SOURCE_GET_CHARACTERISTICS, CUSTOM_HR);
    hr[0] = IMFMediaSource_GetCharacteristics(source, &flags);
    hr[1] = IMFMediaSource_GetCharacteristics(source, &flags);
    ok(hr[0] == CUSTOM_HR && hr[1] == CUSTOM_HR, "dfault_set: every such call fails with the HRESULT");
    dfault_set(DCALL_SOURCE_GET_CHARACTERISTICS, S_OK);
    ok_hr(S_OK, IMFMediaSource_GetCharacteristics(source, &flags));
    ok(dfault_calls() == 3, "dfault_calls counts switchable calls (%ld)", dfault_calls());
    dfault_reset();
    ok(dfault_calls() == 0, "dfault_reset zeroes the count");
    dfault_fail_nth(3, E_FAIL);
    for (k = 0; k < 5; ++k) hr[k] = IMFMediaSource_GetCharacteristics(source, &flags);
    ok(hr[0] == S_OK && hr[1] == S_OK && hr[2] == E_FAIL && hr[3] == S_OK && hr[4] == S_OK,
            "dfault_fail_nth(3): the third call fails, once");
    dfault_fail_nth(1, CUSTOM_HR);
    ok_hr(CUSTOM_HR, IMFMediaSource_Stop(source));
    ok_hr(S_OK, IMFMediaSource_Stop(source));
    ok(dfault_calls() == 7, "the count spans every kind of call (%ld)", dfault_calls());
    dfault_reset();
    dsource_release(src);
}

/* ---- topologies ------------------------------------------------------------------- */

static IMFTopologyNode *downstream(IMFTopologyNode *node)
{
    IMFTopologyNode *next = NULL;
    DWORD input;
    IMFTopologyNode_GetOutput(node, 0, &next, &input);
    return next;
}

static IUnknown *node_object(IMFTopologyNode *node)
{
    IUnknown *object = NULL;
    if (node) IMFTopologyNode_GetObject(node, &object);
    if (object) IUnknown_Release(object); /* the node still holds it */
    return object;
}

static void test_topology(void)
{
    struct dsource_desc sd = source_desc(2, 1, TRUE);
    struct dsink_desc kd = sink_desc(2);
    IMFTopologyNode *node, *next, *out;
    IMFTransform *mfts[2] = {NULL};
    MF_TOPOLOGY_TYPE type;
    IMFActivate *activate;
    IMFTopology *topology;
    IUnknown *unk;
    struct dsource *src;
    struct dsink *k;
    LONG calls;
    WORD count, i;
    UINT32 id;
    int log;

    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dsink_create(&kd, &k));
    ok_hr(S_OK, dmft_create(DMFT_PASSTHROUGH, &mfts[0]));
    calls = dfault_calls();
    log = dlog_size();
    ok_hr(S_OK, dtopology_build(src, k, mfts, NULL, &topology));
    ok(dfault_calls() == calls && dlog_size() == log, "building calls no method of the doubles");
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 5, "2 source nodes, 1 transform node, 2 output nodes (%u)", count);
    for (i = 0; i < count; ++i)
    {
        IMFTopology_GetNode(topology, i, &node);
        IMFTopologyNode_GetNodeType(node, &type);
        if (type == MF_TOPOLOGY_SOURCESTREAM_NODE)
        {
            IMFStreamDescriptor *stream_desc;
            DWORD stream;

            ok_hr(S_OK, IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_SOURCE, &IID_IUnknown, (void **)&unk));
            ok(unk == (IUnknown *)dsource_iface(src), "MF_TOPONODE_SOURCE is the source");
            IUnknown_Release(unk);
            ok_hr(S_OK, IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, &IID_IUnknown,
                    (void **)&unk));
            IUnknown_Release(unk);
            ok_hr(S_OK, IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, &IID_IMFStreamDescriptor,
                    (void **)&stream_desc));
            IMFStreamDescriptor_GetStreamIdentifier(stream_desc, &stream);
            IMFStreamDescriptor_Release(stream_desc);
            next = downstream(node);
            if (stream == 0)
            {
                ok(node_object(next) == (IUnknown *)mfts[0], "stream 0 goes through the transform");
                out = downstream(next);
                IMFTopologyNode_Release(next);
                next = out;
            }
            ok(node_object(next) == (IUnknown *)dsink_stream(k, stream), "stream %lu ends in stream sink %lu",
                    stream, stream);
            if (next) IMFTopologyNode_Release(next);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_Release(topology);

    ok_hr(S_OK, dactivate_create(k, &activate));
    ok_hr(S_OK, dtopology_build(src, NULL, NULL, activate, &topology));
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 4, "without transforms: 4 nodes");
    for (i = 0; i < count; ++i)
    {
        IMFTopology_GetNode(topology, i, &node);
        IMFTopologyNode_GetNodeType(node, &type);
        if (type == MF_TOPOLOGY_OUTPUT_NODE)
        {
            ok(node_object(node) == (IUnknown *)activate, "the output node holds the activate");
            ok(SUCCEEDED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_STREAMID, &id)) && id < 2,
                    "MF_TOPONODE_STREAMID %u", id);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_Release(topology);
    IMFActivate_Release(activate);
    ok(dsource_refcount(src) == 1 && dsink_refcount(k) == 1 && dmft_refcount(mfts[0]) == 1
            && dsink_stream_refcount(k, 0) == 1, "the topologies released everything");
    dsource_release(src);

    sd.deselect_stream1 = TRUE;
    ok_hr(S_OK, dsource_create(&sd, &src));
    ok_hr(S_OK, dtopology_build(src, k, NULL, NULL, &topology));
    IMFTopology_GetNodeCount(topology, &count);
    ok(count == 2, "a deselected stream gets no branch (%u)", count);
    IMFTopology_Release(topology);
    dsource_release(src);
    dsink_release(k);
    IMFTransform_Release(mfts[0]);
}

START_TEST(test_doubles)
{
    ok_hr(S_OK, MFStartup(MF_VERSION, MFSTARTUP_FULL));
    test_log();
    test_faults();
    test_source_start_stop();
    test_source_seek_pause();
    test_source_end_of_stream();
    test_source_rate();
    test_mft_units();
    test_sink_basics();
    test_sink_preroll_finalize();
    test_sink_time_source();
    test_activate();
    test_topology();
    test_fault_switches();
    test_drive_plain(TRUE);
    test_drive_plain(FALSE);
    test_drive_transforms(DMFT_PASSTHROUGH);
    test_drive_transforms(DMFT_TWO_TO_ONE);
    test_drive_failures();
    dfault_reset();
    MFShutdown();
}
