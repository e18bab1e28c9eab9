/*
 * test_session: Close and Shutdown (CONTRACT.md section 2), from every state
 * a session without a topology can be in.
 */
#include "test_session.h"

/* ---------------------------------------------------------------------------
 * Close (section 2): valid from every state, MESessionClosed ends the
 * presentation's events.  Afterwards a transport call still returns S_OK and
 * its completion event carries MF_E_INVALIDREQUEST (recorded on Windows for
 * ClearTopologies, test_media_session_events; the others alike, so that a
 * client waiting for the event gets it); only a second Close is refused.
 */
/* Start, Pause, Stop and ClearTopologies, queued back to back. */
static void queue_commands(IMFMediaSession *session)
{
    expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
    expect_hr("[1] Pause queued: S_OK", S_OK, IMFMediaSession_Pause(session));
    expect_hr("[1] Stop queued: S_OK", S_OK, IMFMediaSession_Stop(session));
    expect_hr("[1] ClearTopologies queued: S_OK", S_OK, IMFMediaSession_ClearTopologies(session));
}

static void call_after_close(IMFMediaSession *session, const char *when)
{
    IMFRateControl *rate_control;
    PROPVARIANT pos;

    PropVariantInit(&pos);
#define ANSWERED(call, name) do { \
        HRESULT answered_hr_ = (call); \
        ok(answered_hr_ == S_OK, "[2 Close] %s returns S_OK %s, got %#lx", name, when, (unsigned long)answered_hr_); \
    } while (0)
    ANSWERED(IMFMediaSession_Start(session, &GUID_NULL, &pos), "Start");
    ANSWERED(IMFMediaSession_Pause(session), "Pause");
    ANSWERED(IMFMediaSession_Stop(session), "Stop");
    ANSWERED(IMFMediaSession_ClearTopologies(session), "ClearTopologies");
    ANSWERED(IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL), "SetTopology");
    if (SUCCEEDED(IMFMediaSession_QueryInterface(session, &IID_IMFRateControl, (void **)&rate_control)))
    {
        ANSWERED(IMFRateControl_SetRate(rate_control, FALSE, 1.0f), "SetRate");
        IMFRateControl_Release(rate_control);
    }
#undef ANSWERED
    expect_hr("[2 Close] a second Close is refused at once", MF_E_INVALIDREQUEST, IMFMediaSession_Close(session));
}

/* The completion events of call_after_close's calls, in call order. */
static void expect_answered_after_close(struct event_waiter *w, const char *when)
{
    static const MediaEventType types[] = {MESessionStarted, MESessionPaused, MESessionStopped,
            MESessionTopologiesCleared, MESessionTopologySet, MESessionRateChanged};
    char rule[200];
    unsigned i;

    for (i = 0; i < ARRAYSIZE(types); ++i)
    {
        snprintf(rule, sizeof(rule), "[2 Close] a call made %s completes with MF_E_INVALIDREQUEST, in call order (%u)",
                when, i + 1);
        expect_event(w, types[i], MF_E_INVALIDREQUEST, rule);
    }
}

static void check_valid_after_close(IMFMediaSession *session, const char *when)
{
    char rule[200];
    IMFTopology *topology;
    IMFClock *clock;
    DWORD caps;
    HRESULT hr;

    clock = NULL;
    hr = IMFMediaSession_GetClock(session, &clock);
    snprintf(rule, sizeof(rule), "[2 Close] GetClock stays valid %s", when);
    expect_hr(rule, S_OK, hr);
    if (SUCCEEDED(hr) && clock) IMFClock_Release(clock);

    snprintf(rule, sizeof(rule), "[2 Close] GetSessionCapabilities stays valid %s", when);
    expect_hr(rule, S_OK, IMFMediaSession_GetSessionCapabilities(session, &caps));

    topology = NULL;
    hr = IMFMediaSession_GetFullTopology(session, 0, 12345, &topology);
    snprintf(rule, sizeof(rule), "[2 Close] GetFullTopology stays valid %s (unknown id: MF_E_NOT_FOUND)", when);
    expect_hr(rule, MF_E_NOT_FOUND, hr);
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);
}

void test_close(void)
{
    IMFMediaSession *session;
    struct event_waiter *w;

    /* Close from a fresh session: refused calls start at the call, not at the event. */
    if (!(session = create_session())) return;
    w = waiter_for(session);
    expect_hr("[2 Close] S_OK from a new session", S_OK, IMFMediaSession_Close(session));
    call_after_close(session, "once Close was called (before MESessionClosed)");
    check_valid_after_close(session, "once Close was called (before MESessionClosed)");
    expect_event(w, MESessionClosed, S_OK, "[2 Close] completes with MESessionClosed(S_OK) before the calls made after it");
    expect_answered_after_close(w, "once Close was called (before MESessionClosed)");
    call_after_close(session, "after MESessionClosed");
    expect_answered_after_close(w, "after MESessionClosed");
    check_valid_after_close(session, "after MESessionClosed");
    Sleep(200);
    expect_no_event(session, "[2 Close] after MESessionClosed, only the completions of calls made after Close");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK after Close", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);

    /* Commands queued before Close still complete, in order, then MESessionClosed. */
    if (!(session = create_session())) return;
    w = waiter_for(session);
    queue_commands(session);
    expect_hr("[2 Close] S_OK with commands still queued", S_OK, IMFMediaSession_Close(session));
    call_after_close(session, "once Close was called with commands still queued");
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[2 Close] queued commands complete first, in order (1: Started)");
    expect_event(w, MESessionPaused, MF_E_INVALIDREQUEST, "[2 Close] queued commands complete first, in order (2: Paused)");
    expect_event(w, MESessionStopped, MF_E_INVALIDREQUEST, "[2 Close] queued commands complete first, in order (3: Stopped)");
    expect_event(w, MESessionTopologiesCleared, S_OK, "[2 Close] queued commands complete first, in order (4: TopologiesCleared)");
    expect_event(w, MESessionClosed, S_OK, "[2 Close] MESessionClosed(S_OK) comes after the commands queued before it");
    expect_answered_after_close(w, "once Close was called with commands still queued");
    Sleep(200);
    expect_no_event(session, "[2 Close] after MESessionClosed, only the completions of calls made after Close (commands were queued)");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK after Close", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);

    /* Close after failed commands (the "after an error" states). */
    if (!(session = create_session())) return;
    w = waiter_for(session);
    expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
    expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[2 Start] no topology: MESessionStarted(MF_E_INVALIDREQUEST)");
    expect_hr("[2 Close] S_OK after a failed Start", S_OK, IMFMediaSession_Close(session));
    expect_event(w, MESessionClosed, S_OK, "[2 Close] MESessionClosed(S_OK) after a failed Start");
    event_waiter_destroy(w);
    expect_hr("[2 Shutdown] S_OK after Close", S_OK, IMFMediaSession_Shutdown(session));
    IMFMediaSession_Release(session);
}

/* ---------------------------------------------------------------------------
 * Shutdown (section 2): synchronous, from any state, once.
 */
static void check_everything_shut_down(IMFMediaSession *session, const char *when)
{
    IMFMediaEvent *event;
    IMFTopology *topology;
    IMFClock *clock;
    PROPVARIANT pos;
    DWORD caps;
    HRESULT hr;

    PropVariantInit(&pos);
#define SHUT(expected, call, name) do { \
        HRESULT shut_hr_ = (call); \
        ok(shut_hr_ == (expected), "[2 Shutdown] %s %s: expected %s (%#lx), got %#lx", name, when, #expected, \
                (unsigned long)(expected), (unsigned long)shut_hr_); \
    } while (0)
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Shutdown(session), "a second Shutdown gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_SetTopology(session, MFSESSION_SETTOPOLOGY_CLEAR_CURRENT, NULL),
            "SetTopology gives MF_E_SHUTDOWN");
    SHUT(E_POINTER, IMFMediaSession_SetTopology(session, 0, NULL), "SetTopology(NULL) still gives E_POINTER");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_ClearTopologies(session), "ClearTopologies gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Start(session, &GUID_NULL, &pos), "Start gives MF_E_SHUTDOWN");
    SHUT(E_POINTER, IMFMediaSession_Start(session, &GUID_NULL, NULL), "Start(NULL position) still gives E_POINTER");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Pause(session), "Pause gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Stop(session), "Stop gives MF_E_SHUTDOWN");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_Close(session), "Close gives MF_E_SHUTDOWN");
    clock = NULL;
    hr = IMFMediaSession_GetClock(session, &clock);
    SHUT(MF_E_SHUTDOWN, hr, "GetClock gives MF_E_SHUTDOWN");
    if (SUCCEEDED(hr) && clock) IMFClock_Release(clock);
    SHUT(E_POINTER, IMFMediaSession_GetClock(session, NULL), "GetClock(NULL) still gives E_POINTER");
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_GetSessionCapabilities(session, &caps), "GetSessionCapabilities gives MF_E_SHUTDOWN");
    topology = NULL;
    hr = IMFMediaSession_GetFullTopology(session, MFSESSION_GETFULLTOPOLOGY_CURRENT, 0, &topology);
    SHUT(MF_E_SHUTDOWN, hr, "GetFullTopology gives MF_E_SHUTDOWN");
    if (SUCCEEDED(hr) && topology) IMFTopology_Release(topology);
    event = NULL;
    hr = IMFMediaSession_GetEvent(session, MF_EVENT_FLAG_NO_WAIT, &event);
    SHUT(MF_E_SHUTDOWN, hr, "GetEvent gives MF_E_SHUTDOWN");
    if (SUCCEEDED(hr) && event) IMFMediaEvent_Release(event);
    SHUT(MF_E_SHUTDOWN, IMFMediaSession_QueueEvent(session, MEExtendedType, &GUID_NULL, S_OK, NULL),
            "QueueEvent gives MF_E_SHUTDOWN");
#undef SHUT
}

void test_shutdown(void)
{
    IMFMediaSession *session;
    struct event_waiter *w;

    /* Right after creation, without Close. */
    if ((session = create_session()))
    {
        expect_hr("[2 Shutdown] S_OK without Close", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown of a new session)");
        IMFMediaSession_Release(session);
    }

    /* With commands still queued. */
    if ((session = create_session()))
    {
        queue_commands(session);
        expect_hr("[2 Shutdown] S_OK with commands still queued", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown with commands queued)");
        IMFMediaSession_Release(session);
        /* Queued work must not touch a released session. */
        Sleep(200);
    }

    /* After Close was called, before MESessionClosed arrives. */
    if ((session = create_session()))
    {
        expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
        expect_hr("[2 Close] S_OK", S_OK, IMFMediaSession_Close(session));
        expect_hr("[2 Shutdown] S_OK while Close is pending", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown while Close was pending)");
        IMFMediaSession_Release(session);
        Sleep(200);
    }

    /* After MESessionClosed. */
    if ((session = create_session()))
    {
        w = waiter_for(session);
        close_and_wait(session, w, "[2 Close] S_OK then MESessionClosed");
        event_waiter_destroy(w);
        expect_hr("[2 Shutdown] S_OK after MESessionClosed", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown following MESessionClosed)");
        IMFMediaSession_Release(session);
    }

    /* After a failed command (the no-topology Started state). */
    if ((session = create_session()))
    {
        w = waiter_for(session);
        expect_hr("[1] Start queued: S_OK", S_OK, start_empty(session));
        expect_event(w, MESessionStarted, MF_E_INVALIDREQUEST, "[2 Start] no topology: MESessionStarted(MF_E_INVALIDREQUEST)");
        event_waiter_destroy(w);
        expect_hr("[2 Shutdown] S_OK after a failed Start", S_OK, IMFMediaSession_Shutdown(session));
        check_everything_shut_down(session, "(after Shutdown following a failed Start)");
        IMFMediaSession_Release(session);
    }
}
