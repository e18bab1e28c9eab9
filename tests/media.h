/*
 * Real-media helpers shared by the tests that play files through the
 * platform's source resolver: a WAV writer, the resolver call, and a sample
 * grabber callback that counts what arrives.
 */
#ifndef MFSESSION_TEST_MEDIA_H
#define MFSESSION_TEST_MEDIA_H

#include "common.h"

/* A sample grabber callback living on the test's stack (the refcount only
 * proves balance). */
struct grabber
{
    IMFSampleGrabberSinkCallback IMFSampleGrabberSinkCallback_iface;
    LONG refcount;
    LONGLONG bytes;             /* every byte received */
    LONGLONG duration;          /* the sum of the samples' durations (100 ns) */
    LONG samples;
    LONGLONG last_time;
    BOOL out_of_order;          /* a sample older than the one before */
    volatile LONG marked;       /* set by the test: count bytes_after_mark from here */
    LONGLONG bytes_after_mark;
    /* Latched by the first OnClockStart after `marked` (a seek's restart):
     * bytes_after_start counts from there.  Unlike bytes_after_mark it does
     * not grow with the time the test took to issue the seek, during which
     * the old position keeps playing in real time. */
    volatile LONG started_after_mark;
    LONGLONG bytes_after_start;
    BOOL shut_down;             /* OnShutdown was called */
    BOOL after_shutdown;        /* a sample came after OnShutdown */
    BOOL use_clock;             /* for the test's own use */
};

void grabber_init(struct grabber *g);

/* A 16-bit PCM WAV file; returns its number of data bytes, 0 (and a failed
 * check) when it cannot be written. */
DWORD write_wav(const WCHAR *path, DWORD rate, WORD channels, DWORD ms);

/* The platform's source resolver: a media source for a file. */
HRESULT open_source(const WCHAR *path, IMFMediaSource **source);

/* A PCM audio sample grabber sink's activate calling g; with !use_clock it
 * ignores the presentation clock (MF_SAMPLEGRABBERSINK_IGNORE_CLOCK). */
HRESULT grabber_activate(struct grabber *g, BOOL use_clock, IMFActivate **activate);

/* The reference client's partial topology: the source's first stream ->
 * an output node holding output, MF_TOPONODE_STREAMID 0,
 * MF_TOPONODE_NOSHUTDOWN_ON_REMOVE FALSE. */
IMFTopology *one_stream_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd, IMFActivate *output);
/* The same for the stream at `index` of the presentation descriptor. */
IMFTopology *stream_topology(IMFMediaSource *source, IMFPresentationDescriptor *pd, DWORD index, IMFActivate *output);

/* Runs this test's executable again as `<exe> child <args> <result file>`
 * and waits for it at most timeout_ms (then it is terminated); the child
 * writes `size` bytes of result with child_write_result; its output goes
 * to `log` (NULL: dropped).  FALSE with `why` when it did not start, hung,
 * failed or wrote no result: a session that may hang or crash (the
 * platform's on Wine) is bounded there. */
BOOL run_child(const char *args, DWORD timeout_ms, void *result, DWORD size, char *log, DWORD log_size,
        char *why, size_t why_size);
BOOL child_write_result(const char *path, const void *result, DWORD size);

#endif
