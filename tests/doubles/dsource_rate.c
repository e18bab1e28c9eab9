/* The test source's rate services (desc.rate_support): IMFGetService for
 * MF_RATE_CONTROL_SERVICE, IMFRateControl (-8..8, thinning; SetRate queues
 * MESourceRateChanged with the new rate as VT_R4) and IMFRateSupport. */
#include "doubles_private.h"

static struct dsource *impl_from_IMFGetService(IMFGetService *iface)
{
    return CONTAINING_RECORD(iface, struct dsource, IMFGetService_iface);
}

static struct dsource *impl_from_IMFRateControl(IMFRateControl *iface)
{
    return CONTAINING_RECORD(iface, struct dsource, IMFRateControl_iface);
}

static struct dsource *impl_from_IMFRateSupport(IMFRateSupport *iface)
{
    return CONTAINING_RECORD(iface, struct dsource, IMFRateSupport_iface);
}

static HRESULT WINAPI dsource_service_QueryInterface(IMFGetService *iface, REFIID riid, void **out)
{
    return IMFMediaSource_QueryInterface(&impl_from_IMFGetService(iface)->IMFMediaSource_iface, riid, out);
}

static ULONG WINAPI dsource_service_AddRef(IMFGetService *iface)
{
    return IMFMediaSource_AddRef(&impl_from_IMFGetService(iface)->IMFMediaSource_iface);
}

static ULONG WINAPI dsource_service_Release(IMFGetService *iface)
{
    return IMFMediaSource_Release(&impl_from_IMFGetService(iface)->IMFMediaSource_iface);
}

static HRESULT WINAPI dsource_service_GetService(IMFGetService *iface, REFGUID service, REFIID riid, void **out)
{
    struct dsource *source = impl_from_IMFGetService(iface);

    if (!out) return E_POINTER;
    *out = NULL;
    if (source->state == DSOURCE_SHUTDOWN) return MF_E_SHUTDOWN;
    if (!IsEqualGUID(service, &MF_RATE_CONTROL_SERVICE)) return MF_E_UNSUPPORTED_SERVICE;
    if (IsEqualIID(riid, &IID_IMFRateControl) || IsEqualIID(riid, &IID_IMFRateSupport))
        return IMFMediaSource_QueryInterface(&source->IMFMediaSource_iface, riid, out);
    return E_NOINTERFACE;
}

const IMFGetServiceVtbl dsource_service_vtbl =
{
    dsource_service_QueryInterface, dsource_service_AddRef, dsource_service_Release,
    dsource_service_GetService,
};

static HRESULT WINAPI dsource_rate_QueryInterface(IMFRateControl *iface, REFIID riid, void **out)
{
    return IMFMediaSource_QueryInterface(&impl_from_IMFRateControl(iface)->IMFMediaSource_iface, riid, out);
}

static ULONG WINAPI dsource_rate_AddRef(IMFRateControl *iface)
{
    return IMFMediaSource_AddRef(&impl_from_IMFRateControl(iface)->IMFMediaSource_iface);
}

static ULONG WINAPI dsource_rate_Release(IMFRateControl *iface)
{
    return IMFMediaSource_Release(&impl_from_IMFRateControl(iface)->IMFMediaSource_iface);
}

static HRESULT WINAPI dsource_rate_SetRate(IMFRateControl *iface, BOOL thin, float rate)
{
    struct dsource *source = impl_from_IMFRateControl(iface);
    PROPVARIANT value;
    HRESULT hr;

    DLOG("%s.SetRate(%g%s)", source->name, (double)rate, thin ? ",thin" : "");
    if (FAILED(hr = dfault_check(DCALL_SOURCE_SET_RATE))) return hr;
    if (rate < -8.0f || rate > 8.0f) return MF_E_UNSUPPORTED_RATE;

    EnterCriticalSection(&source->cs);
    if (source->state == DSOURCE_SHUTDOWN)
        hr = MF_E_SHUTDOWN;
    else
    {
        source->rate = rate;
        source->thin = thin;
        PropVariantInit(&value);
        value.vt = VT_R4;
        value.fltVal = rate;
        IMFMediaEventQueue_QueueEventParamVar(source->queue, MESourceRateChanged, &GUID_NULL, S_OK, &value);
    }
    LeaveCriticalSection(&source->cs);
    return hr;
}

static HRESULT WINAPI dsource_rate_GetRate(IMFRateControl *iface, BOOL *thin, float *rate)
{
    struct dsource *source = impl_from_IMFRateControl(iface);

    if (!rate) return E_POINTER;
    if (source->state == DSOURCE_SHUTDOWN) return MF_E_SHUTDOWN;
    EnterCriticalSection(&source->cs);
    if (thin) *thin = source->thin;
    *rate = source->rate;
    LeaveCriticalSection(&source->cs);
    return S_OK;
}

const IMFRateControlVtbl dsource_rate_vtbl =
{
    dsource_rate_QueryInterface, dsource_rate_AddRef, dsource_rate_Release,
    dsource_rate_SetRate, dsource_rate_GetRate,
};

static HRESULT WINAPI dsource_ratesupport_QueryInterface(IMFRateSupport *iface, REFIID riid, void **out)
{
    return IMFMediaSource_QueryInterface(&impl_from_IMFRateSupport(iface)->IMFMediaSource_iface, riid, out);
}

static ULONG WINAPI dsource_ratesupport_AddRef(IMFRateSupport *iface)
{
    return IMFMediaSource_AddRef(&impl_from_IMFRateSupport(iface)->IMFMediaSource_iface);
}

static ULONG WINAPI dsource_ratesupport_Release(IMFRateSupport *iface)
{
    return IMFMediaSource_Release(&impl_from_IMFRateSupport(iface)->IMFMediaSource_iface);
}

static HRESULT WINAPI dsource_ratesupport_GetSlowestRate(IMFRateSupport *iface, MFRATE_DIRECTION direction,
        BOOL thin, float *rate)
{
    if (!rate) return E_POINTER;
    if (impl_from_IMFRateSupport(iface)->state == DSOURCE_SHUTDOWN) return MF_E_SHUTDOWN;
    if (impl_from_IMFRateSupport(iface)->desc.rate_bounds_notimpl) return E_NOTIMPL;
    *rate = 0.0f;
    return S_OK;
}

static HRESULT WINAPI dsource_ratesupport_GetFastestRate(IMFRateSupport *iface, MFRATE_DIRECTION direction,
        BOOL thin, float *rate)
{
    if (!rate) return E_POINTER;
    if (impl_from_IMFRateSupport(iface)->state == DSOURCE_SHUTDOWN) return MF_E_SHUTDOWN;
    if (impl_from_IMFRateSupport(iface)->desc.rate_bounds_notimpl) return E_NOTIMPL;
    *rate = direction == MFRATE_REVERSE ? -8.0f : 8.0f;
    return S_OK;
}

static HRESULT WINAPI dsource_ratesupport_IsRateSupported(IMFRateSupport *iface, BOOL thin, float rate,
        float *nearest)
{
    if (impl_from_IMFRateSupport(iface)->state == DSOURCE_SHUTDOWN) return MF_E_SHUTDOWN;
    if (rate > 8.0f || rate < -8.0f)
    {
        if (nearest) *nearest = rate > 0.0f ? 8.0f : -8.0f;
        return MF_E_UNSUPPORTED_RATE;
    }
    if (nearest) *nearest = rate;
    return S_OK;
}

const IMFRateSupportVtbl dsource_ratesupport_vtbl =
{
    dsource_ratesupport_QueryInterface, dsource_ratesupport_AddRef, dsource_ratesupport_Release,
    dsource_ratesupport_GetSlowestRate, dsource_ratesupport_GetFastestRate, dsource_ratesupport_IsRateSupported,
};

