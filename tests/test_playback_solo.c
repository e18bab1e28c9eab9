/* The small fixture of test_playback's single-scenario files (test_playback_solo.h). */
#include "test_playback_solo.h"
#include <string.h>

BOOL solo_begin(struct solo *s, const struct dsource_desc *src_desc, const struct dsink_desc *sink_desc,
        const char *label)
{
    HRESULT status = E_FAIL;
    BOOL got;

    memset(s, 0, sizeof(*s));
    dlog_clear();
    dfault_reset();
    ok_hr(S_OK, dsource_create(src_desc, &s->src));
    ok_hr(S_OK, dsink_create(sink_desc, &s->sink));
    if (!s->src || !s->sink || !(s->session = create_session())) return FALSE;
    s->w = event_waiter_create((IMFMediaEventGenerator *)s->session);
    ok_hr(S_OK, dtopology_build(s->src, s->sink, NULL, NULL, &s->topology));
    if (!s->topology) return FALSE;
    ok_hr(S_OK, IMFMediaSession_SetTopology(s->session, 0, s->topology));
    got = event_waiter_wait_for(s->w, MESessionTopologySet, TEST_TIMEOUT, &status, NULL);
    return ok(got && status == S_OK, "[%s] MESessionTopologySet (%#lx)", label, (unsigned long)status);
}

BOOL solo_start(struct solo *s, LONGLONG position, const char *label)
{
    HRESULT status = E_FAIL;
    BOOL got;

    ok_hr(S_OK, start_at(s->session, position));
    got = event_waiter_wait_for(s->w, MESessionStarted, TEST_TIMEOUT, &status, NULL);
    return ok(got && status == S_OK, "[%s] MESessionStarted at %lld (%#lx)", label, (long long)position,
            (unsigned long)status);
}

void solo_end(struct solo *s, const char *label)
{
    HRESULT status = E_FAIL;
    BOOL got;

    if (s->session)
    {
        ok_hr(S_OK, IMFMediaSession_Close(s->session));
        got = event_waiter_wait_for(s->w, MESessionClosed, TEST_TIMEOUT, &status, NULL);
        ok(got && status == S_OK, "[%s] MESessionClosed (%#lx)", label, (unsigned long)status);
        ok_hr(S_OK, IMFMediaSession_Shutdown(s->session));
        event_waiter_destroy(s->w);
        IMFMediaSession_Release(s->session);
    }
    if (s->topology) IMFTopology_Release(s->topology);
    if (s->src)
    {
        IMFMediaSource_Shutdown(dsource_iface(s->src));
        dsource_release(s->src);
    }
    if (s->sink) dsink_release(s->sink);
    memset(s, 0, sizeof(*s));
}

int log_find_prefix(const char *prefix, int from)
{
    char entry[256];
    int i, found = -1, size = dlog_size();

    for (i = from < 0 ? 0 : from; i < size; ++i)
    {
        if (!dlog_entry(i, entry, sizeof(entry)) || strncmp(entry, prefix, strlen(prefix))) continue;
        if (from >= 0) return i;
        found = i;
    }
    return found;
}
