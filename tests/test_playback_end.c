/*
 * A source that says MF_E_END_OF_STREAM from RequestSample while samples it
 * owes are still on their way (Wine's WAV source, once its last sample is
 * queued): the end reaches the sink after those samples, never before them.
 * Part of test_playback.
 */
#include "common.h"
#include "doubles.h"
#include <stdio.h>
#include <string.h>

#define END_SAMPLES 3     /* fewer than the sink's 4 requests at once: the 4th is refused */

void test_end_after_owed_samples(void);

/* The last call-log entry that starts with `prefix`, -1 if none. */
static int log_find_last(const char *prefix)
{
    char entry[256];
    int i, found = -1, size = dlog_size();

    for (i = 0; i < size; ++i)
        if (dlog_entry(i, entry, sizeof(entry)) && !strncmp(entry, prefix, strlen(prefix))) found = i;
    return found;
}

void test_end_after_owed_samples(void)
{
    const char *label = "end after owed samples";
    struct dsource_desc src_desc = {0};
    struct dsink_desc sink_desc = {0};
    struct dsource *src = NULL;
    struct dsink *sink = NULL;
    IMFTopology *topology = NULL;
    IMFMediaSession *session;
    struct event_waiter *w;
    HRESULT status = E_FAIL;
    int last_sample, marker;
    BOOL got;

    dlog_clear();
    dfault_reset();
    src_desc.stream_count = 1;
    src_desc.samples_per_stream = END_SAMPLES;
    src_desc.sample_duration = 100000;
    src_desc.sample_bytes = 4;
    src_desc.seekable = src_desc.can_pause = TRUE;
    src_desc.eager_end_of_stream = TRUE;
    src_desc.async_samples = TRUE;
    src_desc.end_when_spoken_for = TRUE;
    sink_desc.stream_count = 1;
    sink_desc.request_depth = 4;
    sink_desc.rateless = TRUE;
    sink_desc.keep_samples = TRUE;
    ok_hr(S_OK, dsource_create(&src_desc, &src));
    ok_hr(S_OK, dsink_create(&sink_desc, &sink));
    if (!src || !sink || !(session = create_session())) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    ok_hr(S_OK, dtopology_build(src, sink, NULL, NULL, &topology));
    ok_hr(S_OK, IMFMediaSession_SetTopology(session, 0, topology));
    got = event_waiter_wait_for(w, MESessionTopologySet, TEST_TIMEOUT, &status, NULL);
    ok(got && status == S_OK, "[%s] MESessionTopologySet (%#lx)", label, (unsigned long)status);
    ok_hr(S_OK, start_at(session, 0));
    got = event_waiter_wait_for(w, MESessionEnded, TEST_TIMEOUT, &status, NULL);
    ok(got && status == S_OK, "[%s] MESessionEnded (%#lx)", label, (unsigned long)status);

    ok(dlog_count("s0.RequestSample refused") >= 1, "[%s] the source said the end while samples were on their way "
            "(%d refusals)", label, dlog_count("s0.RequestSample refused"));
    ok(dsink_received(sink, 0) == END_SAMPLES, "[%s] the sink got all %u samples: %u", label, END_SAMPLES,
            dsink_received(sink, 0));
    last_sample = log_find_last("ss0.ProcessSample(");
    marker = log_find_last("ss0.PlaceMarker(");
    if (!ok(last_sample >= 0 && marker > last_sample,
            "[%s] the end-of-segment marker comes after the last sample (sample %d, marker %d)", label,
            last_sample, marker))
        dlog_dump();
    ok(dsink_markers(sink, 0) == 1, "[%s] one marker, got %u", label, dsink_markers(sink, 0));
    ok(dsink_sample_time(sink, 0, END_SAMPLES - 1) == (END_SAMPLES - 1) * 100000,
            "[%s] the last sample is the source's last: %lld", label,
            (long long)dsink_sample_time(sink, 0, END_SAMPLES - 1));

    ok_hr(S_OK, IMFMediaSession_Close(session));
    got = event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, &status, NULL);
    ok(got && status == S_OK, "[%s] MESessionClosed (%#lx)", label, (unsigned long)status);
    ok_hr(S_OK, IMFMediaSession_Shutdown(session));
    event_waiter_destroy(w);
    IMFMediaSession_Release(session);
    IMFTopology_Release(topology);
    IMFMediaSource_Shutdown(dsource_iface(src));
    dsource_release(src);
    dsink_release(sink);
}
