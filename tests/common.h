/*
 * Helpers shared by mfsession's tests: loading the DLL under test without the
 * registry, creating sessions, and waiting for events with a timeout.
 */
#ifndef MFSESSION_TEST_COMMON_H
#define MFSESSION_TEST_COMMON_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include "mfsession.h"
#include "harness.h"

/* Default timeout for any wait in a test, in milliseconds. */
#define TEST_TIMEOUT 5000

/* Loads mfsession.dll (path from MFSESSION_DLL, a Unix or Windows path, or
 * "mfsession.dll" next to the test) with LoadLibrary; no registry involved. */
HMODULE load_mfsession(void);
/* DllGetClassObject of the loaded module (CLSID_MFSession). */
HRESULT get_class_object(REFIID riid, void **out);
/* A new session with default configuration (through IClassFactory). */
IMFMediaSession *create_session(void);
/* A new session with the given configuration (through IMFSessionFactory). */
HRESULT create_session_with(IMFAttributes *config, IMFMediaSession **session);

/* Start(GUID_NULL) from a position in 100 ns units, or from the current
 * position (VT_EMPTY) when position < 0. */
HRESULT start_at(IMFMediaSession *session, LONGLONG position);

/* Refcount of an object without changing it. */
ULONG get_refcount(void *iface);

/* Next event of a generator, waited for with BeginGetEvent and a timeout.
 * An event_waiter subscribes at most once at a time; after a timeout its
 * subscription stays pending and the next call waits on it again. */
struct event_waiter;
struct event_waiter *event_waiter_create(IMFMediaEventGenerator *generator);
/* S_OK and *event, or HRESULT_FROM_WIN32(WAIT_TIMEOUT) on timeout, or the
 * EndGetEvent error. */
HRESULT event_waiter_next(struct event_waiter *waiter, DWORD timeout_ms, IMFMediaEvent **event);
/* Waits until an event of the given type arrives (skipping others, which are
 * released); returns its status in *status.  FALSE on timeout. */
BOOL event_waiter_wait_for(struct event_waiter *waiter, MediaEventType type, DWORD timeout_ms,
        HRESULT *status, IMFMediaEvent **event);
void event_waiter_destroy(struct event_waiter *waiter);

/* Name of an event type for messages. */
const char *event_name(MediaEventType type);

/* Waits on a thread or event handle with a timeout; FALSE and a message on timeout. */
BOOL wait_handle(HANDLE handle, DWORD timeout_ms, const char *what);

/* The Wine version the test runs on ("10.0"; ntdll's wine_get_version), or
 * NULL on Windows, and its major number (0 on Windows): for the tests where
 * Wine versions' own components behave differently (docs/WINE-MATRIX.md). */
const char *wine_version(void);
unsigned int wine_major_version(void);

/* The doubles most playback tests use (common_doubles.c; the program links
 * the doubles): a seekable, pausable source of one stream of `samples`
 * samples of ONE_STREAM_SAMPLE_DURATION each (rate_support: IMFRateControl,
 * doubles.h), and a one-stream sink that keeps every sample's time, keeps two
 * requests outstanding and, with request_limit > 0, asks for no more than
 * that many samples.  name NULL: the doubles' default log names. */
#define ONE_STREAM_SAMPLE_DURATION 100000
struct dsource;
struct dsink;
struct dsource *one_stream_source(const char *name, unsigned samples, BOOL rate_support);
struct dsink *one_stream_sink(const char *name, BOOL rateless, unsigned request_limit);

#endif
