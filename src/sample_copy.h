/*
 * sample_copy.h: one video frame from a memory sample into a video
 * renderer's own sample (sample_copy.c).
 */
#ifndef MFSESSION_SAMPLE_COPY_H
#define MFSESSION_SAMPLE_COPY_H

#include "session_internal.h"

/* How the frame lies in the memory sample: `stride` is the type's
 * MF_MT_DEFAULT_STRIDE (negative: bottom-up; 0: not given, the contiguous
 * layout), `rows` its height. */
struct frame_layout
{
    LONG stride;
    UINT32 rows;
};

HRESULT sample_copy_frame(IMFSample *from, IMFSample *to, const struct frame_layout *layout);

#endif
