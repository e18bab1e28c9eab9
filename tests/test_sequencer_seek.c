/*
 * test_sequencer's seeks inside a later playlist entry (docs/SEQUENCER.md,
 * "Seeking in a later entry"): while the second segment of a sequencer
 * playlist plays, a segment offset into it, a GUID_NULL seek in it, and a
 * segment offset back into the first segment; while the second of three
 * queued topologies plays (no sequencer: mfplay's playlist), a pause, a
 * resume and a GUID_NULL seek.  The sink's sample times, MESessionStarted's
 * status and MF_EVENT_PRESENTATION_TIME_OFFSET, the events in order and the
 * rest of the playlist to MESessionEnded are checked.
 *
 * The sink asks for 80 samples at most: the first segment (60) plays, the
 * second stalls 20 samples in, and the seek comes while it is the current
 * one; its counts are reset then, so what the sink holds at the end is what
 * the seek made it play.
 */
#include "test_sequencer.h"

static const unsigned seek_samples[SEGMENTS] = {60, 40, 20};
#define SEEK_LIMIT 80   /* 60 of the first segment, 20 of the second */

/* Handles events until `n` of the type (and status) were seen in all. */
static BOOL app_run_count(struct app *a, MediaEventType type, UINT32 topo_status, unsigned n, DWORD timeout_ms)
{
    DWORD deadline = GetTickCount() + timeout_ms;
    while (app_count(a, type, topo_status) < n)
    {
        DWORD left = (LONG)(deadline - GetTickCount()) > 0 ? deadline - GetTickCount() : 0;
        if (!app_run(a, type, left)) return FALSE;
    }
    return TRUE;
}

/* The sink stalls at its request limit; TRUE once it is there. */
static BOOL wait_stalled(struct dsink *sink, unsigned samples)
{
    DWORD until = GetTickCount() + TEST_TIMEOUT;
    while (dsink_received(sink, 0) < samples && (LONG)(until - GetTickCount()) > 0) Sleep(10);
    return dsink_received(sink, 0) == samples;
}

/* The call log's entries that start with "seq.Start" or "seq.Cancel", in
 * order, separated by spaces. */
static void seq_calls(char *buf, size_t size)
{
    size_t len = 0;
    char entry[128];
    int i;

    buf[0] = 0;
    for (i = 0; i < dlog_size() && len + sizeof(entry) < size; ++i)
        if (dlog_entry(i, entry, sizeof(entry)) && (!strncmp(entry, "seq.Start", 9) || !strncmp(entry, "seq.Cancel", 10)))
            len += snprintf(buf + len, size - len, "%s%s", len ? " " : "", entry);
}

/* The session-level events from `from` on as words, in order; without
 * `with_set`, no MESessionTopologySet (the application queues a segment
 * from its own thread: the set may come before or after the previous
 * segment's end, and the session waits for it either way). */
static void event_words(const struct app *a, unsigned from, BOOL with_set, char *buf, size_t size)
{
    size_t len = 0;
    unsigned i;

    buf[0] = 0;
    for (i = from; i < a->count && len + 24 < size; ++i)
    {
        const struct seen *s = &a->seen[i];
        const char *word = NULL;
        switch (s->type)
        {
        case MESessionStarted: word = "started"; break;
        case MESessionNotifyPresentationTime: word = "notify"; break;
        case MEEndOfPresentationSegment: word = s->canceled ? "canceled" : "segment-end"; break;
        case MEEndOfPresentation: word = "presentation-end"; break;
        case MENewPresentation: word = "new"; break;
        case MESessionTopologySet: word = with_set ? "set" : NULL; break;
        case MESessionEnded: word = "session-ended"; break;
        case MESessionTopologyStatus:
            word = s->topo_status == MF_TOPOSTATUS_READY ? "ready"
                    : s->topo_status == MF_TOPOSTATUS_STARTED_SOURCE ? "source"
                    : s->topo_status == MF_TOPOSTATUS_SINK_SWITCHED ? "switched"
                    : s->topo_status == MF_TOPOSTATUS_ENDED ? "ended" : "other-status";
            break;
        default: break;
        }
        if (word) len += snprintf(buf + len, size - len, "%s%s", len ? " " : "", word);
    }
}

static void expect_words(const struct app *a, unsigned from, BOOL with_set, const char *expected, const char *label)
{
    char words[512];
    event_words(a, from, with_set, words, sizeof(words));
    if (!ok(!strcmp(words, expected), "[%s] the events from the seek in order", label))
    {
        diag("  expected: %s", expected);
        diag("  got:      %s", words);
    }
}

/* The MESessionStarted from `from` on: its status and offset as expected. */
static void expect_started_offset(struct app *a, unsigned from, HRESULT status, LONGLONG offset, const char *label)
{
    int at;
    ok(app_run(a, MESessionStarted, TEST_TIMEOUT), "[%s] MESessionStarted", label);
    at = app_find(a, MESessionStarted, 0, 0, from);
    ok(at >= 0 && a->seen[at].status == status, "[%s] MESessionStarted status %#lx, got %#lx", label,
            (unsigned long)status, at >= 0 ? (unsigned long)a->seen[at].status : 0ul);
    ok(at >= 0 && a->seen[at].has_offset && (LONGLONG)a->seen[at].offset == offset,
            "[4 MESessionStarted] %s: MF_EVENT_PRESENTATION_TIME_OFFSET %lld, got %lld (%s)", label, (long long)offset,
            at >= 0 ? (long long)a->seen[at].offset : -1, at >= 0 && a->seen[at].has_offset ? "present" : "absent");
}

/* The sink's samples since the seek: `count` of them, the first at `first`
 * and each right after the one before (gapless, no sample from before). */
static void expect_times(struct dsink *sink, LONGLONG first, unsigned count, const char *label)
{
    unsigned i, n = dsink_received(sink, 0);
    BOOL continuous = TRUE;

    for (i = 0; i < n; ++i)
        if (dsink_sample_time(sink, 0, i) != first + (LONGLONG)i * DUR) continuous = FALSE;
    ok(n == count, "[%s] the sink got %u samples after the seek, expected %u", label, n, count);
    ok(n && dsink_sample_time(sink, 0, 0) == first, "[%s] the first at presentation time %lld, got %lld", label,
            (long long)first, n ? (long long)dsink_sample_time(sink, 0, 0) : -1);
    if (!ok(continuous, "[%s] every one right after the one before, to the end of the playlist", label))
        for (i = 0; i < n; ++i) diag("  sample %u at %lld", i, (long long)dsink_sample_time(sink, 0, i));
}

/* The sequencer playlist up to the stall in its second segment. */
static BOOL play_to_second(struct playlist *p, struct app *a, const char *label)
{
    PROPVARIANT pos;

    if (!playlist_make(p, seek_samples, SEEK_LIMIT) || !app_init(a, p->seq)) return FALSE;
    ok_hr(S_OK, app_set_first(a, p->seq));
    PropVariantInit(&pos);
    ok_hr(S_OK, start_with(a->session, NULL, &pos));
    /* The third segment is queued once the second started (its MENewPresentation answered). */
    ok(app_run_count(a, MESessionTopologySet, 0, SEGMENTS, TEST_TIMEOUT * 2), "[%s] the third segment queued", label);
    ok(wait_stalled(p->sink, SEEK_LIMIT), "[%s] the second segment plays, 20 samples in: %u", label,
            dsink_received(p->sink, 0));
    dsink_reset_counts(p->sink);
    dlog_clear();
    return TRUE;
}

/* (a) Inside the second segment while it plays: a segment offset (the
 * sequencer's own format) or a GUID_NULL position.  The presentation clock
 * starts at the offset within the segment ("Sequence Presentation Times"):
 * its samples from 30 on at presentation time = media time, then the third
 * segment right after them, no MENewPresentation (the third is queued
 * already), one MESessionEnded. */
static void test_seek_in_second(BOOL segment_offset)
{
    const char *label = segment_offset ? "seek segment 2 offset" : "seek segment 2 GUID_NULL";
    const LONGLONG offset = 30 * DUR;
    char entry[64];
    struct playlist p;
    PROPVARIANT pos;
    struct app a;
    unsigned from;
    int at;

    if (!play_to_second(&p, &a, label)) return;
    from = a.count;
    PropVariantInit(&pos);
    if (segment_offset)
    {
        ok_hr(S_OK, dseqsource_offset(p.ids[1], offset, &pos));
        ok_hr(S_OK, start_with(a.session, &DSEQ_TIME_FORMAT_SEGMENT_OFFSET, &pos));
    }
    else
    {
        pos.vt = VT_I8;
        pos.hVal.QuadPart = offset;
        ok_hr(S_OK, start_with(a.session, &GUID_NULL, &pos));
    }
    expect_started_offset(&a, from, S_OK, 0, label);
    if (!ok(app_run(&a, MESessionEnded, TEST_TIMEOUT * 2), "[%s] MESessionEnded after the third segment", label))
    {
        app_dump(&a);
        dlog_dump();
    }
    PropVariantClear(&pos);
    /* The position reaches the sequencer as given, for the segment in play. */
    if (segment_offset)
        snprintf(entry, sizeof(entry), "seq.Start(1,segment,%lu:%lld)", (unsigned long)p.ids[1], (long long)offset);
    else
        snprintf(entry, sizeof(entry), "seq.Start(1,null,%lld)", (long long)offset);
    ok(dlog_find(entry, 0) >= 0, "[%s] the sequencer heard %s", label, entry);
    ok(dlog_find("seq.Start(2,null,empty)", 0) >= 0 && dlog_count("seq.Start") == 2,
            "[%s] then the third segment's start (VT_EMPTY), %d starts in all", label, dlog_count("seq.Start"));
    ok(dseqsource_canceled(p.seq) == 0, "[%s] no segment canceled: %u", label, dseqsource_canceled(p.seq));
    expect_words(&a, from, TRUE, "started segment-end ended ready source notify switched presentation-end ended session-ended",
            label);
    at = app_find(&a, MESessionNotifyPresentationTime, 0, 0, from);
    ok(at >= 0 && a.seen[at].offset == (UINT64)(offset + 10 * DUR) && a.seen[at].start == a.seen[at].offset,
            "[4 MESessionNotifyPresentationTime] %s: the third segment at %lld (offset %lld)", label,
            at >= 0 ? (long long)a.seen[at].start : -1, at >= 0 ? (long long)a.seen[at].offset : -1);
    /* 10 left of the second, 20 of the third. */
    expect_times(p.sink, offset, 10 + seek_samples[2], label);
    app_close(&a);
    playlist_free(&p);
}

/* (c) Back into the first segment from the second: the second is canceled,
 * the third (queued) passes through canceled at once, the first plays again
 * from the offset at presentation time = offset, then the second and the
 * third again, gapless, to one MESessionEnded. */
static void test_seek_back_to_first(void)
{
    const char *label = "seek back to segment 1";
    const LONGLONG offset = 45 * DUR;
    unsigned from, i, sets, news = 0;
    BOOL named = TRUE;
    char entry[64];
    struct playlist p;
    PROPVARIANT pos;
    struct app a;
    int at;

    if (!play_to_second(&p, &a, label)) return;
    from = a.count;
    sets = app_count(&a, MESessionTopologySet, 0);
    ok_hr(S_OK, dseqsource_offset(p.ids[0], offset, &pos));
    ok_hr(S_OK, start_with(a.session, &DSEQ_TIME_FORMAT_SEGMENT_OFFSET, &pos));
    expect_started_offset(&a, from, S_OK, 0, label);
    PropVariantClear(&pos);
    snprintf(entry, sizeof(entry), "seq.Start(1,segment,%lu:%lld)", (unsigned long)p.ids[0], (long long)offset);
    ok(dlog_find(entry, 0) >= 0 && dlog_find("seq.Cancel(1)", 0) > dlog_find(entry, 0),
            "[%s] the sequencer heard %s, then canceled the second segment", label, entry);
    /* The first segment's native stream is the one the session followed
     * when it first played, its subscription from then still pending: the
     * session takes that link over (docs/SEQUENCER.md) rather than failing
     * with MF_E_MULTIPLE_SUBSCRIBERS. */
    app_run_until(&a, MESessionEnded, MEError, TEST_TIMEOUT * 2);
    at = app_find(&a, MEError, 0, 0, from);
    if (!ok(at < 0 && app_find(&a, MESessionEnded, 0, 0, from) >= 0,
            "[%s] MESessionEnded after the third segment, no MEError (%#lx)", label,
            at >= 0 ? (unsigned long)a.seen[at].status : 0ul))
    {
        app_dump(&a);
        dlog_dump();
    }
    /* The seek in the segment in play (the second), the second canceled,
     * the third (queued) started and canceled at once, then the first (the
     * target: the sequencer starts its native source at the offset), the
     * second and the third, each with VT_EMPTY. */
    {
        char calls[512], expected[256];
        snprintf(expected, sizeof(expected), "%s seq.Cancel(1) seq.Start(2,null,empty) seq.Cancel(2) "
                "seq.Start(0,null,empty) seq.Start(1,null,empty) seq.Start(2,null,empty)", entry);
        seq_calls(calls, sizeof(calls));
        if (!ok(!strcmp(calls, expected), "[%s] the sequencer's starts and cancels in order", label))
        {
            diag("  expected: %s", expected);
            diag("  got:      %s", calls);
        }
    }
    ok(dlog_count("seq.Start") == 5, "[%s] then the third segment (canceled at once), the first, the second and "
            "the third started: %d starts in all", label, dlog_count("seq.Start"));
    ok(dseqsource_canceled(p.seq) == 2, "[%s] the second and the third canceled on the way: %u", label,
            dseqsource_canceled(p.seq));
    /* The skip's events first (the target announced, the second canceled),
     * then the third passed through canceled, then the first, the second
     * and the third played, each announcing the next. */
    expect_words(&a, from, FALSE, "new canceled started ended ready source notify switched canceled ended ready "
            "source notify switched new segment-end ended ready source notify switched new segment-end ended "
            "ready source notify switched presentation-end ended session-ended", label);
    ok(app_count(&a, MESessionTopologySet, 0) - sets == SEGMENTS, "[%s] the application queued the three "
            "segments again: %u", label, app_count(&a, MESessionTopologySet, 0) - sets);
    /* The sequencer names the segments to queue, from the target on. */
    for (i = from; i < a.count; ++i)
        if (a.seen[i].type == MENewPresentation && news < SEGMENTS && a.seen[i].value != (IUnknown *)p.pds[news++])
            named = FALSE;
    ok(news == SEGMENTS && named, "[3 MENewPresentation] %s: the first, the second and the third in turn (%u)",
            label, news);
    ok(app_count(&a, MESessionEnded, 0) == 1, "[%s] one MESessionEnded", label);
    /* Where each segment after the seek lands: the canceled third where the
     * timeline stood, the first at the offset (presentation time = media
     * time), the second and the third after it. */
    {
        static const LONGLONG starts[4] = {45 * DUR, 45 * DUR, 60 * DUR, 100 * DUR};
        static const LONGLONG offsets[4] = {45 * DUR, 0, 60 * DUR, 100 * DUR};
        BOOL placed = TRUE;
        for (i = 0; i < 4; ++i)
        {
            at = app_find(&a, MESessionNotifyPresentationTime, 0, i, from);
            if (at < 0 || (LONGLONG)a.seen[at].start != starts[i] || (LONGLONG)a.seen[at].offset != offsets[i])
            {
                placed = FALSE;
                diag("  notify %u: start %lld offset %lld", i, at >= 0 ? (long long)a.seen[at].start : -1,
                        at >= 0 ? (long long)a.seen[at].offset : -1);
            }
        }
        ok(placed && app_find(&a, MESessionNotifyPresentationTime, 0, 4, from) < 0,
                "[4 MESessionNotifyPresentationTime] %s: the segments placed as they play", label);
    }
    /* 15 left of the first, then 40 and 20. */
    expect_times(p.sink, offset, 15 + seek_samples[1] + seek_samples[2], label);
    app_close(&a);
    playlist_free(&p);
}

/* (b) Three queued topologies (SetTopology with flags 0, as mfplay's
 * playlist sets them), one source each, into one sink: while the second
 * plays, Pause and resume (MESessionStarted says the second's offset, 60),
 * then a GUID_NULL seek 30 into it: the clock restarts at the position in
 * the current presentation (offset 0 from there), its samples from 30 on,
 * the third right after them. */
static void test_seek_queued(void)
{
    static const char *names[SEGMENTS] = {"a", "b", "c"};
    const char *label = "seek queued topology 2";
    const LONGLONG offset = 30 * DUR;
    char entry[64];
    struct dsource *srcs[SEGMENTS];
    IMFTopology *topologies[SEGMENTS];
    struct dsink *sink;
    struct app a;
    unsigned from, i;
    int at;

    if (!app_init(&a, NULL)) return;
    sink = one_stream_sink(NULL, TRUE, SEEK_LIMIT);
    for (i = 0; i < SEGMENTS; ++i)
    {
        srcs[i] = one_stream_source(names[i], seek_samples[i], FALSE);
        dtopology_build(srcs[i], sink, NULL, NULL, &topologies[i]);
        ok_hr(S_OK, IMFMediaSession_SetTopology(a.session, 0, topologies[i]));
    }
    ok(app_run_count(&a, MESessionTopologySet, 0, SEGMENTS, TEST_TIMEOUT), "[%s] three topologies set", label);
    ok_hr(S_OK, start_at(a.session, -1));
    ok(app_run_count(&a, MESessionTopologyStatus, MF_TOPOSTATUS_SINK_SWITCHED, 1, TEST_TIMEOUT),
            "[%s] the second topology took over", label);
    ok(wait_stalled(sink, SEEK_LIMIT), "[%s] the second plays, 20 samples in: %u", label, dsink_received(sink, 0));
    at = app_find(&a, MESessionNotifyPresentationTime, 0, 1, 0);
    ok(at >= 0 && a.seen[at].offset == 60 * DUR, "[4 MESessionNotifyPresentationTime] %s: the second at 60, got %lld",
            label, at >= 0 ? (long long)a.seen[at].offset : -1);

    ok_hr(S_OK, IMFMediaSession_Pause(a.session));
    ok(app_run(&a, MESessionPaused, TEST_TIMEOUT), "[%s] paused", label);
    from = a.count;
    ok_hr(S_OK, start_at(a.session, -1));
    expect_started_offset(&a, from, S_OK, 60 * DUR, "resume in queued topology 2");

    dsink_reset_counts(sink);
    dlog_clear();
    from = a.count;
    ok_hr(S_OK, start_at(a.session, offset));
    expect_started_offset(&a, from, S_OK, 0, label);
    if (!ok(app_run(&a, MESessionEnded, TEST_TIMEOUT * 2), "[%s] MESessionEnded after the third", label))
        app_dump(&a);
    snprintf(entry, sizeof(entry), "b.Start(%lld)", (long long)offset);
    ok(dlog_find(entry, 0) >= 0 && dlog_find("c.Start(0)", 0) > dlog_find(entry, 0) && dlog_count("a.Start") == 0,
            "[%s] the second's source seeks, the third's starts at 0 after it", label);
    expect_words(&a, from, TRUE, "started presentation-end ended ready source notify switched presentation-end ended "
            "session-ended", label);
    at = app_find(&a, MESessionNotifyPresentationTime, 0, 0, from);
    ok(at >= 0 && a.seen[at].offset == (UINT64)(offset + 10 * DUR), "[4 MESessionNotifyPresentationTime] %s: the "
            "third at %lld, got %lld", label, (long long)(offset + 10 * DUR), at >= 0 ? (long long)a.seen[at].offset : -1);
    expect_times(sink, offset, 10 + seek_samples[2], label);
    app_close(&a);
    for (i = 0; i < SEGMENTS; ++i)
    {
        IMFTopology_Release(topologies[i]);
        IMFMediaSource_Shutdown(dsource_iface(srcs[i]));
        dsource_release(srcs[i]);
    }
    dsink_release(sink);
}

void test_seek_later_entry(void)
{
    harness_test = "test_seek_later_entry";
    test_seek_in_second(TRUE);
    test_seek_in_second(FALSE);
    test_seek_back_to_first();
    test_seek_queued();
}
