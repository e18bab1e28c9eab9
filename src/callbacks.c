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
        if (link->stash) IMFMediaEvent_Release(link->stash);
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

/* A retired link's subscription fired: the event is kept for the link's
 * next follower (the component's queue has no subscriber from now on, so
 * the next one can subscribe or poll).  FALSE if it was taken over first:
 * then the event goes the usual way.  Under the lock, so that the follower
 * sees either the subscription still pending or the event kept. */
static BOOL link_keep_event(struct event_link *link, IMFAsyncResult *result)
{
    IMFMediaEvent *event = NULL;
    BOOL kept;

    AcquireSRWLockExclusive(&link->lock);
    if ((kept = link->retired))
    {
        if (SUCCEEDED(IMFMediaEventGenerator_EndGetEvent(link->generator, result, &event)) && !link->stash)
            link->stash = event;
        else if (event)
            IMFMediaEvent_Release(event); /* not reached: a retired link subscribes no more */
    }
    ReleaseSRWLockExclusive(&link->lock);
    return kept;
}

static HRESULT WINAPI link_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct event_link *link = impl_from_IMFAsyncCallback(iface);
    IMFMediaEventGenerator *generator = NULL;
    struct session *session = NULL;
    IMFMediaEvent *event = NULL;
    BOOL retired;
    HRESULT hr;

    do
    {
        AcquireSRWLockShared(&link->lock);
        if (!(retired = link->retired) && link->session && session_try_addref(link->session))
        {
            session = link->session;
            if ((generator = link->generator)) IMFMediaEventGenerator_AddRef(generator);
        }
        ReleaseSRWLockShared(&link->lock);
    } while (retired && !link_keep_event(link, result));
    if (retired) return S_OK;
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

/* ---- retired stream links ----
 *
 * A sequencer source plays the same native streams again when the
 * application seeks back into a segment that played: a new topology's
 * node follows a stream that an earlier topology followed.  The earlier
 * link's subscription may still be pending on the stream's queue (a cut
 * link cannot withdraw its BeginGetEvent), and a queue takes one
 * subscriber: a new link's BeginGetEvent or GetEvent fails with
 * MF_E_MULTIPLE_SUBSCRIBERS.  So when a topology gives way to one that
 * plays the same source (retire_sinks), its stream links are retired
 * instead of cut: they stay with the session, keep the generator and their
 * subscription, and keep the one event it takes meanwhile; the next node
 * that follows the same stream takes the link over.  A retired link still
 * never holds the session, delivers nothing and costs nothing per sample;
 * the session lets go of it when no topology plays its source any more, and
 * at teardown. */

/* Serializer: the link leaves its node and waits on the session's list
 * (taking over the node's reference). */
void event_link_retire(struct session *session, struct event_link *link, const void *source)
{
    AcquireSRWLockExclusive(&link->lock);
    link->retired = TRUE;
    link->session = NULL; /* stale items for it in the serializer's queue are dropped */
    link->context = NULL;
    ReleaseSRWLockExclusive(&link->lock);
    link->retired_source = source;
    link->retired_next = session->retired_links;
    session->retired_links = link;
}

/* Serializer: a retired link goes back to work for `context`.  Its
 * subscription still pending now delivers to it; an event it kept, or one
 * the queue holds, is dispatched as if it had come through a subscription
 * (the link is then polled, as after any event). */
static void link_take_over(struct session *session, struct event_link *link, void *context)
{
    IMFMediaEvent *event;
    HRESULT hr = S_OK;

    AcquireSRWLockExclusive(&link->lock);
    link->retired = FALSE;
    link->session = session;
    link->context = context;
    link->failure = S_OK;
    link->stale = TRUE; /* what the queue still holds from the earlier play comes first */
    event = link->stash;
    link->stash = NULL;
    ReleaseSRWLockExclusive(&link->lock);
    /* Nothing kept: the stream's queue says whether the old subscription is
     * still pending.  Asked outside the lock (a call into the component);
     * a subscription that fires from now on finds the link working and
     * delivers as usual, and only the serializer subscribes it again. */
    if (!event) hr = IMFMediaEventGenerator_GetEvent(link->generator, MF_EVENT_FLAG_NO_WAIT, &event);
    if (hr == MF_E_MULTIPLE_SUBSCRIBERS) return; /* ours, still pending */
    if (SUCCEEDED(hr))
    {
        session_post_event(session, link, event, TRUE);
        IMFMediaEvent_Release(event);
    }
    else session_list_idle_link(session, link); /* polled: nothing yet, or the queue's failure */
}

/* Serializer: a link that follows `generator` for `context`, listed idle
 * like every new link, or the session's retired link on the same
 * generator, taken over. */
HRESULT event_link_follow(struct session *session, enum link_kind kind, void *context,
        IMFMediaEventGenerator *generator, struct event_link **out)
{
    struct event_link **prev, *link;
    HRESULT hr;

    for (prev = &session->retired_links; (link = *prev); prev = &link->retired_next)
    {
        if (link->kind != kind || link->generator != generator) continue;
        *prev = link->retired_next;
        link->retired_next = NULL;
        link_take_over(session, link, context);
        *out = link;
        return S_OK;
    }
    if (FAILED(hr = event_link_create(session, kind, context, generator, out))) return hr;
    session_list_idle_link(session, *out);
    return S_OK;
}

/* Serializer: lets go of the retired links whose source `keep` (NULL at
 * teardown) does not play; a subscription still pending then finds its
 * link cut and drops its event. */
void event_links_purge_retired(struct session *session, struct topology *keep)
{
    struct event_link **prev = &session->retired_links, *link;
    IMFMediaEvent *stash;

    while ((link = *prev))
    {
        if (keep && topology_has_source(keep, link->retired_source))
        {
            prev = &link->retired_next;
            continue;
        }
        *prev = link->retired_next;
        link->retired_next = NULL;
        AcquireSRWLockExclusive(&link->lock);
        link->retired = FALSE;
        stash = link->stash;
        link->stash = NULL;
        ReleaseSRWLockExclusive(&link->lock);
        if (stash) IMFMediaEvent_Release(stash);
        event_link_detach(link);
        event_link_release(link);
    }
}
