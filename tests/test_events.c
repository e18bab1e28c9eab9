/*
 * Contract tests for the session's event generator (CONTRACT.md section 3, and
 * the event rules of sections 1, 2 and 8): GetEvent, BeginGetEvent/EndGetEvent,
 * QueueEvent, Shutdown of the queue, and clients that call back into the
 * session from their callbacks.  No topology is needed.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "common.h"
#include <stdlib.h>

static const GUID test_ext_type_1 =
    {0x7a1b3c4d, 0x2e3f, 0x4a5b, {0x8c, 0x9d, 0x0e, 0x1f, 0x2a, 0x3b, 0x4c, 0x01}};
static const GUID test_ext_type_2 =
    {0x7a1b3c4d, 0x2e3f, 0x4a5b, {0x8c, 0x9d, 0x0e, 0x1f, 0x2a, 0x3b, 0x4c, 0x02}};

/* Exact HRESULT check that names the rule it proves. */
#define expect_hr(rule, expected, actual) do { \
        HRESULT hr_ = (actual); \
        ok(hr_ == (HRESULT)(expected), "%s: expected %s (%#lx), got %#lx", rule, #expected, \
                (unsigned long)(HRESULT)(expected), (unsigned long)hr_); \
    } while (0)

/* The refcount of an object once it has dropped back to `expected`, waiting up
 * to a second: work already queued when the session was released may still
 * hold the session (and through it the object) for a moment. */
static ULONG settled_refcount(void *iface, ULONG expected)
{
    DWORD start = GetTickCount();
    ULONG refcount;

    while ((refcount = get_refcount(iface)) != expected && GetTickCount() - start < 1000)
        Sleep(10);
    return refcount;
}

static HRESULT start_empty(IMFMediaSession *session)
{
    PROPVARIANT pos;
    PropVariantInit(&pos);
    return IMFMediaSession_Start(session, &GUID_NULL, &pos);
}

/* ---------------------------------------------------------------------------
 * A client callback for BeginGetEvent that records what it was given.
 */
#define MAX_RECORDED 64

struct test_callback
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    /* Not referenced.  NULL: Invoke does not call EndGetEvent (for callbacks
     * that may run after the session is gone). */
    IMFMediaEventGenerator *generator;
    IMFMediaSession *session;
    BOOL rearm;                 /* subscribe again from Invoke until MESessionClosed */
    MediaEventType close_on;    /* call Close (and read-only methods) from Invoke on this event */
    HANDLE invoked;             /* auto-reset: one Invoke finished */
    HANDLE done;                /* manual-reset: MESessionClosed seen, or a failure stopped the loop */
    LONG invoke_count;
    HRESULT result_status;
    HRESULT end_hr;
    HRESULT rearm_hr;
    HRESULT close_hr, caps_hr, clock_hr;
    unsigned count;
    MediaEventType types[MAX_RECORDED];
    HRESULT statuses[MAX_RECORDED];
};

static struct test_callback *impl_from_callback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct test_callback, IMFAsyncCallback_iface);
}

static HRESULT WINAPI test_callback_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFAsyncCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI test_callback_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_callback(iface)->refcount);
}

static ULONG WINAPI test_callback_Release(IMFAsyncCallback *iface)
{
    struct test_callback *cb = impl_from_callback(iface);
    ULONG refcount = InterlockedDecrement(&cb->refcount);

    if (!refcount)
    {
        CloseHandle(cb->invoked);
        CloseHandle(cb->done);
        free(cb);
    }
    return refcount;
}

static HRESULT WINAPI test_callback_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI test_callback_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct test_callback *cb = impl_from_callback(iface);
    MediaEventType type = MEUnknown;
    HRESULT status = E_FAIL;
    IMFMediaEvent *event = NULL;
    BOOL finished = FALSE;
    IMFClock *clock;
    DWORD caps;

    InterlockedIncrement(&cb->invoke_count);
    cb->result_status = IMFAsyncResult_GetStatus(result);
    if (!cb->generator)
    {
        SetEvent(cb->invoked);
        return S_OK;
    }

    cb->end_hr = IMFMediaEventGenerator_EndGetEvent(cb->generator, result, &event);
    if (SUCCEEDED(cb->end_hr) && event)
    {
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_GetStatus(event, &status);
        IMFMediaEvent_Release(event);
        if (cb->count < MAX_RECORDED)
        {
            cb->types[cb->count] = type;
            cb->statuses[cb->count] = status;
            ++cb->count;
        }
        if (cb->session && type == cb->close_on && type != MEUnknown)
        {
            /* Calling back into the session from its own event callback must not deadlock. */
            cb->caps_hr = IMFMediaSession_GetSessionCapabilities(cb->session, &caps);
            cb->clock_hr = IMFMediaSession_GetClock(cb->session, &clock);
            if (SUCCEEDED(cb->clock_hr)) IMFClock_Release(clock);
            cb->close_hr = IMFMediaSession_Close(cb->session);
        }
        if (type == MESessionClosed) finished = TRUE;
        else if (cb->rearm)
        {
            cb->rearm_hr = IMFMediaEventGenerator_BeginGetEvent(cb->generator, iface, NULL);
            if (FAILED(cb->rearm_hr)) finished = TRUE;
        }
    }
    else
        finished = TRUE;

    if (finished) SetEvent(cb->done);
    SetEvent(cb->invoked);
    return S_OK;
}

static const IMFAsyncCallbackVtbl test_callback_vtbl =
{
    test_callback_QueryInterface, test_callback_AddRef, test_callback_Release,
    test_callback_GetParameters, test_callback_Invoke,
};

static struct test_callback *create_callback(IMFMediaSession *session, BOOL end_events)
{
    struct test_callback *cb = calloc(1, sizeof(*cb));

    cb->IMFAsyncCallback_iface.lpVtbl = &test_callback_vtbl;
    cb->refcount = 1;
    if (end_events)
    {
        cb->session = session;
        cb->generator = (IMFMediaEventGenerator *)session;
    }
    cb->invoked = CreateEventW(NULL, FALSE, FALSE, NULL);
    cb->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    cb->close_on = MEUnknown;
    return cb;
}

/* Checks the events a callback recorded against an expected sequence. */
static void check_recorded(struct test_callback *cb, const MediaEventType *types, const HRESULT *statuses,
        unsigned count, const char *rule)
{
    unsigned i;

    ok(cb->count == count, "%s: %u events delivered, got %u", rule, count, cb->count);
    for (i = 0; i < count && i < cb->count; ++i)
    {
        ok(cb->types[i] == types[i] && cb->statuses[i] == statuses[i],
                "%s: event %u is %s (%#lx), got %s (%#lx)", rule, i + 1, event_name(types[i]),
                (unsigned long)statuses[i], event_name(cb->types[i]), (unsigned long)cb->statuses[i]);
    }
}

/* ---------------------------------------------------------------------------
 * GetEvent on another thread, for calls that may block.
 */
struct get_event_call
{
    IMFMediaSession *session;
    DWORD flags;
    HRESULT hr;
    IMFMediaEvent *event;
};

static DWORD WINAPI get_event_thread(void *arg)
{
    struct get_event_call *call = arg;
    call->hr = IMFMediaSession_GetEvent(call->session, call->flags, &call->event);
    return 0;
}

static HANDLE start_get_event(struct get_event_call *call, IMFMediaSession *session, DWORD flags)
{
    call->session = session;
    call->flags = flags;
    call->hr = E_FAIL;
    call->event = NULL;
    return CreateThread(NULL, 0, get_event_thread, call, 0, NULL);
}

/* ---------------------------------------------------------------------------
 * GetEvent and QueueEvent.
 */
static void test_get_event_and_queue_event(void)
{
    IMFMediaSession *session;
    IMFMediaEvent *event;
    MediaEventType type;
    PROPVARIANT value;
    HRESULT hr, status;
    GUID ext;

    if (!(session = create_session())) return;

    event = (IMFMediaEvent *)(ULONG_PTR)0xdeadbeef;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[3] GetEvent(NO_WAIT) with nothing queued gives MF_E_NO_EVENTS_AVAILABLE", MF_E_NO_EVENTS_AVAILABLE, hr);
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);

    expect_hr("[3] QueueEvent(MEExtendedType, GUID_NULL, S_OK, NULL) gives S_OK", S_OK,
            IMFMediaSession_QueueEvent(session, MEExtendedType, &GUID_NULL, S_OK, NULL));
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[3] a queued event is returned by GetEvent", S_OK, hr);
    if (SUCCEEDED(hr) && event)
    {
        type = MEUnknown;
        status = E_FAIL;
        IMFMediaEvent_GetType(event, &type);
        IMFMediaEvent_GetStatus(event, &status);
        memset(&ext, 0xcc, sizeof(ext));
        IMFMediaEvent_GetExtendedType(event, &ext);
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(type == MEExtendedType, "[3] QueueEvent: the event keeps its type MEExtendedType, got %s", event_name(type));
        ok(status == S_OK, "[3] QueueEvent: the event keeps its status S_OK, got %#lx", (unsigned long)status);
        ok(IsEqualGUID(&ext, &GUID_NULL), "[3] QueueEvent: the event keeps its extended type GUID_NULL");
        ok(value.vt == VT_EMPTY, "[3] QueueEvent: a NULL value gives VT_EMPTY, got vt %u", value.vt);
        PropVariantClear(&value);
        IMFMediaEvent_Release(event);
    }

    /* Two events, with values and statuses, come back in order. */
    PropVariantInit(&value);
    value.vt = VT_UI4;
    value.ulVal = 42;
    expect_hr("[3] QueueEvent with a value and a failure status gives S_OK", S_OK,
            IMFMediaSession_QueueEvent(session, MEExtendedType, &test_ext_type_1, E_FAIL, &value));
    expect_hr("[3] QueueEvent (second) gives S_OK", S_OK,
            IMFMediaSession_QueueEvent(session, MEExtendedType, &test_ext_type_2, S_OK, NULL));
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[3] first queued event is returned", S_OK, hr);
    if (SUCCEEDED(hr) && event)
    {
        status = S_OK;
        IMFMediaEvent_GetStatus(event, &status);
        memset(&ext, 0, sizeof(ext));
        IMFMediaEvent_GetExtendedType(event, &ext);
        PropVariantInit(&value);
        IMFMediaEvent_GetValue(event, &value);
        ok(IsEqualGUID(&ext, &test_ext_type_1), "[3] events come back in the order they were queued (first)");
        ok(status == E_FAIL, "[3] QueueEvent: the status is kept (E_FAIL), got %#lx", (unsigned long)status);
        ok(value.vt == VT_UI4 && value.ulVal == 42, "[3] QueueEvent: the value is kept (VT_UI4 42), got vt %u, %lu",
                value.vt, (unsigned long)value.ulVal);
        PropVariantClear(&value);
        IMFMediaEvent_Release(event);
    }
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[3] second queued event is returned", S_OK, hr);
    if (SUCCEEDED(hr) && event)
    {
        memset(&ext, 0, sizeof(ext));
        IMFMediaEvent_GetExtendedType(event, &ext);
        ok(IsEqualGUID(&ext, &test_ext_type_2), "[3] events come back in the order they were queued (second)");
        IMFMediaEvent_Release(event);
    }
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[3] GetEvent(NO_WAIT) after the queue was drained gives MF_E_NO_EVENTS_AVAILABLE",
            MF_E_NO_EVENTS_AVAILABLE, hr);
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);

    /* NULL out-pointers, while nothing is queued (so a missing check cannot write through NULL). */
    expect_hr("[1] GetEvent(NULL) gives E_POINTER", E_POINTER,
            IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, NULL));

    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    expect_hr("[1] GetEvent(NULL) gives E_POINTER even after Shutdown", E_POINTER,
            IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, NULL));
    IMFMediaSession_Release(session);
}

/* GetEvent(0) blocks until an event comes; Close from another thread provides one. */
static void test_get_event_blocks(void)
{
    struct get_event_call call;
    IMFMediaSession *session;
    MediaEventType type;
    HRESULT status;
    HANDLE thread;

    if (!(session = create_session())) return;

    thread = start_get_event(&call, session, 0);
    ok(WaitForSingleObject(thread, 300) == WAIT_TIMEOUT,
            "[3] GetEvent(0) blocks while no event is queued (returned early with hr %#lx)", (unsigned long)call.hr);
    expect_hr("[2 Close] S_OK (from another thread than the blocked GetEvent)", S_OK, IMFMediaSession_Close(session));
    if (!ok(wait_handle(thread, TEST_TIMEOUT, "GetEvent(0) to return"),
            "[3] GetEvent(0) returns once an event is queued (within %u ms)", TEST_TIMEOUT))
    {
        /* Leave the session to the blocked thread rather than release it under its feet. */
        CloseHandle(thread);
        return;
    }
    CloseHandle(thread);
    expect_hr("[3] the blocked GetEvent(0) returns S_OK", S_OK, call.hr);
    if (SUCCEEDED(call.hr) && call.event)
    {
        type = MEUnknown;
        status = E_FAIL;
        IMFMediaEvent_GetType(call.event, &type);
        IMFMediaEvent_GetStatus(call.event, &status);
        ok(type == MESessionClosed && status == S_OK,
                "[2 Close] the blocked GetEvent(0) receives MESessionClosed(S_OK), got %s (%#lx)",
                event_name(type), (unsigned long)status);
        IMFMediaEvent_Release(call.event);
    }

    /* Shutdown releases a blocked GetEvent(0) with MF_E_SHUTDOWN. */
    thread = start_get_event(&call, session, 0);
    ok(WaitForSingleObject(thread, 300) == WAIT_TIMEOUT,
            "[3] GetEvent(0) blocks after MESessionClosed was taken (no more events; returned hr %#lx)",
            (unsigned long)call.hr);
    expect_hr("[2 Shutdown] S_OK while GetEvent(0) is blocked", S_OK, IMFMediaSession_Shutdown(session));
    if (!ok(wait_handle(thread, TEST_TIMEOUT, "GetEvent(0) to return after Shutdown"),
            "[3] Shutdown releases a blocked GetEvent(0) within %u ms", TEST_TIMEOUT))
    {
        CloseHandle(thread);
        return;
    }
    CloseHandle(thread);
    expect_hr("[3] a GetEvent(0) blocked at Shutdown returns MF_E_SHUTDOWN", MF_E_SHUTDOWN, call.hr);
    if (SUCCEEDED(call.hr) && call.event) IMFMediaEvent_Release(call.event);

    /* After Shutdown, GetEvent(0) must not block either. */
    thread = start_get_event(&call, session, 0);
    if (ok(wait_handle(thread, TEST_TIMEOUT, "GetEvent(0) after Shutdown"),
            "[3] GetEvent(0) after Shutdown returns at once"))
    {
        expect_hr("[3] GetEvent(0) after Shutdown gives MF_E_SHUTDOWN", MF_E_SHUTDOWN, call.hr);
        if (SUCCEEDED(call.hr) && call.event) IMFMediaEvent_Release(call.event);
        CloseHandle(thread);
        IMFMediaSession_Release(session);
    }
    else
        CloseHandle(thread);
}

/* ---------------------------------------------------------------------------
 * BeginGetEvent / EndGetEvent.
 */
static void test_begin_get_event(void)
{
    struct test_callback *cb1, *cb2;
    IMFAsyncResult *foreign;
    IMFMediaSession *session;
    IMFMediaEvent *event;
    IMFAttributes *state;
    ULONG state_ref;
    HRESULT hr;

    if (!(session = create_session())) return;
    if (FAILED(MFCreateAttributes(&state, 1)))
    {
        ok(0, "MFCreateAttributes failed");
        IMFMediaSession_Shutdown(session);
        IMFMediaSession_Release(session);
        return;
    }
    state_ref = get_refcount(state);
    cb1 = create_callback(session, TRUE);
    cb2 = create_callback(session, TRUE);

    expect_hr("[3] BeginGetEvent(NULL callback) gives E_INVALIDARG", E_INVALIDARG,
            IMFMediaSession_BeginGetEvent(session, NULL, NULL));
    expect_hr("[3] BeginGetEvent(NULL callback, state) gives E_INVALIDARG", E_INVALIDARG,
            IMFMediaSession_BeginGetEvent(session, NULL, (IUnknown *)state));

    /* EndGetEvent with results the session did not issue, nothing pending. */
    if (SUCCEEDED(MFCreateAsyncResult(NULL, &cb1->IMFAsyncCallback_iface, NULL, &foreign)))
    {
        event = NULL;
        hr = IMFMediaSession_EndGetEvent(session, foreign, &event);
        ok(FAILED(hr), "[3] EndGetEvent with a result the session did not issue fails (nothing pending), got %#lx",
                (unsigned long)hr);
        if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
        IMFAsyncResult_Release(foreign);
    }
    event = NULL;
    hr = IMFMediaSession_EndGetEvent(session, NULL, &event);
    ok(FAILED(hr), "[3] EndGetEvent(NULL result) fails, got %#lx", (unsigned long)hr);
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);

    /* One subscriber at a time. */
    expect_hr("[3] BeginGetEvent gives S_OK", S_OK,
            IMFMediaSession_BeginGetEvent(session, &cb1->IMFAsyncCallback_iface, NULL));
    expect_hr("[3] BeginGetEvent with the same callback and state again gives MF_S_MULTIPLE_BEGIN", MF_S_MULTIPLE_BEGIN,
            IMFMediaSession_BeginGetEvent(session, &cb1->IMFAsyncCallback_iface, NULL));
    expect_hr("[3] BeginGetEvent with the same callback, other state gives MF_E_MULTIPLE_BEGIN", MF_E_MULTIPLE_BEGIN,
            IMFMediaSession_BeginGetEvent(session, &cb1->IMFAsyncCallback_iface, (IUnknown *)state));
    expect_hr("[3] BeginGetEvent with another callback gives MF_E_MULTIPLE_SUBSCRIBERS", MF_E_MULTIPLE_SUBSCRIBERS,
            IMFMediaSession_BeginGetEvent(session, &cb2->IMFAsyncCallback_iface, NULL));
    expect_hr("[3] BeginGetEvent with another callback and a state gives MF_E_MULTIPLE_SUBSCRIBERS",
            MF_E_MULTIPLE_SUBSCRIBERS,
            IMFMediaSession_BeginGetEvent(session, &cb2->IMFAsyncCallback_iface, (IUnknown *)state));
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[3] GetEvent while a BeginGetEvent subscriber is pending gives MF_E_MULTIPLE_SUBSCRIBERS",
            MF_E_MULTIPLE_SUBSCRIBERS, hr);
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);

    if (SUCCEEDED(MFCreateAsyncResult(NULL, &cb1->IMFAsyncCallback_iface, NULL, &foreign)))
    {
        event = NULL;
        hr = IMFMediaSession_EndGetEvent(session, foreign, &event);
        ok(FAILED(hr), "[3] EndGetEvent with a result the session did not issue fails (subscription pending), got %#lx",
                (unsigned long)hr);
        if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
        IMFAsyncResult_Release(foreign);
    }
    ok(cb1->invoke_count == 0, "[3] nothing is delivered before an event is queued (Invoke called %ld times)",
            cb1->invoke_count);

    expect_hr("[3] QueueEvent gives S_OK", S_OK,
            IMFMediaSession_QueueEvent(session, MEExtendedType, &test_ext_type_1, S_OK, NULL));
    if (ok(wait_handle(cb1->invoked, TEST_TIMEOUT, "the subscriber's Invoke"),
            "[3] the pending subscriber's Invoke runs when an event is queued (within %u ms)", TEST_TIMEOUT))
    {
        expect_hr("[3] EndGetEvent with the result the session issued gives S_OK", S_OK, cb1->end_hr);
        ok(cb1->count == 1 && cb1->types[0] == MEExtendedType,
                "[3] the subscriber receives the queued event (MEExtendedType), got %u events, first %s",
                cb1->count, cb1->count ? event_name(cb1->types[0]) : "none");
    }
    ok(cb2->invoke_count == 0, "[3] a refused subscriber is never invoked (Invoke called %ld times)", cb2->invoke_count);

    /* The slot is free again once the event was delivered. */
    expect_hr("[3] after delivery, another callback may subscribe: S_OK", S_OK,
            IMFMediaSession_BeginGetEvent(session, &cb2->IMFAsyncCallback_iface, (IUnknown *)state));
    expect_hr("[3] BeginGetEvent same callback and same (non-NULL) state gives MF_S_MULTIPLE_BEGIN", MF_S_MULTIPLE_BEGIN,
            IMFMediaSession_BeginGetEvent(session, &cb2->IMFAsyncCallback_iface, (IUnknown *)state));
    expect_hr("[3] BeginGetEvent same callback, NULL instead of its state gives MF_E_MULTIPLE_BEGIN", MF_E_MULTIPLE_BEGIN,
            IMFMediaSession_BeginGetEvent(session, &cb2->IMFAsyncCallback_iface, NULL));
    expect_hr("[3] BeginGetEvent the first callback while the second is pending gives MF_E_MULTIPLE_SUBSCRIBERS",
            MF_E_MULTIPLE_SUBSCRIBERS, IMFMediaSession_BeginGetEvent(session, &cb1->IMFAsyncCallback_iface, NULL));
    expect_hr("[2 Close] S_OK", S_OK, IMFMediaSession_Close(session));
    if (ok(wait_handle(cb2->invoked, TEST_TIMEOUT, "the second subscriber's Invoke"),
            "[3] the second subscriber is invoked for MESessionClosed (within %u ms)", TEST_TIMEOUT))
    {
        expect_hr("[3] EndGetEvent in the second subscriber gives S_OK", S_OK, cb2->end_hr);
        ok(cb2->count == 1 && cb2->types[0] == MESessionClosed && cb2->statuses[0] == S_OK,
                "[2 Close] the subscriber receives MESessionClosed(S_OK), got %u events, first %s (%#lx)",
                cb2->count, cb2->count ? event_name(cb2->types[0]) : "none",
                (unsigned long)(cb2->count ? cb2->statuses[0] : 0));
    }
    Sleep(100);
    ok(cb1->invoke_count == 1 && cb2->invoke_count == 1,
            "[3] each subscription is invoked exactly once (invoke counts %ld, %ld)", cb1->invoke_count,
            cb2->invoke_count);

    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);

    settled_refcount(&cb1->IMFAsyncCallback_iface, 1);
    settled_refcount(&cb2->IMFAsyncCallback_iface, 1);
    settled_refcount(state, state_ref);
    ok(cb1->refcount == 1 && cb2->refcount == 1,
            "[2 Shutdown] completed BeginGetEvent callbacks are not referenced after Shutdown and Release "
            "(refcounts %ld, %ld; expected 1, 1)", cb1->refcount, cb2->refcount);
    ok(get_refcount(state) == state_ref,
            "[2 Shutdown] a BeginGetEvent state object is not referenced after Shutdown and Release (%lu -> %lu)",
            (unsigned long)state_ref, (unsigned long)get_refcount(state));
    IMFAsyncCallback_Release(&cb1->IMFAsyncCallback_iface);
    IMFAsyncCallback_Release(&cb2->IMFAsyncCallback_iface);
    IMFAttributes_Release(state);
}

/* Everything on the generator after Shutdown gives MF_E_SHUTDOWN; a pending
 * subscriber is left alone (observed: it keeps its reference). */
static void test_event_generator_shutdown(void)
{
    struct test_callback *pending, *late;
    IMFAsyncResult *foreign;
    IMFMediaSession *session;
    IMFMediaEvent *event;
    LONG invokes;
    HRESULT hr;

    if (!(session = create_session())) return;
    pending = create_callback(session, FALSE);
    late = create_callback(session, FALSE);

    expect_hr("[3] BeginGetEvent gives S_OK", S_OK,
            IMFMediaSession_BeginGetEvent(session, &pending->IMFAsyncCallback_iface, NULL));
    expect_hr("[2 Shutdown] S_OK with a BeginGetEvent subscriber pending", S_OK, IMFMediaSession_Shutdown(session));

    expect_hr("[3] BeginGetEvent after Shutdown gives MF_E_SHUTDOWN", MF_E_SHUTDOWN,
            IMFMediaSession_BeginGetEvent(session, &late->IMFAsyncCallback_iface, NULL));
    expect_hr("[1] BeginGetEvent(NULL callback) gives E_INVALIDARG even after Shutdown", E_INVALIDARG,
            IMFMediaSession_BeginGetEvent(session, NULL, NULL));
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[3] GetEvent after Shutdown gives MF_E_SHUTDOWN", MF_E_SHUTDOWN, hr);
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
    expect_hr("[3] QueueEvent after Shutdown gives MF_E_SHUTDOWN", MF_E_SHUTDOWN,
            IMFMediaSession_QueueEvent(session, MEExtendedType, &GUID_NULL, S_OK, NULL));
    if (SUCCEEDED(MFCreateAsyncResult(NULL, &late->IMFAsyncCallback_iface, NULL, &foreign)))
    {
        event = NULL;
        hr = IMFMediaSession_EndGetEvent(session, foreign, &event);
        ok(FAILED(hr), "[3] EndGetEvent after Shutdown fails, got %#lx", (unsigned long)hr);
        if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
        IMFAsyncResult_Release(foreign);
    }

    IMFMediaSession_Release(session);
    /* Give a late Invoke the chance to happen. */
    Sleep(300);
    invokes = pending->invoke_count;
    ok(invokes <= 1, "[3] a subscriber pending at Shutdown is invoked at most once, got %ld", invokes);
    if (invokes)
        diag("the pending subscriber was invoked after Shutdown with result status %#lx",
                (unsigned long)pending->result_status);
    diag("pending BeginGetEvent callback refcount after Shutdown and Release: %ld (1 = released, >1 = kept, "
            "as observed on Windows)", pending->refcount);
    settled_refcount(&late->IMFAsyncCallback_iface, 1);
    ok(late->invoke_count == 0 && late->refcount == 1,
            "[3] a subscription refused after Shutdown is neither invoked nor referenced (invokes %ld, refcount %ld)",
            late->invoke_count, late->refcount);
    IMFAsyncCallback_Release(&late->IMFAsyncCallback_iface);
    /* The pending callback may still be referenced by the shut-down queue: drop only our reference. */
    IMFAsyncCallback_Release(&pending->IMFAsyncCallback_iface);
}

/* ---------------------------------------------------------------------------
 * The reference client: a callback that re-arms itself until MESessionClosed,
 * and one that drives the session from inside its Invoke.
 */
static void test_rearming_client(void)
{
    static const MediaEventType types[] =
        {MESessionStarted, MESessionStopped, MESessionTopologiesCleared, MESessionPaused, MESessionClosed};
    static const HRESULT statuses[] =
        {MF_E_INVALIDREQUEST, MF_E_INVALIDREQUEST, S_OK, MF_E_INVALIDREQUEST, S_OK};
    struct test_callback *cb;
    IMFMediaSession *session;
    IMFMediaEvent *event;
    HRESULT hr;

    if (!(session = create_session())) return;
    cb = create_callback(session, TRUE);
    cb->rearm = TRUE;

    expect_hr("[8] BeginGetEvent gives S_OK", S_OK,
            IMFMediaSession_BeginGetEvent(session, &cb->IMFAsyncCallback_iface, NULL));
    expect_hr("[1] Start gives S_OK", S_OK, start_empty(session));
    expect_hr("[1] Stop gives S_OK", S_OK, IMFMediaSession_Stop(session));
    expect_hr("[1] ClearTopologies gives S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
    expect_hr("[1] Pause gives S_OK", S_OK, IMFMediaSession_Pause(session));
    expect_hr("[2 Close] S_OK", S_OK, IMFMediaSession_Close(session));
    if (ok(wait_handle(cb->done, TEST_TIMEOUT, "the re-arming callback to see MESessionClosed"),
            "[8] a callback that re-arms itself receives every event up to MESessionClosed (within %u ms)",
            TEST_TIMEOUT))
    {
        check_recorded(cb, types, statuses, ARRAYSIZE(types),
                "[1] completion events in call order, delivered through BeginGetEvent");
        ok(cb->rearm_hr == S_OK, "[3] BeginGetEvent from inside Invoke gives S_OK, got %#lx",
                (unsigned long)cb->rearm_hr);
        ok(cb->end_hr == S_OK, "[3] EndGetEvent inside Invoke gives S_OK, got %#lx", (unsigned long)cb->end_hr);
    }
    Sleep(100);
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    expect_hr("[2 Close] MESessionClosed is the last event (nothing after it)", MF_E_NO_EVENTS_AVAILABLE, hr);
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);

    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
    settled_refcount(&cb->IMFAsyncCallback_iface, 1);
    ok(cb->refcount == 1, "[2 Shutdown] the client callback is not referenced after Shutdown and Release (refcount %ld)",
            cb->refcount);
    IMFAsyncCallback_Release(&cb->IMFAsyncCallback_iface);
}

static void test_calls_from_invoke(void)
{
    static const MediaEventType types[] = {MESessionStarted, MESessionClosed};
    static const HRESULT statuses[] = {MF_E_INVALIDREQUEST, S_OK};
    struct test_callback *cb;
    IMFMediaSession *session;

    if (!(session = create_session())) return;
    cb = create_callback(session, TRUE);
    cb->rearm = TRUE;
    cb->close_on = MESessionStarted;
    cb->close_hr = cb->caps_hr = cb->clock_hr = E_FAIL;

    expect_hr("[8] BeginGetEvent gives S_OK", S_OK,
            IMFMediaSession_BeginGetEvent(session, &cb->IMFAsyncCallback_iface, NULL));
    expect_hr("[1] Start gives S_OK", S_OK, start_empty(session));
    if (ok(wait_handle(cb->done, TEST_TIMEOUT, "MESessionClosed after Close from Invoke"),
            "[1] no lock is held while calling the client: Close from inside Invoke completes (within %u ms)",
            TEST_TIMEOUT))
    {
        ok(cb->caps_hr == S_OK, "[1] GetSessionCapabilities from inside Invoke gives S_OK, got %#lx",
                (unsigned long)cb->caps_hr);
        ok(cb->clock_hr == S_OK, "[1] GetClock from inside Invoke gives S_OK, got %#lx", (unsigned long)cb->clock_hr);
        ok(cb->close_hr == S_OK, "[1] Close from inside Invoke gives S_OK, got %#lx", (unsigned long)cb->close_hr);
        check_recorded(cb, types, statuses, ARRAYSIZE(types), "[2 Close] Started, then Closed from inside Invoke");
    }
    else
    {
        /* The callback may still be stuck inside the session: leave both alive. */
        return;
    }

    expect_hr("[2 Shutdown] S_OK", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
    settled_refcount(&cb->IMFAsyncCallback_iface, 1);
    ok(cb->refcount == 1, "[2 Shutdown] the client callback is not referenced after Shutdown and Release (refcount %ld)",
            cb->refcount);
    IMFAsyncCallback_Release(&cb->IMFAsyncCallback_iface);
}

static void test_shutdown_with_blocked_waiters(void)
{
    struct get_event_call calls[4];
    HANDLE threads[4];
    IMFMediaSession *session;
    BOOL all_done = TRUE;
    unsigned i;

    if (!(session = create_session())) return;

    /* Several threads blocked in GetEvent(0): the first holds the queue, the
     * others may get MF_E_MULTIPLE_SUBSCRIBERS or wait; Shutdown must release all. */
    for (i = 0; i < ARRAYSIZE(threads); ++i)
        threads[i] = start_get_event(&calls[i], session, 0);
    Sleep(200);
    expect_hr("[2 Shutdown] S_OK while threads wait in GetEvent(0)", S_OK, IMFMediaSession_Shutdown(session));
    for (i = 0; i < ARRAYSIZE(threads); ++i)
    {
        if (!wait_handle(threads[i], TEST_TIMEOUT, "a GetEvent(0) thread after Shutdown")) all_done = FALSE;
    }
    ok(all_done, "[3] Shutdown releases every thread blocked in GetEvent(0) within %u ms", TEST_TIMEOUT);
    for (i = 0; i < ARRAYSIZE(threads); ++i)
    {
        if (all_done)
        {
            ok(FAILED(calls[i].hr), "[3] a GetEvent(0) pending at Shutdown fails (thread %u: %#lx)", i,
                    (unsigned long)calls[i].hr);
            if (SUCCEEDED(calls[i].hr) && calls[i].event) IMFMediaEvent_Release(calls[i].event);
        }
        CloseHandle(threads[i]);
    }
    if (all_done) IMFMediaSession_Release(session);
}

START_TEST(events)
{
    HRESULT hr;

    harness_watchdog(60000);
    hr = MFStartup(MF_VERSION, MFSTARTUP_FULL);
    ok_hr(S_OK, hr);

    RUN(test_get_event_and_queue_event);
    RUN(test_get_event_blocks);
    RUN(test_begin_get_event);
    RUN(test_event_generator_shutdown);
    RUN(test_rearming_client);
    RUN(test_calls_from_invoke);
    RUN(test_shutdown_with_blocked_waiters);

    harness_test = "MFShutdown";
    hr = MFShutdown();
    ok_hr(S_OK, hr);
}
