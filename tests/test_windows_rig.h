/*
 * Shared by the Windows-behaviour tests (test_windows*.c): Windows' recorded
 * behaviour of the Media Session (the checks of Wine's conformance tests,
 * dlls/mf/tests/mf.c, that are outside todo_wine and so pass on Windows),
 * re-done in our own code.  docs/WINDOWS-BEHAVIOUR.md has one row per
 * scenario.  With MFSESSION_WINDOWS_PLATFORM=1 in the environment the same
 * scenarios run against the platform's MFCreateMediaSession instead (used to
 * fill docs/PLATFORM-DIFFERENCES.md; not part of the suite).
 */
#ifndef MFSESSION_TEST_WINDOWS_RIG_H
#define MFSESSION_TEST_WINDOWS_RIG_H

#include "common.h"
#include "doubles.h"

#define SECOND 10000000
/* Any value type: expect_status does not check the value. */
#define ANY_VT ((VARTYPE)0xffff)

/* TRUE when MFSESSION_WINDOWS_PLATFORM=1: sessions come from MFCreateMediaSession. */
extern BOOL windows_platform;
void windows_init(void);
/* MFShutdown and CoUninitialize, at the end of a test. */
void windows_exit(void);

/* A new session: ours (through the class object), or the platform's. */
IMFMediaSession *windows_session(IMFAttributes *config);

/* Waits for the next event of `type` (others are skipped, as Windows' tests
 * skip them); checks its status and, unless vt is ANY_VT, its value type.
 * Returns the status (E_ABORT when the event never came). */
HRESULT expect_status_(int line, struct event_waiter *w, MediaEventType type, HRESULT status, VARTYPE vt,
        const char *rule);
#define expect_status(w, type, status, vt, rule) expect_status_(__LINE__, w, type, status, vt, rule)
/* Waits for `type` and returns its status without judging it (E_ABORT and a
 * failed check when it never came). */
HRESULT wait_status_(int line, struct event_waiter *w, MediaEventType type, const char *rule);
#define wait_status(w, type, rule) wait_status_(__LINE__, w, type, rule)
/* Waits for MESessionTopologyStatus(status); FALSE and a failed check if it never came. */
BOOL wait_topology_status_(int line, struct event_waiter *w, UINT32 status, const char *rule);
#define wait_topology_status(w, status, rule) wait_topology_status_(__LINE__, w, status, rule)

/* A scenario with the doubles: one source of `streams` audio streams of
 * 100 samples of 100 ms (10 s), seekable and pausable, into one sink whose
 * stream sink i takes stream i, through a clone of the source's PD. */
struct rig
{
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
};
/* Fills the descriptions rig_open uses, so a scenario can change a field. */
void rig_source_desc(struct dsource_desc *desc);
void rig_sink_desc(struct dsink_desc *desc);
/* Clears the call log and the faults; NULL descriptions take the defaults. */
BOOL rig_open(struct rig *r, const struct dsource_desc *sd, const struct dsink_desc *kd);
/* SetTopology(0) and wait for READY. */
BOOL rig_ready(struct rig *r);
/* Start(VT_EMPTY) and MESessionStarted(S_OK). */
BOOL rig_started(struct rig *r);
/* Close (bounded wait), Shutdown, source Shutdown, releases; safe on a half-open rig. */
void rig_close(struct rig *r);

/* Start(GUID_NULL, VT_I8 position), negative positions included (start_at takes
 * a negative position for VT_EMPTY). */
HRESULT start_i8(IMFMediaSession *session, LONGLONG position);

/* The transport call whose completion event is `completion` (MESessionStarted: Start(VT_EMPTY),
 * MESessionPaused, MESessionStopped, MESessionClosed, MESessionTopologiesCleared). */
HRESULT transport_call(IMFMediaSession *session, MediaEventType completion);

/* The session's presentation clock (AddRef'd), or NULL. */
IMFPresentationClock *session_clock(IMFMediaSession *session);
/* A clock state sink that logs "clk.OnClockStart" etc. into the call log. */
IMFClockStateSink *logging_clock_sink(void);

/* The call log from index `from`, only entries starting with one of the
 * NULL-terminated prefixes, joined with ","; into buf. */
const char *dlog_filtered(int from, const char *const *prefixes, char *buf, size_t size);
/* Waits (bounded) until an entry starting with prefix is logged at or after `from`. */
BOOL dlog_wait(const char *prefix, int from, DWORD timeout_ms);
/* Entries starting with prefix logged at or after `from`. */
int dlog_count_from(const char *prefix, int from);

/* The topology's first output node (AddRef'd), or NULL. */
IMFTopologyNode *first_output_node(IMFTopology *topology);
/* The topology's first source node (AddRef'd), or NULL. */
IMFTopologyNode *first_source_node(IMFTopology *topology);

#endif
