/*
 * dvideosink: a video renderer's stream sink, as far as the session's sample
 * path sees it.  It wraps a dsink stream sink (events, requests, markers come
 * from there) and adds IMFGetService(MR_VIDEO_ACCELERATION_SERVICE,
 * IMFVideoSampleAllocator): the platform's sample allocator without
 * Direct3D (2D memory buffers, RGB32 320x240) behind a counting wrapper,
 * with a small pool.  Each sample it receives is held `hold_ms` and then
 * released on a timer thread, as a renderer holds a frame until shown.
 */
#ifndef MFSESSION_TEST_DVIDEOSINK_H
#define MFSESSION_TEST_DVIDEOSINK_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>

struct dvideosink_counts
{
    LONG initialized;           /* InitializeSampleAllocator(Ex) calls that succeeded */
    LONG pool;                  /* the pool size asked for */
    LONG uninitialized;         /* UninitializeSampleAllocator calls */
    LONG allocated;             /* samples AllocateSample handed out */
    LONG empty;                 /* AllocateSample calls answered MF_E_SAMPLEALLOCATOR_EMPTY */
    LONG notified;              /* NotifyRelease calls passed to the session's callback */
    LONG received;              /* samples ProcessSample got */
    LONG foreign;               /* of those, samples not from the pool */
    LONG callback_set;          /* SetCallback with a callback */
    LONG callback_cleared;      /* SetCallback(NULL) */
};

struct dvideosink;
HRESULT dvideosink_create(IMFStreamSink *inner, unsigned hold_ms, struct dvideosink **out);
IMFStreamSink *dvideosink_iface(struct dvideosink *v);     /* not AddRef'd */
void dvideosink_counts(struct dvideosink *v, struct dvideosink_counts *counts);
/* Waits for the held samples to be released (bounded); FALSE on timeout. */
BOOL dvideosink_drain_held(struct dvideosink *v, DWORD timeout_ms);
void dvideosink_release(struct dvideosink *v);

#endif
