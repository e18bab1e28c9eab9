/*
 * serializer.c: the serializer loop (session_drain) that runs the session's
 * commands and component events one at a time, the session's own callbacks
 * (the serializer, the Close timer, finalize), and the teardown that
 * Shutdown runs.
 *
 * How component events reach the serializer (docs/DECISIONS.md, "Poll,
 * subscribe, or park"): each link to a component's event queue either has a
 * BeginGetEvent pending or sits on the idle list.  While the serializer works
 * it polls the idle links; when it runs out of work it subscribes them, or
 * leaves them parked while an answer is already on its way (a requested
 * sample) or while nothing plays, until the next tick.
 */
#include "session_internal.h"
#include "async_mft.h"
#include <propvarutil.h>

/* Component events one serializer run handles before it yields its thread. */
#define DRAIN_BATCH 1024

static void release_idle_links(struct session *session);

/* ---- the serializer ---- */

static void session_teardown(struct session *session)
{
    struct component_event *item;
    struct command *command;

    session->torn_down = TRUE;
    release_idle_links(session);
    event_links_purge_retired(session, NULL);
    command_free(session->op.command);
    memset(&session->op, 0, sizeof(session->op));
    session_clear_queue(session);
    if (session->pending_topology)
    {
        topology_forget(session, session->pending_topology);
        topology_destroy(session, session->pending_topology);
        session->pending_topology = NULL;
    }
    if (session->current)
    {
        struct topology *topology = session->current;
        session->current = NULL;
        topology_destroy(session, topology);
    }
    shutdown_list_run(session);
    topology_forget_all(session);

    EnterCriticalSection(&session->lock);
    command = session->commands_head;
    item = session->events_head;
    session->commands_head = session->commands_tail = NULL;
    session->events_head = session->events_tail = NULL;
    LeaveCriticalSection(&session->lock);
    while (command)
    {
        struct command *next = command->next;
        command_free(command);
        command = next;
    }
    while (item)
    {
        struct component_event *next = item->next;
        component_event_free(item);
        item = next;
    }
}

/* Appends an item for the serializer while it runs (the caller owns it). */
static void append_item(struct session *session, struct event_link *link, IMFMediaEvent *event, int kind, HRESULT status)
{
    struct component_event *item = session_take_spare(session);
    if (item) memset(item, 0, sizeof(*item));
    else if (!(item = mfs_calloc(1, sizeof(*item)))) return;
    item->kind = kind;
    item->status = status;
    if ((item->link = link)) IMFAsyncCallback_AddRef(&link->IMFAsyncCallback_iface);
    if ((item->event = event)) IMFMediaEvent_AddRef(event);
    session_enqueue(session, item, FALSE);
}

static IMFMediaEventGenerator *link_generator(struct event_link *link)
{
    IMFMediaEventGenerator *generator = NULL;
    AcquireSRWLockShared(&link->lock);
    if (link->session && (generator = link->generator)) IMFMediaEventGenerator_AddRef(generator);
    ReleaseSRWLockShared(&link->lock);
    return generator;
}

/* The generator of a link on the idle list, for the serializer's poll.  Idle
 * links are detached only on the serializer (topology teardown, the
 * pipeline, the teardown at Shutdown) or once no serializer can run (the
 * session's destruction), so the generator cannot go while the serializer
 * polls it: no lock and no reference per poll (an SRW lock pair costs about
 * 43 ns under Wine 8, and a playing stream is polled twice per sample). */
static IMFMediaEventGenerator *idle_link_generator(struct event_link *link)
{
    return link->session ? link->generator : NULL;
}

static void idle_unlist(struct event_link **prev)
{
    struct event_link *link = *prev;
    *prev = link->idle_next;
    link->idle_next = NULL;
    link->idle_listed = FALSE;
    event_link_release(link);
}

static void arm_link(struct session *session, struct event_link **prev);

/* Takes one event that an idle link's queue already holds, without a
 * work-queue hop: a component that answers synchronously (RequestSample,
 * ProcessSample) is served on this thread.  TRUE when something was found:
 * *out then holds it for the serializer to dispatch at once: the event
 * referenced, the link referenced only for ITEM_LINK_FAILED (see below).
 *
 * One event per call, and the link it came from goes to the end of the list:
 * in a playing pipeline each call inside a component leaves one event on one
 * queue (the stream sink's request, the stream's sample), so taking it and
 * going back to work saves the calls that would find the other queues
 * empty, and the round robin still reaches every idle link (a source's
 * MEError waits for at most one pass over the list, never for the end of
 * the stream). */
static BOOL poll_idle_links(struct session *session, struct component_event *out)
{
    struct event_link **prev = &session->idle_links, **tail;

    while (*prev)
    {
        struct event_link *link = *prev;
        IMFMediaEventGenerator *generator = idle_link_generator(link);
        IMFMediaEvent *event;
        HRESULT hr;

        if (!generator)
        {
            idle_unlist(prev);
            continue;
        }
        hr = IMFMediaEventGenerator_GetEvent(generator, MF_EVENT_FLAG_NO_WAIT, &event);
        if (hr == MF_E_NO_EVENTS_AVAILABLE)
        {
            /* While the presentation plays, a media source speaks only at
             * its end or on a failure: it is subscribed rather than polled
             * at every sample (saves a failed GetEvent per poll). */
            if (link->kind == LINK_SOURCE && session->state == STATE_STARTED && !session->op.command)
            {
                arm_link(session, prev);
                continue;
            }
            prev = &link->idle_next;
            continue;
        }
        memset(out, 0, sizeof(*out));
        out->link = link;
        if (FAILED(hr))
        {
            /* Off the list: the item holds the link from here. */
            IMFAsyncCallback_AddRef(&link->IMFAsyncCallback_iface);
            out->kind = ITEM_LINK_FAILED;
            out->status = hr;
            idle_unlist(prev);
            return TRUE;
        }
        /* The link stays listed, and the list's reference is borrowed: only
         * the serializer unlists, never while it dispatches, and a teardown
         * asked for inside a dispatch waits for the item's end
         * (session_shutdown_pipeline).  Saves an AddRef and a Release per
         * polled event, two per sample of a playing stream. */
        out->event = event;
        if (link->idle_next)
        {
            *prev = link->idle_next;
            link->idle_next = NULL;
            for (tail = prev; *tail; tail = &(*tail)->idle_next) {}
            *tail = link;
        }
        return TRUE;
    }
    return FALSE;
}

/* Subscribes the idle link at *prev and takes it off the idle list. */
static void arm_link(struct session *session, struct event_link **prev)
{
    struct event_link *link = *prev;
    IMFMediaEventGenerator *generator = link_generator(link);
    HRESULT hr;

    if (generator)
    {
        hr = IMFMediaEventGenerator_BeginGetEvent(generator, &link->IMFAsyncCallback_iface, NULL);
        IMFMediaEventGenerator_Release(generator);
        if (FAILED(hr)) append_item(session, link, NULL, ITEM_LINK_FAILED, hr);
    }
    idle_unlist(prev);
}

/* The serializer runs out of work: subscribe again where nothing is pending. */
static void arm_idle_links(struct session *session)
{
    while (session->idle_links) arm_link(session, &session->idle_links);
}

/* Does this link belong to a source stream that owes a requested sample? */
static BOOL link_owes_sample(struct session *session, struct event_link *link)
{
    struct pnode *node = link->context;

    return link->kind == LINK_STREAM && link->session && node && !link->failure && node->stream_link == link
            && node->kind == PNODE_SOURCE && node->upstream_pending > 0 && !node->stream_ended;
}

/* While playing, only the links of streams that owe a requested sample are
 * subscribed when the serializer runs out of work; the others stay parked
 * (answer_on_its_way).  A source that answers from its own thread or a work
 * item (Wine's media source) then brings the sample through that one
 * subscription, and the stream sink's next request, queued inside
 * ProcessSample, is found by polling on the same thread: one work-queue hop
 * per sample instead of one per subscribed link. */
static void arm_owed_links(struct session *session)
{
    struct event_link **prev = &session->idle_links;
    struct topology *t = session->current;

    if (!t || session->state != STATE_STARTED || session->op.command || session->close_requested
            || session->shut_down || t->flushing)
        return;
    while (*prev)
    {
        if (link_owes_sample(session, *prev)) arm_link(session, prev);
        else prev = &(*prev)->idle_next;
    }
}

/* A link with no subscription pending goes on the idle list: the serializer
 * polls it while it works and subscribes it when it runs out of work (or
 * parks it, below).  New links start here too, so that a component answering
 * inside the call (a source's MESourceStarted in Start) is found by polling
 * instead of through a work-queue hop. */
void session_list_idle_link(struct session *session, struct event_link *link)
{
    if (link->idle_listed) return;
    link->idle_listed = TRUE;
    IMFAsyncCallback_AddRef(&link->IMFAsyncCallback_iface);
    link->idle_next = session->idle_links;
    session->idle_links = link;
}

/* May the serializer stop with its idle links left unsubscribed ("parked")?
 * Only while an answer is already on its way through a subscribed link: a
 * sample requested from a stream whose link is subscribed.  That answer runs
 * the serializer, which polls the parked links before anything else, so an
 * event on them waits at most for it; the tick (TIMER_TICK_MS) is the bound
 * when a source never answers.
 *
 * Why: subscribing every idle link whenever the serializer runs out of work
 * locks a one-stream pipeline into alternation: the stream sink's link is
 * subscribed while the stream's answer travels through its own subscription,
 * then the other way round, one work-queue hop per sample.  Parked, the
 * stream sink's next request is found by polling on the thread that just
 * delivered the sample, and with components that answer inside the call the
 * pipeline runs without any hop. */
static BOOL answer_on_its_way(struct session *session)
{
    struct topology *t = session->current;
    unsigned i;

    if (!t || session->state != STATE_STARTED || session->op.command || session->close_requested
            || session->shut_down || t->flushing)
        return FALSE;
    for (i = 0; i < t->node_count; ++i)
    {
        struct pnode *node = &t->nodes[i];
        struct event_link *link = node->stream_link;

        if (node->kind == PNODE_SOURCE && link && link->session && !link->idle_listed && !link->failure
                && node->upstream_pending > 0 && !node->stream_ended)
            return TRUE;
    }
    return FALSE;
}

/* Outside playback, with no command waiting on components, events are rare
 * and nothing is late: links stay parked until the next tick subscribes them
 * (an event then waits at most TIMER_TICK_MS; a command polls them at once).
 * A Start right after SetTopology or Stop then finds the acknowledgements of
 * components that answer inside the call by polling. */
static BOOL park_while_idle(struct session *session)
{
    if (session->arm_at_tick || session->op.command || session->close_requested || session->shut_down)
        return FALSE;
    return session->state == STATE_STOPPED || session->state == STATE_EMPTY;
}

static void release_idle_links(struct session *session)
{
    while (session->idle_links) idle_unlist(&session->idle_links);
}

/* Out of work: first what the components already queued, then subscribe,
 * unless an answer on its way will run the serializer again.  Called without
 * the session lock. */
static void drain_idle_links(struct session *session, unsigned *batch, BOOL *parked)
{
    struct component_event polled;

    if (poll_idle_links(session, &polled))
    {
        if (++*batch > DRAIN_BATCH)
        {
            /* Through the queue, where the batch bound yields the thread. */
            append_item(session, polled.link, polled.event, polled.kind, polled.status);
            *batch = DRAIN_BATCH;
        }
        else
            /* Found on this thread while nothing else waits: dispatched at
             * once, without the queue's locks and item. */
            session_dispatch(session, &polled);
        if (polled.kind == ITEM_LINK_FAILED) event_link_release(polled.link);
        if (polled.event) IMFMediaEvent_Release(polled.event);
        return;
    }
    arm_owed_links(session);
    if (answer_on_its_way(session) || park_while_idle(session))
    {
        *parked = TRUE;
        schedule_tick(session);
    }
    else
    {
        session->arm_at_tick = FALSE;
        arm_idle_links(session);
    }
}

/* Does nothing wait for the serializer under the lock?  Read without it, by
 * the serializer's own thread: other threads write the queues and shut_down
 * under the lock, and these loads see such a write on the next pass as the
 * lock would; whatever is found is then taken under the lock.  Saves a lock
 * pair per pass, i.e. per polled event of a playing stream. */
static BOOL nothing_queued(struct session *session)
{
    if (__atomic_load_n(&session->shut_down, __ATOMIC_ACQUIRE)) return FALSE;
    if (__atomic_load_n(&session->events_head, __ATOMIC_ACQUIRE)) return FALSE;
    return session->op.command || !__atomic_load_n(&session->commands_head, __ATOMIC_ACQUIRE);
}

void session_drain(struct session *session)
{
    struct component_event *item, *done = NULL;
    struct command *command;
    BOOL parked = FALSE;
    unsigned batch = 0;

    DWORD me = GetCurrentThreadId();

    for (;;)
    {
        item = NULL;
        command = NULL;
        /* Close waits behind a command that waits on components: bound the wait. */
        if (session->op.command && session->close_requested && session->op.acks && !session->torn_down)
            arm_timer(session);
        if (!done && !parked && session->drain_thread == me && session->idle_links && !session->torn_down
                && nothing_queued(session))
        {
            /* The common pass of a playing pipeline: nothing queued, so
             * straight to the idle links, without the lock pair. */
            drain_idle_links(session, &batch, &parked);
            continue;
        }
        EnterCriticalSection(&session->lock);
        session->drain_thread = me;
        if (done)
        {
            session_recycle_locked(session, done);
            done = NULL;
        }
        if (session->shut_down && !session->torn_down)
        {
            LeaveCriticalSection(&session->lock);
            session_teardown(session);
            continue;
        }
        /* A waiting command goes before component events: a pipeline whose
         * components answer inside the call never runs out of events. */
        if (!session->op.command && (command = session->commands_head))
        {
            if (!(session->commands_head = command->next)) session->commands_tail = NULL;
        }
        else if ((item = session->events_head))
        {
            if (!(session->events_head = item->next)) session->events_tail = NULL;
        }
        if (item && ++batch > DRAIN_BATCH)
        {
            /* Give the worker thread back now and then (other sessions share
             * the queue): the rest runs from a new work item. */
            session->events_head = item;
            if (!item->next) session->events_tail = item;
            session->drain_thread = 0;
            LeaveCriticalSection(&session->lock);
            if (SUCCEEDED(MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &session->drain_callback, NULL)))
                return;
            /* No work item to be had: go on here (never recursively). */
            batch = 0;
            continue;
        }
        if (!item && !command && session->idle_links && !session->torn_down && !parked)
        {
            LeaveCriticalSection(&session->lock);
            drain_idle_links(session, &batch, &parked);
            continue;
        }
        parked = FALSE;
        if (!item && !command)
        {
            session->draining = FALSE;
            session->drain_thread = 0;
            WakeAllConditionVariable(&session->idle);
            LeaveCriticalSection(&session->lock);
            return;
        }
        LeaveCriticalSection(&session->lock);

        if (session->torn_down)
        {
            if (item) component_event_free(item);
            command_free(command);
            continue;
        }
        if (command && session->cancel_until_close && command->type != CMD_CLOSE)
        {
            /* A component stopped answering and Close waits: what was queued before it is obsolete. */
            session_complete(session, command, MF_E_OPERATION_CANCELLED);
            continue;
        }
        if (item)
        {
            session_dispatch(session, item);
            if (item->link) event_link_release(item->link);
            if (item->event) IMFMediaEvent_Release(item->event);
            item->link = NULL;
            item->event = NULL;
            done = item;
        }
        else
            session_run_command(session, command);
    }
}

void session_shutdown_pipeline(struct session *session)
{
    DWORD me = GetCurrentThreadId();

    EnterCriticalSection(&session->lock);
    if (session->draining && session->drain_thread == me)
    {
        /* Called from inside the serializer: it tears down after this item. */
        LeaveCriticalSection(&session->lock);
        return;
    }
    while (session->draining) SleepConditionVariableCS(&session->idle, &session->lock, INFINITE);
    if (session->torn_down)
    {
        LeaveCriticalSection(&session->lock);
        return;
    }
    session->draining = TRUE;
    session->drain_thread = me;
    LeaveCriticalSection(&session->lock);

    session_teardown(session);

    EnterCriticalSection(&session->lock);
    session->draining = FALSE;
    session->drain_thread = 0;
    WakeAllConditionVariable(&session->idle);
    LeaveCriticalSection(&session->lock);
}

/* ---- the session's own callbacks: the serializer, the Close timer, finalize ---- */

#define DEFINE_SESSION_CALLBACK(name, field) \
static struct session *impl_from_##name(IMFAsyncCallback *iface) \
{ \
    return CONTAINING_RECORD(iface, struct session, field); \
} \
static HRESULT WINAPI name##_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out) \
{ \
    if (!out) return E_POINTER; \
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown)) \
    { \
        *out = iface; \
        IMFAsyncCallback_AddRef(iface); \
        return S_OK; \
    } \
    *out = NULL; \
    return E_NOINTERFACE; \
} \
static ULONG WINAPI name##_AddRef(IMFAsyncCallback *iface) \
{ \
    return IMFMediaSession_AddRef(&impl_from_##name(iface)->IMFMediaSession_iface); \
} \
static ULONG WINAPI name##_Release(IMFAsyncCallback *iface) \
{ \
    return IMFMediaSession_Release(&impl_from_##name(iface)->IMFMediaSession_iface); \
} \
static HRESULT WINAPI name##_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue) \
{ \
    return E_NOTIMPL; /* optional method: the default queue and flags */ \
}

DEFINE_SESSION_CALLBACK(drain, drain_callback)
DEFINE_SESSION_CALLBACK(finalize, finalize_callback)

static HRESULT WINAPI drain_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    session_drain(impl_from_drain(iface));
    return S_OK;
}

static void post_internal(struct session *session, enum internal_kind kind, HRESULT status)
{
    struct component_event *item;
    BOOL run = FALSE;

    if (!(item = mfs_calloc(1, sizeof(*item)))) return;
    item->kind = kind;
    item->status = status;
    if (!(run = session_enqueue(session, item, TRUE))) return;
    /* Timers and finalize callbacks run on work-queue threads: serve here.
     * A client thread (the attribute editor) never runs the serializer. */
    if (kind != ITEM_REFRESH || FAILED(MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &session->drain_callback, NULL)))
        session_drain(session);
}

/* The weak timer link fired (callbacks.c). */
void session_on_timer_fired(struct session *session)
{
    post_internal(session, ITEM_TIMER, S_OK);
}

static HRESULT WINAPI finalize_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct session *session = impl_from_finalize(iface);
    IMFFinalizableMediaSink *sink = NULL;
    IUnknown *state = NULL;
    HRESULT hr = E_UNEXPECTED;

    if (SUCCEEDED(IMFAsyncResult_GetState(result, &state)) && state)
    {
        if (SUCCEEDED(IUnknown_QueryInterface(state, &IID_IMFFinalizableMediaSink, (void **)&sink)))
        {
            hr = IMFFinalizableMediaSink_EndFinalize(sink, result);
            IMFFinalizableMediaSink_Release(sink);
        }
        IUnknown_Release(state);
    }
    post_internal(session, ITEM_FINALIZED, hr);
    return S_OK;
}

const IMFAsyncCallbackVtbl session_drain_vtbl =
{
    drain_QueryInterface, drain_AddRef, drain_Release, drain_GetParameters, drain_Invoke,
};

const IMFAsyncCallbackVtbl session_finalize_vtbl =
{
    finalize_QueryInterface, finalize_AddRef, finalize_Release, finalize_GetParameters, finalize_Invoke,
};

/* The node attribute editor changed attributes of the current topology. */
void session_post_refresh(struct session *session)
{
    post_internal(session, ITEM_REFRESH, S_OK);
}

/* At rate 0 a stream sink has scrubbed once it said so and has its frame
 * (Wine's sample grabber says so as soon as the clock starts, before any
 * sample): MESessionScrubSampleComplete comes when every one has. */
void session_on_scrub_progress(struct session *session, struct pnode *node)
{
    if (!node->scrub_expected || !node->scrub_said || node->samples_in == node->samples_at_seek) return;
    node->scrub_expected = node->scrub_said = FALSE;
    if (!session->scrubs_pending || --session->scrubs_pending) return;
    /* The client hears MESessionStarted first: a sink that says it scrubbed as
     * soon as the clock starts (Wine's sample grabber) waits for the Start. */
    if (session->op.command && session->op.command->type == CMD_START) session->scrub_done_early = TRUE;
    else session_queue_event(session, MESessionScrubSampleComplete, S_OK, NULL);
}

/* A component's event queue failed under a link (runs on a work-queue thread). */
void session_post_link_failure(struct session *session, struct event_link *link, HRESULT hr)
{
    struct component_event *item;
    BOOL run = FALSE;

    if (!(item = mfs_calloc(1, sizeof(*item)))) return;
    item->kind = ITEM_LINK_FAILED;
    item->status = hr;
    item->link = link;
    IMFAsyncCallback_AddRef(&link->IMFAsyncCallback_iface);
    if ((run = session_enqueue(session, item, TRUE))) session_drain(session);
}
