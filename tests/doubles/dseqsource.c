/*
 * The sequencer-like source (dseqsource.h): one IMFMediaSource standing for
 * the native sources of its segments.
 *
 * AppendTopology points the topology's source nodes at the sequencer (in
 * place, with MF_TOPONODE_SEQUENCE_ELEMENTID) and keeps the native source and
 * presentation descriptor it found there: that descriptor names the segment
 * in Start and GetMediaSourceTopology.  The sequencer listens to every native
 * source's events and passes on those of the segment in play:
 *  - MENewStream/MEUpdatedStream (the native streams themselves), stops,
 *    pauses and errors as they are;
 *  - MESourceStarted as VT_EMPTY when the segment began as the next of a
 *    playlist (Start with VT_EMPTY), with the offset when it is a skip's
 *    target, else as it is; then MENewPresentation for the segment after it;
 *  - MEEndOfPresentation as MEEndOfPresentationSegment unless it is the last.
 * Start(MF_TIME_FORMAT_SEGMENT_OFFSET or ENTRY_RELATIVE) on another segment
 * makes it the target: MENewPresentation for it (unless it is the one
 * already announced), MESourceStarted with the offset, and the segment in
 * play canceled.  A segment started with VT_EMPTY while a target waits is
 * canceled at once (MESourceStarted, then MEEndOfPresentationSegment with
 * MF_EVENT_SOURCE_TOPOLOGY_CANCELED), as Windows' does (Sequencer Source Events).
 * Native sources are called with the lock released.
 */
#include "doubles_private.h"
#include "dseqsource.h"
#include "dseqsource_private.h"
#include <stdio.h>
#include <stdlib.h>

/* ---- helpers (called with the lock held unless said) ---- */

static struct dseqsource *impl_from_IMFMediaSource(IMFMediaSource *iface)
{
    return CONTAINING_RECORD(iface, struct dseqsource, IMFMediaSource_iface);
}

struct dseqsource *dseq_from_sequencer(IMFSequencerSource *iface)
{
    return CONTAINING_RECORD(iface, struct dseqsource, IMFSequencerSource_iface);
}

struct dseqsource *dseq_from_provider(IMFMediaSourceTopologyProvider *iface)
{
    return CONTAINING_RECORD(iface, struct dseqsource, IMFMediaSourceTopologyProvider_iface);
}

int dseq_find_segment(struct dseqsource *seq, IMFPresentationDescriptor *pd)
{
    unsigned i;
    for (i = 0; i < seq->count; ++i)
        if (seq->segments[i].pd == pd) return i;
    return -1;
}

int dseq_find_id(struct dseqsource *seq, MFSequencerElementId id)
{
    unsigned i;
    for (i = 0; i < seq->count; ++i)
        if (seq->segments[i].id == id) return i;
    return -1;
}

static void queue_time(struct dseqsource *seq, MediaEventType type, HRESULT status, BOOL timed, LONGLONG time)
{
    PROPVARIANT value;
    PropVariantInit(&value);
    if (timed)
    {
        value.vt = VT_I8;
        value.hVal.QuadPart = time;
    }
    IMFMediaEventQueue_QueueEventParamVar(seq->queue, type, &GUID_NULL, status, &value);
}

static void announce(struct dseqsource *seq, int index)
{
    if (index < 0 || index >= (int)seq->count || seq->announced == index) return;
    seq->announced = index;
    DLOG("seq.NewPresentation(%d)", index);
    IMFMediaEventQueue_QueueEventParamUnk(seq->queue, MENewPresentation, &GUID_NULL, S_OK,
            (IUnknown *)seq->segments[index].pd);
}

static void end_segment(struct dseqsource *seq, int index, BOOL canceled)
{
    IMFMediaEvent *event;
    PROPVARIANT empty;

    if (canceled)
    {
        DLOG("seq.Cancel(%d)", index);
        seq->canceled++;
    }
    else DLOG("seq.EndOfSegment(%d)", index);
    PropVariantInit(&empty);
    if (FAILED(MFCreateMediaEvent(MEEndOfPresentationSegment, &GUID_NULL, S_OK, &empty, &event))) return;
    if (canceled) IMFMediaEvent_SetUINT32(event, &MF_EVENT_SOURCE_TOPOLOGY_CANCELED, TRUE);
    IMFMediaEventQueue_QueueEvent(seq->queue, event);
    IMFMediaEvent_Release(event);
}

/* ---- listening to the native sources ---- */

static struct listener *impl_from_IMFAsyncCallback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct listener, IMFAsyncCallback_iface);
}

static HRESULT WINAPI listener_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFAsyncCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI listener_AddRef(IMFAsyncCallback *iface)
{
    return IMFMediaSource_AddRef(&impl_from_IMFAsyncCallback(iface)->seq->IMFMediaSource_iface);
}

static ULONG WINAPI listener_Release(IMFAsyncCallback *iface)
{
    return IMFMediaSource_Release(&impl_from_IMFAsyncCallback(iface)->seq->IMFMediaSource_iface);
}

static HRESULT WINAPI listener_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL; /* optional: the default queue */
}

/* One native event, passed on when its segment is in play (lock held). */
static void pass_on(struct dseqsource *seq, unsigned index, IMFMediaEvent *event)
{
    struct segment *segment = &seq->segments[index];
    MediaEventType type;
    HRESULT status;
    PROPVARIANT value;

    if ((int)index != seq->active) return;
    IMFMediaEvent_GetType(event, &type);
    IMFMediaEvent_GetStatus(event, &status);
    switch (type)
    {
    case MESourceStarted:
    case MESourceSeeked:
        if (segment->report == REPORT_AS_IS) IMFMediaEventQueue_QueueEvent(seq->queue, event);
        else queue_time(seq, type, status, segment->report == REPORT_AT, seq->target_offset);
        if (segment->report == REPORT_AT) seq->target = -1;
        segment->report = REPORT_AS_IS;
        if (SUCCEEDED(status)) announce(seq, index + 1);
        break;
    case MEEndOfPresentation:
        /* Once per segment: a native source may answer late requests with another. */
        if (segment->ended) break;
        segment->ended = TRUE;
        if (index + 1 < seq->count) end_segment(seq, index, FALSE);
        else
        {
            DLOG("seq.EndOfPresentation(%u)", index);
            PropVariantInit(&value);
            IMFMediaEventQueue_QueueEventParamVar(seq->queue, MEEndOfPresentation, &GUID_NULL, status, &value);
        }
        break;
    default:
        IMFMediaEventQueue_QueueEvent(seq->queue, event);
        break;
    }
}

static HRESULT WINAPI listener_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct listener *listener = impl_from_IMFAsyncCallback(iface);
    struct dseqsource *seq = listener->seq;
    IMFMediaSource *native;
    IMFMediaEvent *event;
    BOOL again;

    EnterCriticalSection(&seq->cs);
    native = seq->segments[listener->index].native;
    if (native) IMFMediaSource_AddRef(native);
    LeaveCriticalSection(&seq->cs);
    if (!native) return S_OK;
    if (FAILED(IMFMediaSource_EndGetEvent(native, result, &event)))
    {
        IMFMediaSource_Release(native);
        return S_OK;
    }
    EnterCriticalSection(&seq->cs);
    if ((again = !seq->shut_down)) pass_on(seq, listener->index, event);
    LeaveCriticalSection(&seq->cs);
    IMFMediaEvent_Release(event);
    if (again) IMFMediaSource_BeginGetEvent(native, iface, NULL);
    IMFMediaSource_Release(native);
    return S_OK;
}

const IMFAsyncCallbackVtbl dseq_listener_vtbl =
{
    listener_QueryInterface, listener_AddRef, listener_Release, listener_GetParameters, listener_Invoke,
};

/* ---- IMFMediaSource ---- */

static HRESULT WINAPI seq_QueryInterface(IMFMediaSource *iface, REFIID riid, void **out)
{
    struct dseqsource *seq = impl_from_IMFMediaSource(iface);

    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IMFMediaSource) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
        *out = &seq->IMFMediaSource_iface;
    else if (IsEqualIID(riid, &IID_IMFSequencerSource))
        *out = &seq->IMFSequencerSource_iface;
    else if (IsEqualIID(riid, &IID_IMFMediaSourceTopologyProvider))
        *out = &seq->IMFMediaSourceTopologyProvider_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI seq_AddRef(IMFMediaSource *iface)
{
    return InterlockedIncrement(&impl_from_IMFMediaSource(iface)->refcount);
}

static void release_segments(struct dseqsource *seq)
{
    unsigned i;
    for (i = 0; i < seq->count; ++i)
    {
        struct segment *segment = &seq->segments[i];
        if (segment->topology) IMFTopology_Release(segment->topology);
        if (segment->pd) IMFPresentationDescriptor_Release(segment->pd);
        if (segment->native) IMFMediaSource_Release(segment->native);
        segment->topology = NULL;
        segment->pd = NULL;
        segment->native = NULL;
    }
}

static ULONG WINAPI seq_Release(IMFMediaSource *iface)
{
    struct dseqsource *seq = impl_from_IMFMediaSource(iface);
    ULONG refcount = InterlockedDecrement(&seq->refcount);

    if (refcount) return refcount;
    release_segments(seq);
    if (seq->queue) IMFMediaEventQueue_Release(seq->queue);
    DeleteCriticalSection(&seq->cs);
    free(seq);
    return 0;
}

static HRESULT WINAPI seq_GetEvent(IMFMediaSource *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_GetEvent(impl_from_IMFMediaSource(iface)->queue, flags, event);
}

static HRESULT WINAPI seq_BeginGetEvent(IMFMediaSource *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    return IMFMediaEventQueue_BeginGetEvent(impl_from_IMFMediaSource(iface)->queue, callback, state);
}

static HRESULT WINAPI seq_EndGetEvent(IMFMediaSource *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFMediaEventQueue_EndGetEvent(impl_from_IMFMediaSource(iface)->queue, result, event);
}

static HRESULT WINAPI seq_QueueEvent(IMFMediaSource *iface, MediaEventType type, REFGUID ext, HRESULT hr,
        const PROPVARIANT *value)
{
    return IMFMediaEventQueue_QueueEventParamVar(impl_from_IMFMediaSource(iface)->queue, type, ext, hr, value);
}

static HRESULT WINAPI seq_GetCharacteristics(IMFMediaSource *iface, DWORD *characteristics)
{
    struct dseqsource *seq = impl_from_IMFMediaSource(iface);
    IMFMediaSource *native = NULL;
    HRESULT hr = S_OK;

    if (!characteristics) return E_POINTER;
    EnterCriticalSection(&seq->cs);
    if (seq->shut_down) hr = MF_E_SHUTDOWN;
    else if (seq->count) native = seq->segments[seq->active >= 0 ? seq->active : 0].native;
    if (native) IMFMediaSource_AddRef(native);
    LeaveCriticalSection(&seq->cs);
    if (FAILED(hr)) return hr;
    *characteristics = 0;
    if (native)
    {
        IMFMediaSource_GetCharacteristics(native, characteristics);
        IMFMediaSource_Release(native);
    }
    *characteristics |= MFMEDIASOURCE_CAN_SKIPFORWARD | MFMEDIASOURCE_CAN_SKIPBACKWARD;
    return S_OK;
}

static HRESULT WINAPI seq_CreatePresentationDescriptor(IMFMediaSource *iface, IMFPresentationDescriptor **pd)
{
    struct dseqsource *seq = impl_from_IMFMediaSource(iface);
    HRESULT hr = S_OK;

    if (!pd) return E_POINTER;
    EnterCriticalSection(&seq->cs);
    if (seq->shut_down) hr = MF_E_SHUTDOWN;
    else if (!seq->count) hr = MF_E_INVALIDREQUEST;
    else
    {
        /* The first segment's: GetMediaSourceTopology maps it to its topology. */
        *pd = seq->segments[0].pd;
        IMFPresentationDescriptor_AddRef(*pd);
    }
    LeaveCriticalSection(&seq->cs);
    return hr;
}

/* A native call decided under the lock, made after it. */
struct native_call { IMFMediaSource *native; IMFPresentationDescriptor *pd; BOOL timed; LONGLONG time; };

static void native_start(struct native_call *call)
{
    PROPVARIANT pos;
    if (!call->native) return;
    PropVariantInit(&pos);
    if (call->timed)
    {
        pos.vt = VT_I8;
        pos.hVal.QuadPart = call->time;
    }
    IMFMediaSource_Start(call->native, call->pd, &GUID_NULL, &pos);
}

static void plan_native(struct dseqsource *seq, int index, BOOL timed, LONGLONG time, struct native_call *call)
{
    struct segment *segment = &seq->segments[index];
    segment->native_started = TRUE;
    if (timed) segment->ended = FALSE;
    call->native = segment->native;
    call->pd = segment->pd;
    call->timed = timed;
    call->time = time;
}

/* A skip to `target` at `time`, from segment `index` (lock held). */
static void skip(struct dseqsource *seq, int index, int target, LONGLONG time, struct native_call *call)
{
    if (target == index)
    {
        /* Within the segment in play: the native source seeks. */
        seq->active = index;
        seq->segments[index].report = REPORT_AS_IS;
        plan_native(seq, index, TRUE, time, call);
        return;
    }
    seq->target = target;
    seq->target_offset = time;
    announce(seq, target);
    queue_time(seq, MESourceStarted, S_OK, TRUE, time);
    end_segment(seq, index, TRUE);
    /* Canceled is its end: its native source's own end, if it comes (it
     * reached it just before the skip), is not passed on again. */
    seq->segments[index].ended = TRUE;
}

static HRESULT WINAPI seq_Start(IMFMediaSource *iface, IMFPresentationDescriptor *pd, const GUID *format,
        const PROPVARIANT *pos)
{
    struct dseqsource *seq = impl_from_IMFMediaSource(iface);
    struct native_call call = {0};
    HRESULT hr = S_OK;
    int index;

    if (!pd || !pos) return E_POINTER;
    EnterCriticalSection(&seq->cs);
    index = dseq_find_segment(seq, pd);
    if (seq->shut_down) hr = MF_E_SHUTDOWN;
    else if (index < 0) hr = E_INVALIDARG;
    else if (format && IsEqualGUID(format, &DSEQ_TIME_FORMAT_SEGMENT_OFFSET))
    {
        MFSequencerElementId id;
        MFTIME time;
        seq->last_offset = pos->vt == VT_UNKNOWN ? pos->punkVal : NULL;
        if (pos->vt != VT_UNKNOWN || !pos->punkVal) hr = MF_E_INVALIDTYPE;
        else if (!dseq_offset_read(pos->punkVal, &id, &time))
        {
            /* Not one of ours (Windows' own offsets are opaque too). */
            DLOG("seq.Start(%d,segment,foreign)", index);
            hr = MF_E_UNSUPPORTED_TIME_FORMAT;
        }
        else
        {
            DLOG("seq.Start(%d,segment,%lu:%lld)", index, (unsigned long)id, (long long)time);
            if (dseq_find_id(seq, id) < 0) hr = E_INVALIDARG;
            else skip(seq, index, dseq_find_id(seq, id), time, &call);
        }
    }
    else if (format && IsEqualGUID(format, &DSEQ_TIME_FORMAT_ENTRY_RELATIVE))
    {
        int from = seq->active >= 0 ? seq->active : index;
        DLOG("seq.Start(%d,entry,%ld)", index, pos->vt == VT_I4 ? (long)pos->lVal : 0L);
        if (pos->vt != VT_I4) hr = MF_E_INVALIDTYPE;
        else if (from + pos->lVal < 0 || from + pos->lVal >= (int)seq->count) hr = E_INVALIDARG;
        else skip(seq, index, from + pos->lVal, 0, &call);
    }
    else if (format && !IsEqualGUID(format, &GUID_NULL)) hr = MF_E_UNSUPPORTED_TIME_FORMAT;
    else if (pos->vt == VT_I8)
    {
        DLOG("seq.Start(%d,null,%lld)", index, (long long)pos->hVal.QuadPart);
        seq->active = index;
        seq->target = -1;
        if (seq->announced == index) seq->announced = -1;
        seq->segments[index].report = REPORT_AS_IS;
        plan_native(seq, index, TRUE, pos->hVal.QuadPart, &call);
    }
    else if (pos->vt != VT_EMPTY) hr = MF_E_UNSUPPORTED_TIME_FORMAT;
    else
    {
        DLOG("seq.Start(%d,null,empty)", index);
        if (index == seq->active)
        {
            /* A resume: the native source goes on. */
            seq->segments[index].report = REPORT_AS_IS;
            plan_native(seq, index, FALSE, 0, &call);
        }
        else
        {
            seq->active = index;
            if (seq->announced == index) seq->announced = -1;
            if (seq->target >= 0 && seq->target != index)
            {
                /* Between the segment left and a skip's target: canceled at once. */
                queue_time(seq, MESourceStarted, S_OK, FALSE, 0);
                end_segment(seq, index, TRUE);
            }
            else
            {
                BOOL at = seq->target == index;
                seq->segments[index].report = at ? REPORT_AT : REPORT_EMPTY;
                plan_native(seq, index, TRUE, at ? seq->target_offset : 0, &call);
            }
        }
    }
    if (call.native) IMFMediaSource_AddRef(call.native);
    LeaveCriticalSection(&seq->cs);
    native_start(&call);
    if (call.native) IMFMediaSource_Release(call.native);
    return hr;
}

/* Stop and Pause: the native source in play answers, else the sequencer does. */
static HRESULT stop_or_pause(struct dseqsource *seq, BOOL stop)
{
    IMFMediaSource *native = NULL;
    HRESULT hr = S_OK;

    DLOG(stop ? "seq.Stop" : "seq.Pause");
    EnterCriticalSection(&seq->cs);
    if (seq->shut_down) hr = MF_E_SHUTDOWN;
    else if (seq->active >= 0 && seq->segments[seq->active].native_started)
        native = seq->segments[seq->active].native;
    else queue_time(seq, stop ? MESourceStopped : MESourcePaused, S_OK, FALSE, 0);
    if (stop) seq->target = -1;
    if (native) IMFMediaSource_AddRef(native);
    LeaveCriticalSection(&seq->cs);
    if (native)
    {
        hr = stop ? IMFMediaSource_Stop(native) : IMFMediaSource_Pause(native);
        IMFMediaSource_Release(native);
    }
    return hr;
}

static HRESULT WINAPI seq_Stop(IMFMediaSource *iface)
{
    return stop_or_pause(impl_from_IMFMediaSource(iface), TRUE);
}

static HRESULT WINAPI seq_Pause(IMFMediaSource *iface)
{
    return stop_or_pause(impl_from_IMFMediaSource(iface), FALSE);
}

static HRESULT WINAPI seq_Shutdown(IMFMediaSource *iface)
{
    struct dseqsource *seq = impl_from_IMFMediaSource(iface);
    IMFMediaSource *natives[DSEQ_MAX_SEGMENTS];
    unsigned i, count;

    DLOG("seq.Shutdown");
    EnterCriticalSection(&seq->cs);
    if (seq->shut_down)
    {
        LeaveCriticalSection(&seq->cs);
        return MF_E_SHUTDOWN;
    }
    seq->shut_down = TRUE;
    count = seq->count;
    for (i = 0; i < count; ++i)
        if ((natives[i] = seq->segments[i].native)) IMFMediaSource_AddRef(natives[i]);
    LeaveCriticalSection(&seq->cs);
    /* The natives' queues let go of the listeners; the topologies of the sequencer. */
    for (i = 0; i < count; ++i)
        if (natives[i])
        {
            IMFMediaSource_Shutdown(natives[i]);
            IMFMediaSource_Release(natives[i]);
        }
    IMFMediaEventQueue_Shutdown(seq->queue);
    EnterCriticalSection(&seq->cs);
    for (i = 0; i < seq->count; ++i)
        if (seq->segments[i].topology)
        {
            IMFTopology_Release(seq->segments[i].topology);
            seq->segments[i].topology = NULL;
        }
    LeaveCriticalSection(&seq->cs);
    return S_OK;
}

static const IMFMediaSourceVtbl seq_vtbl =
{
    seq_QueryInterface, seq_AddRef, seq_Release, seq_GetEvent, seq_BeginGetEvent, seq_EndGetEvent,
    seq_QueueEvent, seq_GetCharacteristics, seq_CreatePresentationDescriptor, seq_Start, seq_Stop, seq_Pause,
    seq_Shutdown,
};

HRESULT dseqsource_create(IMFSequencerSource **out)
{
    struct dseqsource *seq;
    HRESULT hr;

    if (!(seq = calloc(1, sizeof(*seq)))) return E_OUTOFMEMORY;
    seq->IMFMediaSource_iface.lpVtbl = &seq_vtbl;
    seq->IMFSequencerSource_iface.lpVtbl = &dseq_sequencer_vtbl;
    seq->IMFMediaSourceTopologyProvider_iface.lpVtbl = &dseq_provider_vtbl;
    seq->refcount = 1;
    seq->active = seq->announced = seq->target = -1;
    InitializeCriticalSection(&seq->cs);
    if (FAILED(hr = MFCreateEventQueue(&seq->queue)))
    {
        DeleteCriticalSection(&seq->cs);
        free(seq);
        return hr;
    }
    *out = &seq->IMFSequencerSource_iface;
    return S_OK;
}

IUnknown *dseqsource_last_offset(IMFSequencerSource *source)
{
    return dseq_from_sequencer(source)->last_offset;
}

unsigned dseqsource_canceled(IMFSequencerSource *source)
{
    return dseq_from_sequencer(source)->canceled;
}
