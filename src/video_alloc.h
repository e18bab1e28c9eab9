/*
 * video_alloc.h: the video renderer's sample path.  A transform that feeds a
 * stream sink offering a sample allocator (MR_VIDEO_ACCELERATION_SERVICE,
 * IMFVideoSampleAllocator) writes into the allocator's samples; a
 * Direct3D-aware transform gets the renderer's device manager.
 */
#ifndef MFSESSION_VIDEO_ALLOC_H
#define MFSESSION_VIDEO_ALLOC_H

#include "session_internal.h"

/* The private event a stream sink's link carries to the serializer when the
 * allocator's pool has a sample again and a transform waits for one. */
#define MFSESSION_ME_SAMPLE_RELEASED ((MediaEventType)(MEReservedMax + 0x5641))

struct video_alloc;

/* For a stream sink node: its allocator, initialized for the stream sink's
 * current media type, with the session as its release callback.  Leaves
 * node->video NULL when the sink has no allocator. */
void video_alloc_attach(struct pnode *sink);
/* Releases the allocator at teardown (UninitializeSampleAllocator); a
 * release notification still on its way is ignored. */
void video_alloc_detach(struct pnode *sink);
/* One sample from the pool.  MF_E_SAMPLEALLOCATOR_EMPTY: none is free; the
 * next one released wakes the serializer with MFSESSION_ME_SAMPLE_RELEASED. */
HRESULT video_alloc_sample(struct video_alloc *video, IMFSample **sample);
/* TRUE when its samples have no contiguous buffer for a transform to write
 * (known after the first sample): the frame is written into memory and
 * copied (sample_copy.c). */
BOOL video_alloc_copies(const struct video_alloc *video);

/* A Direct3D-aware transform (MF_SA_D3D_AWARE) on a node marked
 * MF_TOPONODE_D3DAWARE gets the device manager of the renderer it feeds
 * (MFT_MESSAGE_SET_D3D_MANAGER); withdrawn (a NULL manager) at teardown. */
void video_alloc_offer_d3d_manager(struct pnode *transform);
void video_alloc_withdraw_d3d_manager(struct pnode *transform);

#endif
