/*
 * video_alloc.c: the video renderer's sample path.
 *
 * A video renderer's stream sink presents only samples from its own
 * allocator (Direct3D surfaces): Wine's EVR refuses every plain memory
 * sample ("failed to get source surface").  So the transform feeding such a
 * sink writes into samples from the sink's IMFVideoSampleAllocator,
 * initialized for the connection's media type.  The pool is small: when it
 * is empty the transform's pump parks, and the allocator's release callback
 * (IMFVideoSampleAllocatorNotify::NotifyRelease, on whatever thread dropped
 * the last reference) posts a wake-up through the stream sink's weak event
 * link, so the serializer resumes the pump; no thread waits.
 */
#include "video_alloc.h"

/* Local copies (evr.h, dxva2api.h): not every import library defines them. */
static const GUID mfs_MR_VIDEO_ACCELERATION_SERVICE =
        {0xefef5175, 0x5c7d, 0x4ce2, {0xbb, 0xbd, 0x34, 0xff, 0x8b, 0xca, 0x65, 0x54}};
static const GUID mfs_IID_IDirect3DDeviceManager9 =
        {0xa0cade0f, 0x06d5, 0x4cf4, {0xa1, 0xc7, 0xf3, 0xcd, 0xd7, 0x25, 0xaa, 0x75}};

/* How many samples the session asks the renderer's pool for: one being
 * written while one is shown, as the platform's session asks. */
#define POOL_SAMPLES 2
#define POOL_SAMPLES_MAX 4

struct video_alloc
{
    IMFVideoSampleAllocatorNotify IMFVideoSampleAllocatorNotify_iface;
    LONG refcount;
    LONG parked;                        /* the pump found the pool empty: wake it on the next release */
    BOOL probed;                        /* the first sample was looked at (copies) */
    BOOL copies;                        /* its samples have no contiguous buffer: the session copies into them */
    SRWLOCK lock;                       /* guards link against a NotifyRelease racing the teardown */
    struct event_link *link;            /* the stream sink's link, referenced; NULL once detached */
    IMFVideoSampleAllocator *allocator;
    IMFVideoSampleAllocatorCallback *callback;
};

static struct video_alloc *impl_from_IMFVideoSampleAllocatorNotify(IMFVideoSampleAllocatorNotify *iface)
{
    return CONTAINING_RECORD(iface, struct video_alloc, IMFVideoSampleAllocatorNotify_iface);
}

static HRESULT WINAPI video_notify_QueryInterface(IMFVideoSampleAllocatorNotify *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IMFVideoSampleAllocatorNotify) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFVideoSampleAllocatorNotify_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI video_notify_AddRef(IMFVideoSampleAllocatorNotify *iface)
{
    return InterlockedIncrement(&impl_from_IMFVideoSampleAllocatorNotify(iface)->refcount);
}

static ULONG WINAPI video_notify_Release(IMFVideoSampleAllocatorNotify *iface)
{
    struct video_alloc *video = impl_from_IMFVideoSampleAllocatorNotify(iface);
    ULONG refcount = InterlockedDecrement(&video->refcount);

    if (!refcount)
    {
        if (video->link) event_link_release(video->link);
        if (video->callback) IMFVideoSampleAllocatorCallback_Release(video->callback);
        if (video->allocator) IMFVideoSampleAllocator_Release(video->allocator);
        mfs_free(video);
        module_unlock();
    }
    return refcount;
}

static HRESULT WINAPI video_notify_NotifyRelease(IMFVideoSampleAllocatorNotify *iface)
{
    struct video_alloc *video = impl_from_IMFVideoSampleAllocatorNotify(iface);
    struct session *session = NULL;
    struct event_link *link = NULL;
    IMFMediaEvent *event;

    /* Only a parked pump needs waking: a release while samples are still
     * free costs one interlocked read. */
    if (!InterlockedExchange(&video->parked, 0)) return S_OK;
    AcquireSRWLockShared(&video->lock);
    if ((link = video->link))
    {
        AcquireSRWLockShared(&link->lock);
        if (link->session && session_try_addref(link->session)) session = link->session;
        ReleaseSRWLockShared(&link->lock);
        if (session) IMFAsyncCallback_AddRef(&link->IMFAsyncCallback_iface);
    }
    ReleaseSRWLockShared(&video->lock);
    if (!session) return S_OK;
    if (SUCCEEDED(MFCreateMediaEvent(MFSESSION_ME_SAMPLE_RELEASED, &GUID_NULL, S_OK, NULL, &event)))
    {
        session_post_event(session, link, event, FALSE);
        IMFMediaEvent_Release(event);
    }
    event_link_release(link);
    session_release(session);
    return S_OK;
}

static const IMFVideoSampleAllocatorNotifyVtbl video_notify_vtbl =
{
    video_notify_QueryInterface,
    video_notify_AddRef,
    video_notify_Release,
    video_notify_NotifyRelease,
};

static HRESULT sink_current_type(IMFStreamSink *stream_sink, IMFMediaType **type)
{
    IMFMediaTypeHandler *handler;
    HRESULT hr;

    if (FAILED(hr = IMFStreamSink_GetMediaTypeHandler(stream_sink, &handler))) return hr;
    hr = IMFMediaTypeHandler_GetCurrentMediaType(handler, type);
    IMFMediaTypeHandler_Release(handler);
    return hr;
}

static HRESULT pool_initialize(IMFVideoSampleAllocator *allocator, IMFMediaType *type)
{
    IMFVideoSampleAllocatorEx *ex;
    HRESULT hr;

    if (SUCCEEDED(IMFVideoSampleAllocator_QueryInterface(allocator, &IID_IMFVideoSampleAllocatorEx, (void **)&ex)))
    {
        hr = IMFVideoSampleAllocatorEx_InitializeSampleAllocatorEx(ex, POOL_SAMPLES, POOL_SAMPLES_MAX, NULL, type);
        IMFVideoSampleAllocatorEx_Release(ex);
        if (SUCCEEDED(hr)) return hr;
    }
    return IMFVideoSampleAllocator_InitializeSampleAllocator(allocator, POOL_SAMPLES, type);
}

void video_alloc_attach(struct pnode *sink)
{
    IMFVideoSampleAllocator *allocator;
    struct video_alloc *video;
    IMFMediaType *type;
    HRESULT hr;

    /* Asked once, when the sink is attached (its link carries the wake-ups). */
    if (sink->kind != PNODE_SINK || sink->video_checked || !sink->stream_sink || !sink->sink_link) return;
    sink->video_checked = TRUE;
    if (FAILED(MFGetService((IUnknown *)sink->stream_sink, &mfs_MR_VIDEO_ACCELERATION_SERVICE,
            &IID_IMFVideoSampleAllocator, (void **)&allocator)))
        return; /* not a video renderer: the session allocates */
    if (FAILED(sink_current_type(sink->stream_sink, &type)))
    {
        IMFVideoSampleAllocator_Release(allocator);
        return;
    }
    hr = pool_initialize(allocator, type);
    IMFMediaType_Release(type);
    if (FAILED(hr) || !(video = mfs_calloc(1, sizeof(*video))))
    {
        IMFVideoSampleAllocator_Release(allocator);
        return;
    }
    video->IMFVideoSampleAllocatorNotify_iface.lpVtbl = &video_notify_vtbl;
    video->refcount = 1;
    InitializeSRWLock(&video->lock);
    video->allocator = allocator;
    video->link = sink->sink_link;
    IMFAsyncCallback_AddRef(&video->link->IMFAsyncCallback_iface);
    module_lock();
    /* Without the callback an empty pool would have no way to say it refilled. */
    if (FAILED(IMFVideoSampleAllocator_QueryInterface(allocator, &IID_IMFVideoSampleAllocatorCallback,
            (void **)&video->callback))
            || FAILED(IMFVideoSampleAllocatorCallback_SetCallback(video->callback,
            &video->IMFVideoSampleAllocatorNotify_iface)))
    {
        IMFVideoSampleAllocator_UninitializeSampleAllocator(allocator);
        IMFVideoSampleAllocatorNotify_Release(&video->IMFVideoSampleAllocatorNotify_iface);
        return;
    }
    sink->video = video;
}

void video_alloc_detach(struct pnode *sink)
{
    struct video_alloc *video = sink->video;
    struct event_link *link;

    sink->video_checked = FALSE;
    if (!video) return;
    sink->video = NULL;
    AcquireSRWLockExclusive(&video->lock);
    link = video->link;
    video->link = NULL;
    ReleaseSRWLockExclusive(&video->lock);
    if (link) event_link_release(link);
    IMFVideoSampleAllocatorCallback_SetCallback(video->callback, NULL);
    IMFVideoSampleAllocator_UninitializeSampleAllocator(video->allocator);
    IMFVideoSampleAllocatorNotify_Release(&video->IMFVideoSampleAllocatorNotify_iface);
}

/* A transform that works in system memory reaches a sample's memory through
 * ConvertToContiguousBuffer; when the renderer's samples refuse it (Wine 8's
 * EVR: E_NOTIMPL), the session has the frame written into memory and copies
 * it (sample_copy.c).  Asked of the first sample, once. */
static void probe_sample(struct video_alloc *video, IMFSample *sample)
{
    IMFMediaBuffer *buffer;

    video->probed = TRUE;
    if (SUCCEEDED(IMFSample_ConvertToContiguousBuffer(sample, &buffer))) IMFMediaBuffer_Release(buffer);
    else video->copies = TRUE;
}

BOOL video_alloc_copies(const struct video_alloc *video)
{
    return video->copies;
}

HRESULT video_alloc_sample(struct video_alloc *video, IMFSample **sample)
{
    HRESULT hr;

    if ((hr = IMFVideoSampleAllocator_AllocateSample(video->allocator, sample)) == MF_E_SAMPLEALLOCATOR_EMPTY)
    {
        /* Parked first, then asked again: a release between the two calls
         * cannot be missed (at worst it wakes the pump once for nothing). */
        InterlockedExchange(&video->parked, 1);
        if (SUCCEEDED(hr = IMFVideoSampleAllocator_AllocateSample(video->allocator, sample)))
            InterlockedExchange(&video->parked, 0);
    }
    if (SUCCEEDED(hr) && !video->probed) probe_sample(video, *sample);
    return hr;
}

/* The stream sink a transform's first output leads to, through other transforms. */
static struct pnode *downstream_sink(struct pnode *node)
{
    unsigned hops;

    for (hops = 0; node && hops < 16; ++hops)
    {
        if (node->kind == PNODE_SINK) return node;
        if (node->kind != PNODE_TRANSFORM || !node->output_count || !node->outputs[0]) return NULL;
        node = node->outputs[0]->down;
    }
    return NULL;
}

void video_alloc_offer_d3d_manager(struct pnode *transform)
{
    IUnknown *manager;
    IMFAttributes *attributes;
    UINT32 aware = 0, marked = 0;
    struct pnode *sink;

    if (transform->kind != PNODE_TRANSFORM || transform->d3d_manager_set) return;
    if (FAILED(IMFTopologyNode_GetUINT32(transform->node, &MF_TOPONODE_D3DAWARE, &marked)) || !marked) return;
    if (FAILED(IMFTransform_GetAttributes(transform->mft, &attributes))) return;
    IMFAttributes_GetUINT32(attributes, &MF_SA_D3D_AWARE, &aware);
    IMFAttributes_Release(attributes);
    if (!aware || !(sink = downstream_sink(transform)) || !sink->stream_sink) return;
    if (FAILED(MFGetService((IUnknown *)sink->stream_sink, &mfs_MR_VIDEO_ACCELERATION_SERVICE,
            &mfs_IID_IDirect3DDeviceManager9, (void **)&manager)))
        return;
    /* The transform keeps its own reference; a refusal leaves it in system memory. */
    if (SUCCEEDED(IMFTransform_ProcessMessage(transform->mft, MFT_MESSAGE_SET_D3D_MANAGER, (ULONG_PTR)manager)))
        transform->d3d_manager_set = TRUE;
    IUnknown_Release(manager);
}

void video_alloc_withdraw_d3d_manager(struct pnode *transform)
{
    if (!transform->d3d_manager_set) return;
    transform->d3d_manager_set = FALSE;
    IMFTransform_ProcessMessage(transform->mft, MFT_MESSAGE_SET_D3D_MANAGER, 0);
}
