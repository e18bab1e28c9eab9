/*
 * What test_doubles' files share (test_doubles.c, test_doubles_util.c,
 * test_doubles_source.c, test_doubles_mft.c, test_doubles_sink.c,
 * test_doubles_faults.c): event checks that poll a generator, descriptors of
 * the usual doubles, and the parts of the program in the order it runs them.
 */
#ifndef MFSESSION_TEST_TEST_DOUBLES_H
#define MFSESSION_TEST_TEST_DOUBLES_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include "common.h"
#include "doubles.h"
#include <stdlib.h>
#include <string.h>

#define DUR 100000
#define CUSTOM_HR ((HRESULT)0x8004dead)

/* The next event must be `type`; returns it in *out (if given) or releases it. */
BOOL expect_event_(const char *file, int line, void *generator, MediaEventType type, DWORD timeout_ms,
        IMFMediaEvent **out);
#define expect_event(g, t, ms, out) expect_event_(__FILE__, __LINE__, g, t, ms, out)
/* No event comes within wait_ms. */
void expect_no_event_(const char *file, int line, void *generator, DWORD wait_ms);
#define expect_no_event(g, ms) expect_no_event_(__FILE__, __LINE__, g, ms)

PROPVARIANT i8(LONGLONG v);
/* Waits for a refcount that asynchronous notifications may still hold. */
LONG settle(LONG (*get)(void *), void *obj, LONG expected);
LONG sink_rc(void *k);
LONG source_rc(void *s);
struct dsource_desc source_desc(unsigned streams, unsigned samples, BOOL eager);
struct dsink_desc sink_desc(unsigned streams);
IMFPresentationClock *create_clock(void);
/* A do-nothing callback for BeginGetEvent / BeginFinalize calls that fail. */
extern IMFAsyncCallback null_cb;
/* Its methods but Invoke, for callbacks that only need an Invoke of their own. */
HRESULT WINAPI null_cb_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out);
ULONG WINAPI null_cb_AddRef(IMFAsyncCallback *iface);
ULONG WINAPI null_cb_Release(IMFAsyncCallback *iface);
HRESULT WINAPI null_cb_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue);
IMFSample *make_sample(LONGLONG time, LONGLONG duration, BYTE fill, DWORD bytes);
BOOL is_pcm(IMFMediaType *type);

/* test_doubles_source.c */
void test_source_start_stop(void);
void test_source_seek_pause(void);
void test_source_end_of_stream(void);
void test_source_rate(void);
/* test_doubles_mft.c */
void test_mft_units(void);
/* test_doubles_sink.c */
void test_sink_basics(void);
void test_sink_preroll_finalize(void);
void test_sink_time_source(void);
void test_activate(void);
/* test_doubles_faults.c */
void test_fault_switches(void);
void test_drive_failures(void);

#endif
