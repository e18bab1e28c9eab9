/*
 * dvideosink.c: a stream sink offering a sample allocator with a small pool
 * (see dvideosink.h).  Three tear-offs of one object: the stream sink
 * (forwarded to the wrapped dsink stream sink, ProcessSample held then
 * released), its IMFGetService, and the allocator wrapper (forwarded to the
 * platform's allocator, counted), whose release callback is wrapped too so
 * the test sees every NotifyRelease the session gets.
 */
#include "dvideosink.h"

static const GUID d_MR_VIDEO_ACCELERATION_SERVICE =
        {0xefef5175, 0x5c7d, 0x4ce2, {0xbb, 0xbd, 0x34, 0xff, 0x8b, 0xca, 0x65, 0x54}};
static const GUID d_IID_IMFTrackedSample =
        {0x245bf8e9, 0x0755, 0x40f7, {0x88, 0xa5, 0xae, 0x0f, 0x18, 0xd5, 0x5e, 0x17}};

#define DVIDEO_WIDTH 320
#define DVIDEO_HEIGHT 240

struct dvideosink
{
    IMFStreamSink IMFStreamSink_iface;
    IMFGetService IMFGetService_iface;
    IMFVideoSampleAllocator IMFVideoSampleAllocator_iface;
    IMFVideoSampleAllocatorCallback IMFVideoSampleAllocatorCallback_iface;
    IMFVideoSampleAllocatorNotify IMFVideoSampleAllocatorNotify_iface;
    LONG refcount;
    IMFStreamSink *inner;
    IMFVideoSampleAllocator *allocator;
    IMFVideoSampleAllocatorCallback *allocator_cb;
    IMFVideoSampleAllocatorNotify *client_notify;   /* the session's, under cs */
    CRITICAL_SECTION cs;
    HANDLE timers;
    LONG held;
    unsigned hold_ms;
    struct dvideosink_counts counts;
};

#define DEFINE_IMPL(iface) \
    static struct dvideosink *impl_from_##iface(iface *p) \
    { return CONTAINING_RECORD(p, struct dvideosink, iface##_iface); }
DEFINE_IMPL(IMFStreamSink)
DEFINE_IMPL(IMFGetService)
DEFINE_IMPL(IMFVideoSampleAllocator)
DEFINE_IMPL(IMFVideoSampleAllocatorCallback)
DEFINE_IMPL(IMFVideoSampleAllocatorNotify)

/* ---- the stream sink ---- */

static HRESULT WINAPI dvs_QueryInterface(IMFStreamSink *iface, REFIID riid, void **out)
{
    struct dvideosink *v = impl_from_IMFStreamSink(iface);

    if (IsEqualIID(riid, &IID_IMFStreamSink) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
        *out = &v->IMFStreamSink_iface;
    else if (IsEqualIID(riid, &IID_IMFGetService))
        *out = &v->IMFGetService_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI dvs_AddRef(IMFStreamSink *iface)
{
    return InterlockedIncrement(&impl_from_IMFStreamSink(iface)->refcount);
}

static ULONG WINAPI dvs_Release(IMFStreamSink *iface)
{
    struct dvideosink *v = impl_from_IMFStreamSink(iface);
    ULONG refcount = InterlockedDecrement(&v->refcount);

    if (!refcount)
    {
        DeleteTimerQueueEx(v->timers, INVALID_HANDLE_VALUE);
        if (v->client_notify) IMFVideoSampleAllocatorNotify_Release(v->client_notify);
        IMFVideoSampleAllocatorCallback_SetCallback(v->allocator_cb, NULL);
        IMFVideoSampleAllocatorCallback_Release(v->allocator_cb);
        IMFVideoSampleAllocator_Release(v->allocator);
        IMFStreamSink_Release(v->inner);
        DeleteCriticalSection(&v->cs);
        free(v);
    }
    return refcount;
}

static HRESULT WINAPI dvs_GetEvent(IMFStreamSink *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFStreamSink_GetEvent(impl_from_IMFStreamSink(iface)->inner, flags, event);
}

static HRESULT WINAPI dvs_BeginGetEvent(IMFStreamSink *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    return IMFStreamSink_BeginGetEvent(impl_from_IMFStreamSink(iface)->inner, callback, state);
}

static HRESULT WINAPI dvs_EndGetEvent(IMFStreamSink *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFStreamSink_EndGetEvent(impl_from_IMFStreamSink(iface)->inner, result, event);
}

static HRESULT WINAPI dvs_QueueEvent(IMFStreamSink *iface, MediaEventType type, REFGUID ext, HRESULT hr,
        const PROPVARIANT *value)
{
    return IMFStreamSink_QueueEvent(impl_from_IMFStreamSink(iface)->inner, type, ext, hr, value);
}

static HRESULT WINAPI dvs_GetMediaSink(IMFStreamSink *iface, IMFMediaSink **sink)
{
    return IMFStreamSink_GetMediaSink(impl_from_IMFStreamSink(iface)->inner, sink);
}

static HRESULT WINAPI dvs_GetIdentifier(IMFStreamSink *iface, DWORD *id)
{
    return IMFStreamSink_GetIdentifier(impl_from_IMFStreamSink(iface)->inner, id);
}

static HRESULT WINAPI dvs_GetMediaTypeHandler(IMFStreamSink *iface, IMFMediaTypeHandler **handler)
{
    return IMFStreamSink_GetMediaTypeHandler(impl_from_IMFStreamSink(iface)->inner, handler);
}

static VOID CALLBACK release_held(void *context, BOOLEAN fired)
{
    IMFSample *sample = context;
    struct dvideosink *v;
    LONG_PTR owner = 0;

    /* The owner rides on the sample: the timer holds both until it runs. */
    IMFSample_GetUINT64(sample, &GUID_NULL, (UINT64 *)&owner);
    v = (struct dvideosink *)owner;
    IMFSample_Release(sample);
    InterlockedDecrement(&v->held);
    IMFStreamSink_Release(&v->IMFStreamSink_iface);
}

static HRESULT WINAPI dvs_ProcessSample(IMFStreamSink *iface, IMFSample *sample)
{
    struct dvideosink *v = impl_from_IMFStreamSink(iface);
    IUnknown *tracked;
    HANDLE timer;
    HRESULT hr;

    InterlockedIncrement(&v->counts.received);
    if (SUCCEEDED(IMFSample_QueryInterface(sample, &d_IID_IMFTrackedSample, (void **)&tracked)))
        IUnknown_Release(tracked);
    else
        InterlockedIncrement(&v->counts.foreign);
    if (FAILED(hr = IMFStreamSink_ProcessSample(v->inner, sample))) return hr;
    /* Shown for hold_ms, then given back to the pool from a timer thread. */
    IMFSample_AddRef(sample);
    IMFStreamSink_AddRef(iface);
    IMFSample_SetUINT64(sample, &GUID_NULL, (UINT64)(LONG_PTR)v);
    InterlockedIncrement(&v->held);
    if (!CreateTimerQueueTimer(&timer, v->timers, release_held, sample, v->hold_ms, 0, WT_EXECUTEONLYONCE))
        release_held(sample, TRUE);
    return S_OK;
}

static HRESULT WINAPI dvs_PlaceMarker(IMFStreamSink *iface, MFSTREAMSINK_MARKER_TYPE type,
        const PROPVARIANT *value, const PROPVARIANT *context)
{
    return IMFStreamSink_PlaceMarker(impl_from_IMFStreamSink(iface)->inner, type, value, context);
}

static HRESULT WINAPI dvs_Flush(IMFStreamSink *iface)
{
    return IMFStreamSink_Flush(impl_from_IMFStreamSink(iface)->inner);
}

static const IMFStreamSinkVtbl dvs_vtbl =
{
    dvs_QueryInterface, dvs_AddRef, dvs_Release,
    dvs_GetEvent, dvs_BeginGetEvent, dvs_EndGetEvent, dvs_QueueEvent,
    dvs_GetMediaSink, dvs_GetIdentifier, dvs_GetMediaTypeHandler, dvs_ProcessSample, dvs_PlaceMarker, dvs_Flush,
};

/* ---- IMFGetService ---- */

static HRESULT WINAPI dvs_gs_QueryInterface(IMFGetService *iface, REFIID riid, void **out)
{
    return dvs_QueryInterface(&impl_from_IMFGetService(iface)->IMFStreamSink_iface, riid, out);
}

static ULONG WINAPI dvs_gs_AddRef(IMFGetService *iface)
{
    return dvs_AddRef(&impl_from_IMFGetService(iface)->IMFStreamSink_iface);
}

static ULONG WINAPI dvs_gs_Release(IMFGetService *iface)
{
    return dvs_Release(&impl_from_IMFGetService(iface)->IMFStreamSink_iface);
}

static HRESULT WINAPI dvs_gs_GetService(IMFGetService *iface, REFGUID service, REFIID riid, void **out)
{
    struct dvideosink *v = impl_from_IMFGetService(iface);

    *out = NULL;
    if (!IsEqualGUID(service, &d_MR_VIDEO_ACCELERATION_SERVICE)) return MF_E_UNSUPPORTED_SERVICE;
    if (!IsEqualIID(riid, &IID_IMFVideoSampleAllocator)) return E_NOINTERFACE; /* no Direct3D here */
    *out = &v->IMFVideoSampleAllocator_iface;
    dvs_AddRef(&v->IMFStreamSink_iface);
    return S_OK;
}

static const IMFGetServiceVtbl dvs_gs_vtbl = { dvs_gs_QueryInterface, dvs_gs_AddRef, dvs_gs_Release, dvs_gs_GetService };

/* ---- the allocator wrapper ---- */

static HRESULT WINAPI dva_QueryInterface(IMFVideoSampleAllocator *iface, REFIID riid, void **out)
{
    struct dvideosink *v = impl_from_IMFVideoSampleAllocator(iface);

    if (IsEqualIID(riid, &IID_IMFVideoSampleAllocator) || IsEqualIID(riid, &IID_IUnknown))
        *out = &v->IMFVideoSampleAllocator_iface;
    else if (IsEqualIID(riid, &IID_IMFVideoSampleAllocatorCallback))
        *out = &v->IMFVideoSampleAllocatorCallback_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    dvs_AddRef(&v->IMFStreamSink_iface);
    return S_OK;
}

static ULONG WINAPI dva_AddRef(IMFVideoSampleAllocator *iface)
{
    return dvs_AddRef(&impl_from_IMFVideoSampleAllocator(iface)->IMFStreamSink_iface);
}

static ULONG WINAPI dva_Release(IMFVideoSampleAllocator *iface)
{
    return dvs_Release(&impl_from_IMFVideoSampleAllocator(iface)->IMFStreamSink_iface);
}

static HRESULT WINAPI dva_SetDirectXManager(IMFVideoSampleAllocator *iface, IUnknown *manager)
{
    return IMFVideoSampleAllocator_SetDirectXManager(impl_from_IMFVideoSampleAllocator(iface)->allocator, manager);
}

static HRESULT WINAPI dva_UninitializeSampleAllocator(IMFVideoSampleAllocator *iface)
{
    struct dvideosink *v = impl_from_IMFVideoSampleAllocator(iface);
    InterlockedIncrement(&v->counts.uninitialized);
    return IMFVideoSampleAllocator_UninitializeSampleAllocator(v->allocator);
}

/* The pool's samples are RGB32 frames whatever the connection says: the
 * doubles' stream types are audio. */
static HRESULT WINAPI dva_InitializeSampleAllocator(IMFVideoSampleAllocator *iface, DWORD count, IMFMediaType *type)
{
    struct dvideosink *v = impl_from_IMFVideoSampleAllocator(iface);
    IMFMediaType *video;
    HRESULT hr;

    if (!type) return E_POINTER;
    if (FAILED(hr = MFCreateMediaType(&video))) return hr;
    IMFMediaType_SetGUID(video, &MF_MT_MAJOR_TYPE, &MFMediaType_Video);
    IMFMediaType_SetGUID(video, &MF_MT_SUBTYPE, &MFVideoFormat_RGB32);
    IMFMediaType_SetUINT64(video, &MF_MT_FRAME_SIZE, (UINT64)DVIDEO_WIDTH << 32 | DVIDEO_HEIGHT);
    if (SUCCEEDED(hr = IMFVideoSampleAllocator_InitializeSampleAllocator(v->allocator, count, video)))
    {
        InterlockedIncrement(&v->counts.initialized);
        InterlockedExchange(&v->counts.pool, count);
    }
    IMFMediaType_Release(video);
    return hr;
}

static HRESULT WINAPI dva_AllocateSample(IMFVideoSampleAllocator *iface, IMFSample **sample)
{
    struct dvideosink *v = impl_from_IMFVideoSampleAllocator(iface);
    HRESULT hr = IMFVideoSampleAllocator_AllocateSample(v->allocator, sample);

    if (SUCCEEDED(hr)) InterlockedIncrement(&v->counts.allocated);
    else if (hr == MF_E_SAMPLEALLOCATOR_EMPTY) InterlockedIncrement(&v->counts.empty);
    return hr;
}

static const IMFVideoSampleAllocatorVtbl dva_vtbl =
{
    dva_QueryInterface, dva_AddRef, dva_Release,
    dva_SetDirectXManager, dva_UninitializeSampleAllocator, dva_InitializeSampleAllocator, dva_AllocateSample,
};

static HRESULT WINAPI dvc_QueryInterface(IMFVideoSampleAllocatorCallback *iface, REFIID riid, void **out)
{
    return dva_QueryInterface(&impl_from_IMFVideoSampleAllocatorCallback(iface)->IMFVideoSampleAllocator_iface,
            riid, out);
}

static ULONG WINAPI dvc_AddRef(IMFVideoSampleAllocatorCallback *iface)
{
    return dvs_AddRef(&impl_from_IMFVideoSampleAllocatorCallback(iface)->IMFStreamSink_iface);
}

static ULONG WINAPI dvc_Release(IMFVideoSampleAllocatorCallback *iface)
{
    return dvs_Release(&impl_from_IMFVideoSampleAllocatorCallback(iface)->IMFStreamSink_iface);
}

static HRESULT WINAPI dvc_SetCallback(IMFVideoSampleAllocatorCallback *iface, IMFVideoSampleAllocatorNotify *notify)
{
    struct dvideosink *v = impl_from_IMFVideoSampleAllocatorCallback(iface);
    IMFVideoSampleAllocatorNotify *old;

    if (notify) IMFVideoSampleAllocatorNotify_AddRef(notify);
    EnterCriticalSection(&v->cs);
    old = v->client_notify;
    v->client_notify = notify;
    LeaveCriticalSection(&v->cs);
    if (old) IMFVideoSampleAllocatorNotify_Release(old);
    InterlockedIncrement(notify ? &v->counts.callback_set : &v->counts.callback_cleared);
    return S_OK;
}

static HRESULT WINAPI dvc_GetFreeSampleCount(IMFVideoSampleAllocatorCallback *iface, LONG *count)
{
    return IMFVideoSampleAllocatorCallback_GetFreeSampleCount(impl_from_IMFVideoSampleAllocatorCallback(iface)->allocator_cb,
            count);
}

static const IMFVideoSampleAllocatorCallbackVtbl dvc_vtbl =
{
    dvc_QueryInterface, dvc_AddRef, dvc_Release, dvc_SetCallback, dvc_GetFreeSampleCount,
};

/* The platform allocator's callback: counted, then passed to the session's.
 * Not a reference on the object (the platform's allocator would hold it). */
static HRESULT WINAPI dvn_QueryInterface(IMFVideoSampleAllocatorNotify *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFVideoSampleAllocatorNotify) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI dvn_AddRef(IMFVideoSampleAllocatorNotify *iface) { return 2; }
static ULONG WINAPI dvn_Release(IMFVideoSampleAllocatorNotify *iface) { return 1; }

static HRESULT WINAPI dvn_NotifyRelease(IMFVideoSampleAllocatorNotify *iface)
{
    struct dvideosink *v = impl_from_IMFVideoSampleAllocatorNotify(iface);
    IMFVideoSampleAllocatorNotify *notify;

    EnterCriticalSection(&v->cs);
    if ((notify = v->client_notify)) IMFVideoSampleAllocatorNotify_AddRef(notify);
    LeaveCriticalSection(&v->cs);
    if (!notify) return S_OK;
    InterlockedIncrement(&v->counts.notified);
    IMFVideoSampleAllocatorNotify_NotifyRelease(notify);
    IMFVideoSampleAllocatorNotify_Release(notify);
    return S_OK;
}

static const IMFVideoSampleAllocatorNotifyVtbl dvn_vtbl = { dvn_QueryInterface, dvn_AddRef, dvn_Release, dvn_NotifyRelease };

HRESULT dvideosink_create(IMFStreamSink *inner, unsigned hold_ms, struct dvideosink **out)
{
    HRESULT (WINAPI *create)(REFIID riid, void **out);
    struct dvideosink *v;
    HRESULT hr = E_NOINTERFACE;

    if (!(v = calloc(1, sizeof(*v)))) return E_OUTOFMEMORY;
    v->IMFStreamSink_iface.lpVtbl = &dvs_vtbl;
    v->IMFGetService_iface.lpVtbl = &dvs_gs_vtbl;
    v->IMFVideoSampleAllocator_iface.lpVtbl = &dva_vtbl;
    v->IMFVideoSampleAllocatorCallback_iface.lpVtbl = &dvc_vtbl;
    v->IMFVideoSampleAllocatorNotify_iface.lpVtbl = &dvn_vtbl;
    v->refcount = 1;
    v->hold_ms = hold_ms;
    InitializeCriticalSection(&v->cs);
    /* evr.dll's, loaded here: the tests do not link evr. */
    create = (void *)GetProcAddress(LoadLibraryA("evr.dll"), "MFCreateVideoSampleAllocator");
    if (!create || FAILED(hr = create(&IID_IMFVideoSampleAllocator, (void **)&v->allocator)))
    {
        DeleteCriticalSection(&v->cs);
        free(v);
        return hr;
    }
    IMFVideoSampleAllocator_QueryInterface(v->allocator, &IID_IMFVideoSampleAllocatorCallback, (void **)&v->allocator_cb);
    IMFVideoSampleAllocatorCallback_SetCallback(v->allocator_cb, &v->IMFVideoSampleAllocatorNotify_iface);
    v->timers = CreateTimerQueue();
    v->inner = inner;
    IMFStreamSink_AddRef(inner);
    *out = v;
    return S_OK;
}

IMFStreamSink *dvideosink_iface(struct dvideosink *v)
{
    return &v->IMFStreamSink_iface;
}

void dvideosink_counts(struct dvideosink *v, struct dvideosink_counts *counts)
{
    MemoryBarrier();
    *counts = v->counts;
}

BOOL dvideosink_drain_held(struct dvideosink *v, DWORD timeout_ms)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms;
    while (InterlockedCompareExchange(&v->held, 0, 0) && GetTickCount64() < deadline)
        WaitForSingleObject(GetCurrentThread(), 10);
    return !InterlockedCompareExchange(&v->held, 0, 0);
}

void dvideosink_release(struct dvideosink *v)
{
    dvs_Release(&v->IMFStreamSink_iface);
}
