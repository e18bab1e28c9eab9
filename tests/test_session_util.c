/*
 * test_session's shared checks and steps (declared in test_session.h).
 */
#include "test_session.h"

/* The next event must be `type` with `status` and an empty value. */
BOOL expect_event_(int line, struct event_waiter *w, MediaEventType type, HRESULT status,
        const char *rule)
{
    IMFMediaEvent *event;
    MediaEventType got_type = MEUnknown;
    HRESULT hr, got_status = E_FAIL;
    PROPVARIANT value;

    hr = event_waiter_next(w, TEST_TIMEOUT, &event);
    if (!ok(hr == S_OK && event, "%s: %s arrives within %u ms (line %d; hr %#lx)", rule,
            event_name(type), TEST_TIMEOUT, line, (unsigned long)hr))
        return FALSE;
    IMFMediaEvent_GetType(event, &got_type);
    IMFMediaEvent_GetStatus(event, &got_status);
    PropVariantInit(&value);
    IMFMediaEvent_GetValue(event, &value);
    ok(got_type == type, "%s: next event is %s, got %s (line %d)", rule, event_name(type),
            event_name(got_type), line);
    ok(got_status == status, "%s: %s status is %#lx, got %#lx (line %d)", rule, event_name(got_type),
            (unsigned long)status, (unsigned long)got_status, line);
    ok(value.vt == VT_EMPTY, "%s: %s value is VT_EMPTY, got vt %u (line %d)", rule,
            event_name(got_type), value.vt, line);
    PropVariantClear(&value);
    IMFMediaEvent_Release(event);
    return got_type == type;
}

/* Nothing is queued: GetEvent(NO_WAIT) says so. */
void expect_no_event_(int line, IMFMediaSession *session, const char *rule)
{
    IMFMediaEvent *event = NULL;
    MediaEventType type = MEUnknown;
    HRESULT hr;

    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    if (SUCCEEDED(hr) && event)
    {
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_Release(event);
    }
    ok(hr == MF_E_NO_EVENTS_AVAILABLE, "%s: no event queued, expected MF_E_NO_EVENTS_AVAILABLE, got %#lx%s%s (line %d)",
            rule, (unsigned long)hr, SUCCEEDED(hr) ? " with " : "", SUCCEEDED(hr) ? event_name(type) : "", line);
}

/* The refcount of an object once it has dropped back to `expected`, waiting up
 * to a second: work already queued when the session was released may still
 * hold the session (and through it the object) for a moment. */
ULONG settled_refcount(void *iface, ULONG expected)
{
    DWORD start = GetTickCount();
    ULONG refcount;

    while ((refcount = get_refcount(iface)) != expected && GetTickCount() - start < 1000)
        Sleep(10);
    return refcount;
}

struct event_waiter *waiter_for(IMFMediaSession *session)
{
    return event_waiter_create((IMFMediaEventGenerator *)session);
}

/* Start(GUID_NULL, VT_EMPTY): play from the current position. */
HRESULT start_empty(IMFMediaSession *session)
{
    PROPVARIANT pos;
    PropVariantInit(&pos);
    return IMFMediaSession_Start(session, &GUID_NULL, &pos);
}

/* Close, then MESessionClosed(S_OK). */
BOOL close_and_wait(IMFMediaSession *session, struct event_waiter *w, const char *rule)
{
    HRESULT status = E_FAIL;
    expect_hr(rule, S_OK, IMFMediaSession_Close(session));
    if (!ok(event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, &status, NULL),
            "%s: MESessionClosed arrives within %u ms", rule, TEST_TIMEOUT))
        return FALSE;
    ok(status == S_OK, "%s: MESessionClosed status S_OK, got %#lx", rule, (unsigned long)status);
    return TRUE;
}
