/*
 * callbacks.c: weak event links from components back to the session.
 *
 * The session subscribes to the event queues of sources, streams and stream
 * sinks with one small callback object each.  The object holds the session
 * only through a try-AddRef while it delivers an event, and holds the
 * generator only until the session detaches it, so a subscription still
 * pending on a component's queue keeps neither the session nor the component
 * alive.
 */
#include "session_internal.h"

static struct event_link *impl_from_IMFAsyncCallback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct event_link, IMFAsyncCallback_iface);
}

static HRESULT WINAPI link_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFAsyncCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI link_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_IMFAsyncCallback(iface)->refcount);
}

static ULONG WINAPI link_Release(IMFAsyncCallback *iface)
{
    struct event_link *link = impl_from_IMFAsyncCallback(iface);
    ULONG refcount = InterlockedDecrement(&link->refcount);

    if (!refcount)
    {
        if (link->generator) IMFMediaEventGenerator_Release(link->generator);
        mfs_free(link);
        module_unlock();
    }
    return refcount;
}

static HRESULT WINAPI link_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL; /* optional method: the standard queue */
}

/* A subscription that fires after its link was cut still takes its event
 * off the component's queue: left there, the event would keep what it
 * carries (a stream, a sample) referenced until the component shuts down.
 * The link no longer holds the generator, so the queue is reached through
 * the async result, whose object is the queue that issued it. */
static void link_drop_orphan_event(IMFAsyncResult *result)
{
    IMFMediaEventGenerator *generator;
    IMFMediaEventQueue *queue;
    IMFMediaEvent *event = NULL;
    IUnknown *object = NULL;

    if (FAILED(IMFAsyncResult_GetObject(result, &object)) || !object) return;
    if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFMediaEventQueue, (void **)&queue)))
    {
        IMFMediaEventQueue_EndGetEvent(queue, result, &event);
        IMFMediaEventQueue_Release(queue);
    }
    else if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFMediaEventGenerator, (void **)&generator)))
    {
        IMFMediaEventGenerator_EndGetEvent(generator, result, &event);
        IMFMediaEventGenerator_Release(generator);
    }
    if (event) IMFMediaEvent_Release(event);
    IUnknown_Release(object);
}

static HRESULT WINAPI link_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct event_link *link = impl_from_IMFAsyncCallback(iface);
    IMFMediaEventGenerator *generator = NULL;
    struct session *session = NULL;
    IMFMediaEvent *event = NULL;
    HRESULT hr;

    AcquireSRWLockShared(&link->lock);
    if (link->session && session_try_addref(link->session))
    {
        session = link->session;
        if ((generator = link->generator)) IMFMediaEventGenerator_AddRef(generator);
    }
    ReleaseSRWLockShared(&link->lock);
    if (!session)
    {
        if (link->kind != LINK_TIMER) link_drop_orphan_event(result);
        return S_OK;
    }
    if (link->kind == LINK_TIMER)
    {
        session_on_timer_fired(session);
        session_release(session);
        return S_OK;
    }
    if (!generator)
    {
        session_release(session);
        link_drop_orphan_event(result);
        return S_OK;
    }

    hr = IMFMediaEventGenerator_EndGetEvent(generator, result, &event);
    if (SUCCEEDED(hr))
    {
        /* No re-arm here: the serializer polls the queue while it works and
         * subscribes again only when it runs out of work (see operation.c). */
        session_post_event(session, link, event, TRUE);
        IMFMediaEvent_Release(event);
    }
    else
    {
        /* The component's queue failed (a source shut down behind our back):
         * an error for the pending command or an MEError, never a silent wait. */
        session_post_link_failure(session, link, hr);
    }
    IMFMediaEventGenerator_Release(generator);
    session_release(session);
    return S_OK;
}

static const IMFAsyncCallbackVtbl link_vtbl =
{
    link_QueryInterface,
    link_AddRef,
    link_Release,
    link_GetParameters,
    link_Invoke,
};

HRESULT event_link_create(struct session *session, enum link_kind kind, void *context,
        IMFMediaEventGenerator *generator, struct event_link **out)
{
    struct event_link *link;

    if (!(link = mfs_calloc(1, sizeof(*link)))) return E_OUTOFMEMORY;
    link->IMFAsyncCallback_iface.lpVtbl = &link_vtbl;
    link->refcount = 1;
    InitializeSRWLock(&link->lock);
    link->session = session;
    link->kind = kind;
    link->context = context;
    if ((link->generator = generator)) IMFMediaEventGenerator_AddRef(generator);
    module_lock();
    *out = link;
    return S_OK;
}

/* Cuts the link: later events are ignored and the generator is released. */
void event_link_detach(struct event_link *link)
{
    IMFMediaEventGenerator *generator;

    if (!link) return;
    AcquireSRWLockExclusive(&link->lock);
    generator = link->generator;
    link->generator = NULL;
    link->session = NULL;
    link->context = NULL;
    ReleaseSRWLockExclusive(&link->lock);
    if (generator) IMFMediaEventGenerator_Release(generator);
}

void event_link_release(struct event_link *link)
{
    if (link) IMFAsyncCallback_Release(&link->IMFAsyncCallback_iface);
}
