/*
 * A source that says MF_E_END_OF_STREAM from RequestSample while samples it
 * owes are still on their way (Wine's WAV source, once its last sample is
 * queued): the end reaches the sink after those samples, never before them.
 * Part of test_playback.
 */
#include "test_playback_solo.h"
#include <stdio.h>

#define END_SAMPLES 3     /* fewer than the sink's 4 requests at once: the 4th is refused */

void test_end_after_owed_samples(void);

void test_end_after_owed_samples(void)
{
    const char *label = "end after owed samples";
    struct dsource_desc src_desc = {0};
    struct dsink_desc sink_desc = {0};
    HRESULT status = E_FAIL;
    int last_sample, marker;
    struct solo s;
    BOOL got;

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
    if (solo_begin(&s, &src_desc, &sink_desc, label) && solo_start(&s, 0, label))
    {
        got = event_waiter_wait_for(s.w, MESessionEnded, TEST_TIMEOUT, &status, NULL);
        ok(got && status == S_OK, "[%s] MESessionEnded (%#lx)", label, (unsigned long)status);
        ok(dlog_count("s0.RequestSample refused") >= 1, "[%s] the source said the end while samples were on "
                "their way (%d refusals)", label, dlog_count("s0.RequestSample refused"));
        ok(dsink_received(s.sink, 0) == END_SAMPLES, "[%s] the sink got all %u samples: %u", label, END_SAMPLES,
                dsink_received(s.sink, 0));
        last_sample = log_find_prefix("ss0.ProcessSample(", -1);
        marker = log_find_prefix("ss0.PlaceMarker(", -1);
        if (!ok(last_sample >= 0 && marker > last_sample,
                "[%s] the end-of-segment marker comes after the last sample (sample %d, marker %d)", label,
                last_sample, marker))
            dlog_dump();
        ok(dsink_markers(s.sink, 0) == 1, "[%s] one marker, got %u", label, dsink_markers(s.sink, 0));
        ok(dsink_sample_time(s.sink, 0, END_SAMPLES - 1) == (END_SAMPLES - 1) * 100000,
                "[%s] the last sample is the source's last: %lld", label,
                (long long)dsink_sample_time(s.sink, 0, END_SAMPLES - 1));
    }
    solo_end(&s, label);
}
