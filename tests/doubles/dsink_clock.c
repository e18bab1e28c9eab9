/*
 * The test sink's clock side: IMFClockStateSink (what each notification does
 * is described at the top of dsink.c), IMFMediaSinkPreroll and
 * IMFPresentationTimeSource (answered by a system time source, which the
 * time source's own IMFClockStateSink runs).
 */
#include "doubles_private.h"
#include <stdlib.h>

static struct dsink *impl_from_IMFClockStateSink(IMFClockStateSink *iface)
{
    return CONTAINING_RECORD(iface, struct dsink, IMFClockStateSink_iface);
}

static struct dsink *impl_from_IMFMediaSinkPreroll(IMFMediaSinkPreroll *iface)
{
    return CONTAINING_RECORD(iface, struct dsink, IMFMediaSinkPreroll_iface);
}

static struct dsink *impl_from_IMFPresentationTimeSource(IMFPresentationTimeSource *iface)
{
    return CONTAINING_RECORD(iface, struct dsink, IMFPresentationTimeSource_iface);
}

/* ---- IMFClockStateSink ------------------------------------------------------ */

static HRESULT WINAPI dsink_clock_QueryInterface(IMFClockStateSink *iface, REFIID riid, void **out)
{
    return IMFMediaSink_QueryInterface(dsink_iface(impl_from_IMFClockStateSink(iface)), riid, out);
}

static ULONG WINAPI dsink_clock_AddRef(IMFClockStateSink *iface)
{
    return IMFMediaSink_AddRef(dsink_iface(impl_from_IMFClockStateSink(iface)));
}

static ULONG WINAPI dsink_clock_Release(IMFClockStateSink *iface)
{
    return IMFMediaSink_Release(dsink_iface(impl_from_IMFClockStateSink(iface)));
}

enum clock_change { CLOCK_START, CLOCK_STOP, CLOCK_PAUSE, CLOCK_RESTART };

/* stop_event_delay_ms: the MEStreamSinkStopped of every stream sink, queued
 * from a scheduled work item (holds the sink's core). */
struct late_stop
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    struct dsink *sink;
};

static struct late_stop *impl_from_late_stop(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct late_stop, IMFAsyncCallback_iface);
}

static HRESULT WINAPI late_stop_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
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

static ULONG WINAPI late_stop_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_late_stop(iface)->refcount);
}

static ULONG WINAPI late_stop_Release(IMFAsyncCallback *iface)
{
    struct late_stop *late = impl_from_late_stop(iface);
    ULONG refcount = InterlockedDecrement(&late->refcount);
    if (!refcount)
    {
        dsink_core_release(late->sink);
        free(late);
    }
    return refcount;
}

static HRESULT WINAPI late_stop_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI late_stop_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct dsink *sink = impl_from_late_stop(iface)->sink;
    unsigned i;

    EnterCriticalSection(&sink->cs);
    for (i = 0; i < sink->stream_count && !sink->shut_down; ++i)
    {
        DLOG("%s.Stopped", sink->streams[i]->name);
        IMFMediaEventQueue_QueueEventParamVar(sink->streams[i]->queue, MEStreamSinkStopped, &GUID_NULL, S_OK, NULL);
    }
    LeaveCriticalSection(&sink->cs);
    return S_OK;
}

static const IMFAsyncCallbackVtbl late_stop_vtbl =
{
    late_stop_QueryInterface, late_stop_AddRef, late_stop_Release, late_stop_GetParameters, late_stop_Invoke,
};

/* FALSE when the stop cannot be answered late: it is answered at once. */
static BOOL schedule_late_stop(struct dsink *sink)
{
    struct late_stop *late;
    MFWORKITEM_KEY key;
    HRESULT hr;

    if (!(late = calloc(1, sizeof(*late)))) return FALSE;
    late->IMFAsyncCallback_iface.lpVtbl = &late_stop_vtbl;
    late->refcount = 1;
    late->sink = sink;
    dsink_core_addref(sink);
    hr = MFScheduleWorkItem(&late->IMFAsyncCallback_iface, NULL, -(INT64)sink->desc.stop_event_delay_ms, &key);
    IMFAsyncCallback_Release(&late->IMFAsyncCallback_iface);
    return SUCCEEDED(hr);
}

/* One clock notification for the stream sinks.  Every notification is
 * answered with its event, also one that repeats the current state (as Wine's
 * audio renderer does): a session waiting for MEStreamSinkStopped gets it. */
static HRESULT dsink_clock_change(struct dsink *sink, enum clock_change change, LONGLONG offset)
{
    static const enum dsink_clock_state states[] = { DSINK_RUNNING, DSINK_STOPPED, DSINK_PAUSED, DSINK_RUNNING };
    static const MediaEventType events[] = { MEStreamSinkStarted, MEStreamSinkStopped, MEStreamSinkPaused,
            MEStreamSinkStarted };
    enum dsink_clock_state before;
    BOOL late = FALSE;
    HRESULT hr = S_OK;
    unsigned i;

    EnterCriticalSection(&sink->cs);
    if (sink->shut_down)
    {
        hr = MF_E_SHUTDOWN;
        goto done;
    }
    before = sink->clock_state;
    sink->clock_state = states[change];
    if (change == CLOCK_STOP && sink->desc.stop_event_delay_ms) late = schedule_late_stop(sink);
    for (i = 0; i < sink->stream_count; ++i)
    {
        struct dstreamsink *stream = sink->streams[i];
        if (!late) IMFMediaEventQueue_QueueEventParamVar(stream->queue, events[change], &GUID_NULL, S_OK, NULL);
        /* flush_forgets: only a start from stopped makes a flushed stream sink ask again. */
        if (change == CLOCK_START && before == DSINK_STOPPED) stream->starved = FALSE;
        if (change == CLOCK_STOP)
        {
            stream->outstanding = 0;
            stream->preroll_pending = FALSE;
        }
        if (sink->clock_state == DSINK_RUNNING) dstreamsink_request(stream);
    }
done:
    LeaveCriticalSection(&sink->cs);
    return hr;
}

static HRESULT WINAPI dsink_clock_OnClockStart(IMFClockStateSink *iface, MFTIME time, LONGLONG offset)
{
    HRESULT hr;
    DLOG("%s.OnClockStart(%lld)", impl_from_IMFClockStateSink(iface)->name, (long long)offset);
    if (FAILED(hr = dfault_check(DCALL_CLOCKSINK_ON_START))) return hr;
    return dsink_clock_change(impl_from_IMFClockStateSink(iface), CLOCK_START, offset);
}

static HRESULT WINAPI dsink_clock_OnClockStop(IMFClockStateSink *iface, MFTIME time)
{
    HRESULT hr;
    DLOG("%s.OnClockStop", impl_from_IMFClockStateSink(iface)->name);
    if (FAILED(hr = dfault_check(DCALL_CLOCKSINK_ON_STOP))) return hr;
    return dsink_clock_change(impl_from_IMFClockStateSink(iface), CLOCK_STOP, 0);
}

static HRESULT WINAPI dsink_clock_OnClockPause(IMFClockStateSink *iface, MFTIME time)
{
    HRESULT hr;
    DLOG("%s.OnClockPause", impl_from_IMFClockStateSink(iface)->name);
    if (FAILED(hr = dfault_check(DCALL_CLOCKSINK_ON_PAUSE))) return hr;
    return dsink_clock_change(impl_from_IMFClockStateSink(iface), CLOCK_PAUSE, 0);
}

static HRESULT WINAPI dsink_clock_OnClockRestart(IMFClockStateSink *iface, MFTIME time)
{
    HRESULT hr;
    DLOG("%s.OnClockRestart", impl_from_IMFClockStateSink(iface)->name);
    if (FAILED(hr = dfault_check(DCALL_CLOCKSINK_ON_RESTART))) return hr;
    return dsink_clock_change(impl_from_IMFClockStateSink(iface), CLOCK_RESTART, 0);
}

static HRESULT WINAPI dsink_clock_OnClockSetRate(IMFClockStateSink *iface, MFTIME time, float rate)
{
    struct dsink *sink = impl_from_IMFClockStateSink(iface);
    HRESULT hr;

    DLOG("%s.OnClockSetRate(%g)", sink->name, (double)rate);
    if (FAILED(hr = dfault_check(DCALL_CLOCKSINK_ON_SET_RATE))) return hr;
    return sink->shut_down ? MF_E_SHUTDOWN : S_OK;
}

const IMFClockStateSinkVtbl dsink_clock_vtbl =
{
    dsink_clock_QueryInterface, dsink_clock_AddRef, dsink_clock_Release,
    dsink_clock_OnClockStart, dsink_clock_OnClockStop, dsink_clock_OnClockPause,
    dsink_clock_OnClockRestart, dsink_clock_OnClockSetRate,
};

/* ---- IMFMediaSinkPreroll ---------------------------------------------------- */

static HRESULT WINAPI dsink_preroll_QueryInterface(IMFMediaSinkPreroll *iface, REFIID riid, void **out)
{
    return IMFMediaSink_QueryInterface(dsink_iface(impl_from_IMFMediaSinkPreroll(iface)), riid, out);
}

static ULONG WINAPI dsink_preroll_AddRef(IMFMediaSinkPreroll *iface)
{
    return IMFMediaSink_AddRef(dsink_iface(impl_from_IMFMediaSinkPreroll(iface)));
}

static ULONG WINAPI dsink_preroll_Release(IMFMediaSinkPreroll *iface)
{
    return IMFMediaSink_Release(dsink_iface(impl_from_IMFMediaSinkPreroll(iface)));
}

static HRESULT WINAPI dsink_preroll_NotifyPreroll(IMFMediaSinkPreroll *iface, MFTIME start)
{
    struct dsink *sink = impl_from_IMFMediaSinkPreroll(iface);
    HRESULT hr;
    unsigned i;

    DLOG("%s.NotifyPreroll(%lld)", sink->name, (long long)start);
    if (FAILED(hr = dfault_check(DCALL_SINK_PREROLL))) return hr;
    EnterCriticalSection(&sink->cs);
    if (sink->shut_down)
        hr = MF_E_SHUTDOWN;
    else
    {
        for (i = 0; i < sink->stream_count; ++i)
        {
            sink->streams[i]->preroll_pending = TRUE;
            dstreamsink_request(sink->streams[i]);
        }
    }
    LeaveCriticalSection(&sink->cs);
    return hr;
}

const IMFMediaSinkPrerollVtbl dsink_preroll_vtbl =
{
    dsink_preroll_QueryInterface, dsink_preroll_AddRef, dsink_preroll_Release,
    dsink_preroll_NotifyPreroll,
};

/* ---- the time source's IMFClockStateSink -------------------------------------
 * A second IMFClockStateSink, handed out only by QueryInterface on the
 * IMFPresentationTimeSource (a tear-off: COM requires only IUnknown to be
 * unique).  The clock drives its time source through it; it runs the system
 * time source and nothing else.  So a sink that is both the clock's time
 * source and one of its clock state sinks tells its stream sinks once per
 * change, whether or not the clock also notifies it as a state sink. */

static struct dsink *impl_from_time_source_sink(IMFClockStateSink *iface)
{
    return CONTAINING_RECORD(iface, struct dsink, time_source_sink_iface);
}

static HRESULT WINAPI dsink_tsink_QueryInterface(IMFClockStateSink *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFClockStateSink))
    {
        *out = iface;
        IMFClockStateSink_AddRef(iface);
        return S_OK;
    }
    return IMFMediaSink_QueryInterface(dsink_iface(impl_from_time_source_sink(iface)), riid, out);
}

static ULONG WINAPI dsink_tsink_AddRef(IMFClockStateSink *iface)
{
    return IMFMediaSink_AddRef(dsink_iface(impl_from_time_source_sink(iface)));
}

static ULONG WINAPI dsink_tsink_Release(IMFClockStateSink *iface)
{
    return IMFMediaSink_Release(dsink_iface(impl_from_time_source_sink(iface)));
}

static HRESULT WINAPI dsink_tsink_OnClockStart(IMFClockStateSink *iface, MFTIME time, LONGLONG offset)
{
    return IMFClockStateSink_OnClockStart(impl_from_time_source_sink(iface)->system_time_sink, time, offset);
}

static HRESULT WINAPI dsink_tsink_OnClockStop(IMFClockStateSink *iface, MFTIME time)
{
    return IMFClockStateSink_OnClockStop(impl_from_time_source_sink(iface)->system_time_sink, time);
}

static HRESULT WINAPI dsink_tsink_OnClockPause(IMFClockStateSink *iface, MFTIME time)
{
    return IMFClockStateSink_OnClockPause(impl_from_time_source_sink(iface)->system_time_sink, time);
}

static HRESULT WINAPI dsink_tsink_OnClockRestart(IMFClockStateSink *iface, MFTIME time)
{
    return IMFClockStateSink_OnClockRestart(impl_from_time_source_sink(iface)->system_time_sink, time);
}

static HRESULT WINAPI dsink_tsink_OnClockSetRate(IMFClockStateSink *iface, MFTIME time, float rate)
{
    return IMFClockStateSink_OnClockSetRate(impl_from_time_source_sink(iface)->system_time_sink, time, rate);
}

const IMFClockStateSinkVtbl dsink_time_source_sink_vtbl =
{
    dsink_tsink_QueryInterface, dsink_tsink_AddRef, dsink_tsink_Release,
    dsink_tsink_OnClockStart, dsink_tsink_OnClockStop, dsink_tsink_OnClockPause,
    dsink_tsink_OnClockRestart, dsink_tsink_OnClockSetRate,
};

/* ---- IMFPresentationTimeSource: the system time source's answers ----------- */

static HRESULT WINAPI dsink_time_QueryInterface(IMFPresentationTimeSource *iface, REFIID riid, void **out)
{
    struct dsink *sink = impl_from_IMFPresentationTimeSource(iface);

    if (IsEqualIID(riid, &IID_IMFClockStateSink))
    {
        *out = &sink->time_source_sink_iface;
        IMFClockStateSink_AddRef(&sink->time_source_sink_iface);
        return S_OK;
    }
    return IMFMediaSink_QueryInterface(dsink_iface(sink), riid, out);
}

static ULONG WINAPI dsink_time_AddRef(IMFPresentationTimeSource *iface)
{
    return IMFMediaSink_AddRef(dsink_iface(impl_from_IMFPresentationTimeSource(iface)));
}

static ULONG WINAPI dsink_time_Release(IMFPresentationTimeSource *iface)
{
    return IMFMediaSink_Release(dsink_iface(impl_from_IMFPresentationTimeSource(iface)));
}

static HRESULT WINAPI dsink_time_GetClockCharacteristics(IMFPresentationTimeSource *iface, DWORD *flags)
{
    return IMFPresentationTimeSource_GetClockCharacteristics(
            impl_from_IMFPresentationTimeSource(iface)->system_time_source, flags);
}

static HRESULT WINAPI dsink_time_GetCorrelatedTime(IMFPresentationTimeSource *iface, DWORD reserved,
        LONGLONG *clock_time, MFTIME *system_time)
{
    return IMFPresentationTimeSource_GetCorrelatedTime(
            impl_from_IMFPresentationTimeSource(iface)->system_time_source, reserved, clock_time, system_time);
}

static HRESULT WINAPI dsink_time_GetContinuityKey(IMFPresentationTimeSource *iface, DWORD *key)
{
    return IMFPresentationTimeSource_GetContinuityKey(
            impl_from_IMFPresentationTimeSource(iface)->system_time_source, key);
}

static HRESULT WINAPI dsink_time_GetState(IMFPresentationTimeSource *iface, DWORD reserved, MFCLOCK_STATE *state)
{
    return IMFPresentationTimeSource_GetState(
            impl_from_IMFPresentationTimeSource(iface)->system_time_source, reserved, state);
}

static HRESULT WINAPI dsink_time_GetProperties(IMFPresentationTimeSource *iface, MFCLOCK_PROPERTIES *props)
{
    return IMFPresentationTimeSource_GetProperties(
            impl_from_IMFPresentationTimeSource(iface)->system_time_source, props);
}

static HRESULT WINAPI dsink_time_GetUnderlyingClock(IMFPresentationTimeSource *iface, IMFClock **clock)
{
    return IMFPresentationTimeSource_GetUnderlyingClock(
            impl_from_IMFPresentationTimeSource(iface)->system_time_source, clock);
}

const IMFPresentationTimeSourceVtbl dsink_time_vtbl =
{
    dsink_time_QueryInterface, dsink_time_AddRef, dsink_time_Release,
    dsink_time_GetClockCharacteristics, dsink_time_GetCorrelatedTime, dsink_time_GetContinuityKey,
    dsink_time_GetState, dsink_time_GetProperties, dsink_time_GetUnderlyingClock,
};

