/*
 * One source, one sink, one session: the small fixture of test_playback's
 * single-scenario files (test_playback_recover.c, test_playback_end.c).
 */
#ifndef TEST_PLAYBACK_SOLO_H
#define TEST_PLAYBACK_SOLO_H
#include "common.h"
#include "doubles.h"

struct solo
{
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
};

/* Clears the call log and faults, makes the doubles, the session and the
 * topology, sets it and waits for MESessionTopologySet.  FALSE if any failed
 * (then solo_end still cleans up). */
BOOL solo_begin(struct solo *s, const struct dsource_desc *src_desc, const struct dsink_desc *sink_desc,
        const char *label);
/* Start at `position` (100 ns) and wait for MESessionStarted. */
BOOL solo_start(struct solo *s, LONGLONG position, const char *label);
/* Close (MESessionClosed), Shutdown, and everything released. */
void solo_end(struct solo *s, const char *label);

/* The call-log entry that starts with `prefix`: the first at or after `from`,
 * or (from < 0) the last one; -1 if none. */
int log_find_prefix(const char *prefix, int from);

#endif
