/*
 * Helpers shared by test_session's files (test_session.c, test_session_util.c,
 * test_session_transport.c, test_session_close.c): exact HRESULT and event
 * checks that name the contract rule they prove, and the few session steps
 * every part repeats.
 */
#ifndef MFSESSION_TEST_SESSION_H
#define MFSESSION_TEST_SESSION_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "common.h"

/* Exact HRESULT check that names the rule it proves. */
#define expect_hr(rule, expected, actual) do { \
        HRESULT hr_ = (actual); \
        ok(hr_ == (HRESULT)(expected), "%s: expected %s (%#lx), got %#lx", rule, #expected, \
                (unsigned long)(HRESULT)(expected), (unsigned long)hr_); \
    } while (0)

/* The next event must be `type` with `status` and an empty value. */
#define expect_event(w, type, status, rule) expect_event_(__LINE__, w, type, status, rule)
BOOL expect_event_(int line, struct event_waiter *w, MediaEventType type, HRESULT status, const char *rule);

/* Nothing is queued: GetEvent(NO_WAIT) says so. */
#define expect_no_event(session, rule) expect_no_event_(__LINE__, session, rule)
void expect_no_event_(int line, IMFMediaSession *session, const char *rule);

/* The refcount of an object once it has dropped back to `expected`, waiting up
 * to a second (see test_session_util.c). */
ULONG settled_refcount(void *iface, ULONG expected);
struct event_waiter *waiter_for(IMFMediaSession *session);
/* Start(GUID_NULL, VT_EMPTY): play from the current position. */
HRESULT start_empty(IMFMediaSession *session);
/* Close, then MESessionClosed(S_OK). */
BOOL close_and_wait(IMFMediaSession *session, struct event_waiter *w, const char *rule);

/* The parts of the program in other files, in the order START_TEST(session) runs them. */
void test_transport_without_topology(void);   /* test_session_transport.c */
void test_set_topology_checks(void);
void test_close(void);                        /* test_session_close.c */
void test_shutdown(void);

#endif
