/*
 * transform_output.h: the output samples the session hands a synchronous
 * transform's ProcessOutput (sizing, alignment, reuse, the output stream
 * flags).  Serializer only.
 */
#ifndef MFSESSION_TRANSFORM_OUTPUT_H
#define MFSESSION_TRANSFORM_OUTPUT_H

#include "session_internal.h"
#include "sample_copy.h"

struct video_alloc;

/* What the session knows about one output stream of a transform. */
struct transform_output
{
    DWORD flags;                /* MFT_OUTPUT_STREAM_INFO.dwFlags */
    DWORD min_size;             /* MFT_OUTPUT_STREAM_INFO.cbSize: a minimum, not the size to use */
    DWORD alignment;            /* MFT_OUTPUT_STREAM_INFO.cbAlignment (bytes, 0 or 1: none) */
    DWORD bytes_per_second;     /* audio output: MF_MT_AUDIO_AVG_BYTES_PER_SECOND, else 0 */
    DWORD block_align;          /* audio output: MF_MT_AUDIO_BLOCK_ALIGNMENT, else 0 */
    IMFSample *spare;           /* handed out, not written: the next call gets it again */
    DWORD spare_size;           /* its buffer's maximum length */
    IMFSample *target;          /* the video renderer's sample the next output goes into */
    struct frame_layout frame;  /* video output: how the transform lays out a frame in memory */
};

/* Reads every output's stream info and current type; call again after a
 * format change or MFT_PROCESS_OUTPUT_STATUS_NEW_STREAMS.  Failures leave
 * the defaults (session-allocated memory, no minimum). */
void transform_output_prepare(struct pnode *node);
/* Frees the spare samples and the per-output table. */
void transform_output_release(struct pnode *node);
/* Records the duration of an input sample: audio output buffers are sized
 * to hold what one input becomes. */
void transform_output_note_input(struct pnode *node, IMFSample *sample);

/* Fills buffers[output].pSample for one ProcessOutput call: NULL when the
 * transform provides its samples or the stream may go without one; a
 * sample from the downstream video renderer's allocator (video_alloc.c),
 * or a memory sample with the renderer's sample held for the copy when the
 * transform cannot write the renderer's samples; else a reused or new
 * memory sample.  MF_E_SAMPLEALLOCATOR_EMPTY when the
 * renderer's pool is empty (the pump parks until a sample comes back). */
HRESULT transform_output_get_sample(struct pnode *node, DWORD output, IMFSample **out);
/* ProcessOutput flags for the call (MFT_PROCESS_OUTPUT_DISCARD_WHEN_NO_BUFFER
 * when a discardable output goes without a buffer). */
DWORD transform_output_process_flags(struct pnode *node, const MFT_OUTPUT_DATA_BUFFER *buffers, DWORD count);
/* A sample the transform did not fill (no output, or more input needed)
 * comes back: kept for the next call instead of being freed. */
void transform_output_return_sample(struct pnode *node, DWORD output, IMFSample *sample);
/* A sample the transform wrote, made ready to go downstream: when the frame
 * was written into memory for a video renderer, it is copied into the
 * renderer's sample, which replaces *sample (the memory one is kept for the
 * next call).  On failure *sample is NULL. */
HRESULT transform_output_finish_sample(struct pnode *node, DWORD output, IMFSample **sample);

/* pipeline.c: the same for async_mft.c's pump (also declared in async_mft.h). */
HRESULT pipeline_alloc_output(struct pnode *node, DWORD output, IMFSample **out);

#endif
