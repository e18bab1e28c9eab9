/*
 * rate.c: IMFRateControl and IMFRateSupport on the session.  SetRate is a
 * queued command (CMD_SET_RATE) that ends with MESessionRateChanged; the
 * supported range combines the sources' rate support (a source without it
 * plays at 1.0 only) and the sinks that are not rateless.
 */
#include "session_internal.h"
#include <math.h>

static struct session *impl_from_IMFRateControl(IMFRateControl *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMFRateControl_iface);
}

static struct session *impl_from_IMFRateSupport(IMFRateSupport *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMFRateSupport_iface);
}

static HRESULT get_rate_support(IUnknown *object, IMFRateSupport **support)
{
    *support = NULL;
    return MFGetService(object, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateSupport, (void **)support);
}

/* Range over the sources and the clocked sinks; no topology means 1.0 only is known. */
static HRESULT rate_range(struct topology *t, MFRATE_DIRECTION direction, BOOL thin, float *slowest, float *fastest)
{
    float lo = 0.0f, hi = 0.0f;
    BOOL any = FALSE;
    unsigned i;

    *slowest = *fastest = direction == MFRATE_FORWARD ? 1.0f : -1.0f;
    if (!t) return direction == MFRATE_FORWARD ? S_OK : MF_E_REVERSE_UNSUPPORTED;
    for (i = 0; i < t->source_count + t->sink_count; ++i)
    {
        IMFRateSupport *support;
        float s, f;
        IUnknown *object;

        if (i < t->source_count) object = (IUnknown *)t->sources[i].object;
        else
        {
            struct media_sink *sink = &t->sinks[i - t->source_count];
            if (sink->characteristics & MEDIASINK_RATELESS) continue; /* rateless sinks take any rate */
            object = (IUnknown *)sink->object;
        }
        if (FAILED(get_rate_support(object, &support)))
        {
            if (i >= t->source_count) continue;
            /* A source without rate support plays at 1.0 only. */
            if (direction != MFRATE_FORWARD) return MF_E_REVERSE_UNSUPPORTED;
            if (thin) return MF_E_THINNING_UNSUPPORTED;
            s = f = 1.0f;
        }
        else
        {
            HRESULT hr = IMFRateSupport_GetSlowestRate(support, direction, thin, &s);
            if (SUCCEEDED(hr)) hr = IMFRateSupport_GetFastestRate(support, direction, thin, &f);
            IMFRateSupport_Release(support);
            if (FAILED(hr)) return hr;
        }
        if (!any)
        {
            lo = s;
            hi = f;
            any = TRUE;
        }
        else
        {
            if (fabsf(s) > fabsf(lo)) lo = s;
            if (fabsf(f) < fabsf(hi)) hi = f;
        }
    }
    if (any)
    {
        *slowest = lo;
        *fastest = hi;
    }
    return S_OK;
}

/* Client threads read the range from this snapshot, taken on the serializer
 * whenever the current topology changes. */
void rate_snapshot(struct session *session)
{
    struct rate_info info[2][2];
    int d, thin;

    for (d = 0; d < 2; ++d)
        for (thin = 0; thin < 2; ++thin)
            info[d][thin].hr = rate_range(session->current, d ? MFRATE_REVERSE : MFRATE_FORWARD, thin,
                    &info[d][thin].slowest, &info[d][thin].fastest);
    EnterCriticalSection(&session->lock);
    memcpy(session->rate_info, info, sizeof(info));
    LeaveCriticalSection(&session->lock);
}

static HRESULT rate_lookup(struct session *session, MFRATE_DIRECTION direction, BOOL thin, float *slowest, float *fastest)
{
    struct rate_info *info;
    HRESULT hr;

    EnterCriticalSection(&session->lock);
    if (session->shut_down) hr = MF_E_SHUTDOWN;
    else
    {
        info = &session->rate_info[direction == MFRATE_REVERSE][!!thin];
        hr = info->hr;
        *slowest = info->slowest;
        *fastest = info->fastest;
    }
    LeaveCriticalSection(&session->lock);
    return hr;
}

DWORD rate_caps(struct topology *t)
{
    float slowest, fastest;
    DWORD caps = 0;

    if (SUCCEEDED(rate_range(t, MFRATE_FORWARD, FALSE, &slowest, &fastest)) && fastest != slowest)
        caps |= MFSESSIONCAP_RATE_FORWARD;
    if (SUCCEEDED(rate_range(t, MFRATE_REVERSE, FALSE, &slowest, &fastest)) && fastest != slowest)
        caps |= MFSESSIONCAP_RATE_REVERSE;
    return caps;
}

/* Clocked sinks that say they cannot play at `rate` refuse it. */
static HRESULT sinks_accept_rate(struct topology *t, BOOL thin, float rate)
{
    unsigned i;
    HRESULT hr;

    for (i = 0; i < t->sink_count; ++i)
    {
        IMFRateSupport *support;
        if (t->sinks[i].characteristics & MEDIASINK_RATELESS) continue; /* rateless sinks take any rate */
        if (FAILED(get_rate_support((IUnknown *)t->sinks[i].object, &support))) continue;
        hr = IMFRateSupport_IsRateSupported(support, thin, rate, NULL);
        IMFRateSupport_Release(support);
        if (FAILED(hr)) return hr;
    }
    return S_OK;
}

/* The rate goes to each source's IMFRateControl, whose answer is the
 * command's status (observed: MF_E_THINNING_UNSUPPORTED comes from there, and
 * a source whose GetSlowestRate/GetFastestRate fail can still change rate).
 * A source without rate control plays at 1.0 only. */
static HRESULT sources_set_rate(struct session *session, struct topology *t, BOOL thin, float rate)
{
    IMFRateControl *control;
    unsigned i;
    HRESULT hr;

    for (i = 0; i < t->source_count; ++i)
    {
        if (FAILED(MFGetService((IUnknown *)t->sources[i].object, &MF_RATE_CONTROL_SERVICE, &IID_IMFRateControl,
                (void **)&control)))
        {
            if (rate == 1.0f && !thin) continue;
            return thin ? MF_E_THINNING_UNSUPPORTED : rate < 0.0f ? MF_E_REVERSE_UNSUPPORTED : MF_E_UNSUPPORTED_RATE;
        }
        hr = TRACED_CALL(session, "source.SetRate", IMFRateControl_SetRate(control, thin, rate));
        IMFRateControl_Release(control);
        if (FAILED(hr)) return hr;
    }
    return S_OK;
}

/* Runs on the serializer: the transition table, the sinks, the sources, then
 * the clock.  With no topology the rate is only remembered: the clock is not
 * touched (observed), and it gets the rate when a presentation starts. */
HRESULT session_apply_rate(struct session *session, BOOL thin, float rate)
{
    struct topology *t = session->current;
    float old = session->rate;
    IMFRateControl *control;
    HRESULT hr;

    if (!isfinite(rate)) return MF_E_UNSUPPORTED_RATE;
    if (session->state == STATE_STARTED && ((old < 0.0f) != (rate < 0.0f) || (old == 0.0f) != (rate == 0.0f)))
        return MF_E_UNSUPPORTED_RATE_TRANSITION;
    if (session->state == STATE_PAUSED && ((old < 0.0f) != (rate < 0.0f)))
        return MF_E_UNSUPPORTED_RATE_TRANSITION;
    if (t)
    {
        if (FAILED(hr = sinks_accept_rate(t, thin, rate))) return hr;
        if (FAILED(hr = sources_set_rate(session, t, thin, rate))) return hr;
    }
    if (t && session->clock_has_source
            && SUCCEEDED(IMFPresentationClock_QueryInterface(session->clock, &IID_IMFRateControl, (void **)&control)))
    {
        hr = IMFRateControl_SetRate(control, thin, rate);
        IMFRateControl_Release(control);
        if (FAILED(hr)) return hr;
    }
    EnterCriticalSection(&session->lock);
    session->rate = rate;
    session->thin = thin;
    LeaveCriticalSection(&session->lock);
    return S_OK;
}

static HRESULT WINAPI rate_control_QueryInterface(IMFRateControl *iface, REFIID riid, void **out)
{
    struct session *session = impl_from_IMFRateControl(iface);
    return IMFMediaSession_QueryInterface(&session->IMFMediaSession_iface, riid, out);
}

static ULONG WINAPI rate_control_AddRef(IMFRateControl *iface)
{
    return IMFMediaSession_AddRef(&impl_from_IMFRateControl(iface)->IMFMediaSession_iface);
}

static ULONG WINAPI rate_control_Release(IMFRateControl *iface)
{
    return IMFMediaSession_Release(&impl_from_IMFRateControl(iface)->IMFMediaSession_iface);
}

static HRESULT WINAPI rate_control_SetRate(IMFRateControl *iface, BOOL thin, float rate)
{
    struct session *session = impl_from_IMFRateControl(iface);
    struct command *command;
    HRESULT hr;

    if (!(command = mfs_calloc(1, sizeof(*command)))) return E_OUTOFMEMORY;
    command->type = CMD_SET_RATE;
    command->thin = thin;
    command->rate = rate;
    if (FAILED(hr = session_post_command(session, command))) command_free(command);
    return hr;
}

static HRESULT WINAPI rate_control_GetRate(IMFRateControl *iface, BOOL *thin, float *rate)
{
    struct session *session = impl_from_IMFRateControl(iface);
    HRESULT hr = S_OK;

    if (!rate) return E_POINTER;
    EnterCriticalSection(&session->lock);
    if (session->shut_down) hr = MF_E_SHUTDOWN;
    else
    {
        *rate = session->rate;
        if (thin) *thin = session->thin;
    }
    LeaveCriticalSection(&session->lock);
    return hr;
}

static HRESULT session_rate_check_alive(struct session *session)
{
    HRESULT hr;
    EnterCriticalSection(&session->lock);
    hr = session->shut_down ? MF_E_SHUTDOWN : S_OK;
    LeaveCriticalSection(&session->lock);
    return hr;
}

const IMFRateControlVtbl session_rate_control_vtbl =
{
    rate_control_QueryInterface,
    rate_control_AddRef,
    rate_control_Release,
    rate_control_SetRate,
    rate_control_GetRate,
};

static HRESULT WINAPI rate_support_QueryInterface(IMFRateSupport *iface, REFIID riid, void **out)
{
    return IMFMediaSession_QueryInterface(&impl_from_IMFRateSupport(iface)->IMFMediaSession_iface, riid, out);
}

static ULONG WINAPI rate_support_AddRef(IMFRateSupport *iface)
{
    return IMFMediaSession_AddRef(&impl_from_IMFRateSupport(iface)->IMFMediaSession_iface);
}

static ULONG WINAPI rate_support_Release(IMFRateSupport *iface)
{
    return IMFMediaSession_Release(&impl_from_IMFRateSupport(iface)->IMFMediaSession_iface);
}

/* The range is read from the current topology's components; reading it from
 * a client thread while the serializer swaps topologies is guarded by taking
 * the serializer's caps snapshot instead when no topology is known. */
static HRESULT WINAPI rate_support_GetSlowestRate(IMFRateSupport *iface, MFRATE_DIRECTION direction, BOOL thin,
        float *rate)
{
    struct session *session = impl_from_IMFRateSupport(iface);
    float slowest, fastest;
    HRESULT hr;

    if (!rate) return E_POINTER;
    if (FAILED(hr = rate_lookup(session, direction, thin, &slowest, &fastest))) return hr;
    *rate = slowest;
    return S_OK;
}

static HRESULT WINAPI rate_support_GetFastestRate(IMFRateSupport *iface, MFRATE_DIRECTION direction, BOOL thin,
        float *rate)
{
    struct session *session = impl_from_IMFRateSupport(iface);
    float slowest, fastest;
    HRESULT hr;

    if (!rate) return E_POINTER;
    if (FAILED(hr = rate_lookup(session, direction, thin, &slowest, &fastest))) return hr;
    *rate = fastest;
    return S_OK;
}

static HRESULT WINAPI rate_support_IsRateSupported(IMFRateSupport *iface, BOOL thin, float rate, float *nearest)
{
    struct session *session = impl_from_IMFRateSupport(iface);
    HRESULT hr;

    float slowest, fastest;

    if (isnan(rate)) return MF_E_UNSUPPORTED_RATE;
    if (rate == 1.0f && !thin)
    {
        if (nearest) *nearest = rate;
        return session_rate_check_alive(session);
    }
    if (FAILED(hr = rate_lookup(session, rate < 0.0f ? MFRATE_REVERSE : MFRATE_FORWARD, thin, &slowest, &fastest)))
        return hr;
    if (fabsf(rate) < fabsf(slowest) || fabsf(rate) > fabsf(fastest))
    {
        if (nearest) *nearest = fabsf(rate) < fabsf(slowest) ? slowest : fastest;
        return MF_E_UNSUPPORTED_RATE;
    }
    if (nearest) *nearest = rate;
    return S_OK;
}

const IMFRateSupportVtbl session_rate_support_vtbl =
{
    rate_support_QueryInterface,
    rate_support_AddRef,
    rate_support_Release,
    rate_support_GetSlowestRate,
    rate_support_GetFastestRate,
    rate_support_IsRateSupported,
};
