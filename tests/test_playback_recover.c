/*
 * A seek whose stream sink asks for nothing afterwards (Wine's sample
 * grabber drops what it holds on Flush and asks again only from stopped):
 * the session restarts the clock from stopped where it is, and it starts it
 * only once the sink said MEStreamSinkStopped (a clock that tells its sinks
 * asynchronously could otherwise deliver the start before the stop).  Part
 * of test_playback.
 */
#include "test_playback_solo.h"
#include <stdio.h>

#define RECOVER_DURATION 100000     /* 10 ms samples */
#define RECOVER_LIMIT 10            /* the sink asks for this many, then for this many after the restart */
#define RECOVER_SEEK 5000000        /* 0.5 s */
#define RECOVER_STOP_DELAY 100      /* ms between OnClockStop and the sink's MEStreamSinkStopped */

void test_seek_recover(void);

static BOOL wait_received(struct dsink *sink, unsigned count, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    while (dsink_received(sink, 0) < count)
    {
        if (GetTickCount() - start > timeout_ms) return FALSE;
        Sleep(10);
    }
    return TRUE;
}

void test_seek_recover(void)
{
    const char *label = "seek recover";
    struct dsource_desc src_desc = {0};
    struct dsink_desc sink_desc = {0};
    int from, stop, stopped, restart;
    struct solo s;
    BOOL got;

    src_desc.stream_count = 1;
    src_desc.samples_per_stream = 1000;
    src_desc.sample_duration = RECOVER_DURATION;
    src_desc.sample_bytes = 4;
    src_desc.seekable = src_desc.can_pause = TRUE;
    src_desc.eager_end_of_stream = TRUE;
    sink_desc.stream_count = 1;
    sink_desc.request_depth = 2;
    sink_desc.request_limit = RECOVER_LIMIT;
    sink_desc.keep_samples = TRUE;
    sink_desc.flush_forgets = TRUE;
    sink_desc.stop_event_delay_ms = RECOVER_STOP_DELAY;
    if (!solo_begin(&s, &src_desc, &sink_desc, label) || !solo_start(&s, 0, label))
    {
        solo_end(&s, label);
        return;
    }
    got = wait_received(s.sink, RECOVER_LIMIT, TEST_TIMEOUT);
    ok(got, "[%s] the sink got the %u samples it asked for, got %u", label, RECOVER_LIMIT, dsink_received(s.sink, 0));

    /* The seek while running flushes the sink, which then asks for nothing. */
    from = dlog_size();
    solo_start(&s, RECOVER_SEEK, label);
    ok(dlog_find("ss0.Flush", from) >= 0, "[%s] the seek flushed the stream sink", label);
    got = wait_received(s.sink, 2 * RECOVER_LIMIT, TEST_TIMEOUT);
    if (!ok(got, "[%s] the clock restarted from stopped: the sink asked again and got %u more samples, got %u in all",
            label, RECOVER_LIMIT, dsink_received(s.sink, 0)))
        dlog_dump();
    ok(dsink_sample_time(s.sink, 0, RECOVER_LIMIT) == RECOVER_SEEK,
            "[%s] the first sample after the seek is the one at the position: %lld", label,
            (long long)dsink_sample_time(s.sink, 0, RECOVER_LIMIT));

    /* The order the sink saw: the stop, its late MEStreamSinkStopped, only then the start. */
    stop = dlog_find("sink.OnClockStop", from);
    stopped = stop >= 0 ? dlog_find("ss0.Stopped", stop) : -1;
    restart = stop >= 0 ? log_find_prefix("sink.OnClockStart(", stop) : -1;
    ok(stop >= 0 && stopped > stop, "[%s] the clock stopped after the seek and the sink said so late (%d, %d)",
            label, stop, stopped);
    if (!ok(restart > stopped && stopped > 0,
            "[%s] the clock started again only after the sink's MEStreamSinkStopped (stop %d, stopped %d, start %d)",
            label, stop, stopped, restart))
        dlog_dump();
    ok(restart < 0 || log_find_prefix("sink.OnClockStart(", restart + 1) < 0, "[%s] one restart", label);
    solo_end(&s, label);
}
