/* Shared by dmft_async.c (the transform) and dmft_async_work.c (its events,
 * the decoder's work item, the event generator and IMFShutdown) only. */
#ifndef MFSESSION_TEST_DMFT_ASYNC_PRIVATE_H
#define MFSESSION_TEST_DMFT_ASYNC_PRIVATE_H

#include "doubles_private.h"

#define HELD_MAX 2

struct dmft_async
{
    IMFTransform IMFTransform_iface;
    IMFMediaEventGenerator IMFMediaEventGenerator_iface;
    IMFShutdown IMFShutdown_iface;
    IMFAsyncCallback decode_callback;   /* the decoder's work item */
    LONG refcount;
    CRITICAL_SECTION cs;
    struct dmft_async_desc desc;
    char name[32];
    IMFAttributes *attributes;
    IMFMediaEventQueue *queue;
    IMFMediaType *types[2];             /* [0] input, [1] output */
    IMFSample *held[HELD_MAX], *ready[DMFT_ASYNC_READY_MAX];
    unsigned held_count, ready_count, need;
    BOOL streaming, draining, marker_pending, shut_down;
    UINT64 marker_context;
    LONG inputs, outputs, locked_calls;
};

/* dmft_async_work.c; the first five with the lock held. */
void amft_refill(struct dmft_async *mft);                       /* asks for input while it has room */
void amft_offer(struct dmft_async *mft, IMFSample *sample);     /* an output is ready: METransformHaveOutput */
void amft_drop(struct dmft_async *mft);                         /* forgets what it holds and was asked for */
void amft_decode(struct dmft_async *mft);                       /* what may come out now; drain and marker answers */
void amft_schedule(struct dmft_async *mft);                     /* the decoder works later, on a work item */
extern const IMFAsyncCallbackVtbl amft_decode_vtbl;
extern const IMFMediaEventGeneratorVtbl amft_events_vtbl;
extern const IMFShutdownVtbl amft_shutdown_vtbl;

#endif
