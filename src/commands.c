/*
 * commands.c: the serializer, the state table and the transport commands.
 *
 * Every command and every component event runs here, one at a time, on a
 * Media Foundation work queue thread: session state needs no lock and no
 * lock is held while calling out.  A command that must wait for components
 * is an `operation`: a step and a count of acknowledgements still expected.
 * Component events may run the serializer inline (they already are on a work
 * queue thread); public calls always hop to the work queue.
 */
#include "session_internal.h"
#include <propvarutil.h>


void command_free(struct command *command)
{
    if (!command) return;
    if (command->topology) IMFTopology_Release(command->topology);
    PropVariantClear(&command->position);
    mfs_free(command);
}

/* ---- posting ---- */

static void session_schedule(struct session *session)
{
    /* The work item holds a session reference through drain_callback. */
    if (FAILED(MFPutWorkItem(MFASYNC_CALLBACK_QUEUE_STANDARD, &session->drain_callback, NULL)))
    {
        /* Out of resources: run here rather than lose the command. */
        session_drain(session);
    }
}

HRESULT session_post_command(struct session *session, struct command *command)
{
    BOOL schedule = FALSE;
    HRESULT hr = S_OK;

    EnterCriticalSection(&session->lock);
    if (session->shut_down) hr = MF_E_SHUTDOWN;
    /* After Close, a transport call still returns S_OK and its completion
     * event says MF_E_INVALIDREQUEST (observed on Windows for
     * ClearTopologies): a client waiting for that event gets it.  Only a
     * second Close is refused at once: one MESessionClosed per session. */
    else if (session->close_requested && command->type == CMD_CLOSE) hr = MF_E_INVALIDREQUEST;
    else
    {
        if (command->type == CMD_CLOSE) session->close_requested = TRUE;
        command->seq = ++session->command_seq;
        command->next = NULL;
        if (session->commands_tail) session->commands_tail->next = command;
        else session->commands_head = command;
        session->commands_tail = command;
        if (!session->draining)
        {
            session->draining = TRUE;
            schedule = TRUE;
        }
    }
    LeaveCriticalSection(&session->lock);
    if (SUCCEEDED(hr))
        TRACE('i', "command", "queued", session, "commands", 0, "\"command\":\"%s\",\"seq\":%llu",
                command_name(command->type), (unsigned long long)command->seq);
    if (schedule) session_schedule(session);
    return hr;
}

void session_post_event(struct session *session, struct event_link *link, IMFMediaEvent *event, BOOL on_worker)
{
    struct component_event *item;
    BOOL run = FALSE;

    if (link) IMFAsyncCallback_AddRef(&link->IMFAsyncCallback_iface);
    if (event) IMFMediaEvent_AddRef(event);

    /* The per-event path: one lock takes a recycled item and queues it. */
    EnterCriticalSection(&session->lock);
    if ((item = session->spare_events))
    {
        session->spare_events = item->next;
        session->spare_count--;
        memset(item, 0, sizeof(*item));
        item->unsubscribed = on_worker;
        item->link = link;
        item->event = event;
        if (session->events_tail) session->events_tail->next = item;
        else session->events_head = item;
        session->events_tail = item;
        if (!session->draining) session->draining = run = TRUE;
    }
    LeaveCriticalSection(&session->lock);
    if (!item)
    {
        if (!(item = mfs_calloc(1, sizeof(*item))))
        {
            if (link) event_link_release(link);
            if (event) IMFMediaEvent_Release(event);
            return;
        }
        item->unsubscribed = on_worker;
        item->link = link;
        item->event = event;
        run = session_enqueue(session, item, TRUE);
    }
    if (run)
    {
        if (on_worker) session_drain(session);
        else session_schedule(session);
    }
}

/* Appends an item to the serializer's events; with `claim`, TRUE when the
 * caller must run the serializer (it was idle). */
BOOL session_enqueue(struct session *session, struct component_event *item, BOOL claim)
{
    BOOL run = FALSE;

    item->next = NULL;
    EnterCriticalSection(&session->lock);
    if (session->events_tail) session->events_tail->next = item;
    else session->events_head = item;
    session->events_tail = item;
    if (claim && !session->draining) session->draining = run = TRUE;
    LeaveCriticalSection(&session->lock);
    return run;
}

void component_event_free(struct component_event *item)
{
    if (item->link) event_link_release(item->link);
    if (item->event) IMFMediaEvent_Release(item->event);
    mfs_free(item);
}

/* Event items are recycled: the per-sample path allocates nothing once warm.
 * The spare list is touched under the session lock (lock-free pop would race
 * the push in the drain loop for no measurable gain). */
#define MAX_SPARE_EVENTS 32

struct component_event *session_take_spare(struct session *session)
{
    struct component_event *item;
    EnterCriticalSection(&session->lock);
    if ((item = session->spare_events))
    {
        session->spare_events = item->next;
        session->spare_count--;
    }
    LeaveCriticalSection(&session->lock);
    return item;
}

/* Releases what the item holds and keeps it for reuse (called with the lock held). */
void session_recycle_locked(struct session *session, struct component_event *item)
{
    if (session->spare_count >= MAX_SPARE_EVENTS)
    {
        mfs_free(item);
        return;
    }
    item->next = session->spare_events;
    session->spare_events = item;
    session->spare_count++;
}

/* ---- events to the client ---- */

/* MESessionClosed is the last event the session ever queues. */
void session_forward_event(struct session *session, IMFMediaEvent *event)
{
    if (session->closed_sent) return;
    IMFMediaEventQueue_QueueEvent(session->event_queue, event);
}

void session_queue_event(struct session *session, MediaEventType type, HRESULT status, const PROPVARIANT *value)
{
    if (session->closed_sent && !session->completing_after_close) return;
    TRACE('i', "event", media_event_name(type), session, "events", 0, "\"status\":\"0x%08lx\"", (unsigned long)status);
    IMFMediaEventQueue_QueueEventParamVar(session->event_queue, type, &GUID_NULL, status, value);
}

void session_queue_event_unk(struct session *session, MediaEventType type, HRESULT status, IUnknown *unk,
        IMFAttributes *attributes)
{
    IMFMediaEvent *event;
    PROPVARIANT value;

    value.vt = unk ? VT_UNKNOWN : VT_EMPTY;
    value.punkVal = unk;
    if (FAILED(MFCreateMediaEvent(type, &GUID_NULL, status, &value, &event))) return;
    TRACE('i', "event", media_event_name(type), session, "events", 0, "\"status\":\"0x%08lx\"", (unsigned long)status);
    if (attributes) IMFAttributes_CopyAllItems(attributes, (IMFAttributes *)event);
    if (!session->closed_sent || session->completing_after_close)
        IMFMediaEventQueue_QueueEvent(session->event_queue, event);
    IMFMediaEvent_Release(event);
}

void session_queue_topology_status(struct session *session, struct topology *topology, MF_TOPOSTATUS status)
{
    IMFAttributes *attributes;
    if (FAILED(MFCreateAttributes(&attributes, 1))) return;
    IMFAttributes_SetUINT32(attributes, &MF_EVENT_TOPOLOGY_STATUS, status);
    session_queue_event_unk(session, MESessionTopologyStatus, S_OK, (IUnknown *)topology->object, attributes);
    IMFAttributes_Release(attributes);
}

void session_complete(struct session *session, struct command *command, HRESULT status)
{
    IMFAttributes *attributes = NULL;
    PROPVARIANT value;

    PropVariantInit(&value);
    TRACE('e', "command", command_name(command->type), session, "commands", command->seq,
            "\"status\":\"0x%08lx\"", (unsigned long)status);
    switch (command->type)
    {
    case CMD_SET_TOPOLOGY:
        session_queue_event_unk(session, MESessionTopologySet, status,
                SUCCEEDED(status) ? (IUnknown *)command->topology : NULL, NULL);
        break;
    case CMD_CLEAR_TOPOLOGIES:
        session_queue_event(session, MESessionTopologiesCleared, status, NULL);
        break;
    case CMD_START:
        if (SUCCEEDED(MFCreateAttributes(&attributes, 1)))
        {
            /* Presentation time minus the source's time stamps for the topology
             * in play: a resume in a later playlist entry says its place on the
             * timeline; a seek restarted the timeline there (sequencer.c): 0. */
            IMFAttributes_SetUINT64(attributes, &MF_EVENT_PRESENTATION_TIME_OFFSET,
                    session->current ? (UINT64)session->current->offset : 0);
            session_queue_event_unk(session, MESessionStarted, status, NULL, attributes);
            IMFAttributes_Release(attributes);
        }
        break;
    case CMD_PAUSE:
        session_queue_event(session, MESessionPaused, status, NULL);
        break;
    case CMD_STOP:
        session_queue_event(session, MESessionStopped, status, NULL);
        break;
    case CMD_CLOSE:
        session_queue_event(session, MESessionClosed, status, NULL);
        session->closed_sent = TRUE;
        if (TRACE_ON()) trace_flush();
        break;
    case CMD_SWITCH:
        /* The queued topology could not take over (a source would not start
         * or be followed): the application hears it rather than a silence. */
        if (FAILED(status)) session_queue_event(session, MEError, status, NULL);
        break;
    case CMD_RECOVER:
        /* A component failed while the clock restarted: as it would have
         * outside any command. */
        if (FAILED(status)) session_queue_event(session, MEError, status, NULL);
        break;
    case CMD_SET_RATE:
        /* The rate now in force; nothing on failure (observed). */
        if (SUCCEEDED(status))
        {
            value.vt = VT_R4;
            value.fltVal = session->rate;
        }
        session_queue_event(session, MESessionRateChanged, status, &value);
        break;
    default:
        break;
    }
    command_free(command);
}

/* Ends the operation in flight with its completion event. */
void op_finish(struct session *session, HRESULT status)
{
    struct command *command = session->op.command;

    if (FAILED(session->op.status) && SUCCEEDED(status)) status = session->op.status;
    /* A Start that failed because a component was shut down underneath it
     * (the session itself was not): MF_E_INVALIDREQUEST, as Windows says. */
    if (command && command->type == CMD_START && status == MF_E_SHUTDOWN) status = MF_E_INVALIDREQUEST;
    memset(&session->op, 0, sizeof(session->op));
    if (command && command->type == CMD_START && session->scrub_done_early)
    {
        /* Scrubbed before the Start completed: MESessionScrubSampleComplete follows MESessionStarted. */
        session->scrub_done_early = FALSE;
        session_complete(session, command, status);
        session_queue_event(session, MESessionScrubSampleComplete, S_OK, NULL);
        session_check_end(session);
        return;
    }
    if (command && command->type == CMD_SET_TOPOLOGY && FAILED(status) && session->pending_topology)
    {
        /* The topology that was to replace the running one never will. */
        topology_forget(session, session->pending_topology);
        topology_destroy(session, session->pending_topology);
        session->pending_topology = NULL;
    }
    if (command) session_complete(session, command, status);
    /* The end may have come while the command ran: check now it is done. */
    session_check_end(session);
}

/* ---- capabilities ---- */

void session_update_caps(struct session *session)
{
    DWORD caps = session->current ? topology_caps(session->current) : 0, old, delta;
    IMFAttributes *attributes;

    EnterCriticalSection(&session->lock);
    old = session->caps;
    session->caps = caps;
    LeaveCriticalSection(&session->lock);
    if (!(delta = old ^ caps)) return;
    if (FAILED(MFCreateAttributes(&attributes, 2))) return;
    IMFAttributes_SetUINT32(attributes, &MF_EVENT_SESSIONCAPS, caps);
    IMFAttributes_SetUINT32(attributes, &MF_EVENT_SESSIONCAPS_DELTA, delta);
    session_queue_event_unk(session, MESessionCapabilitiesChanged, S_OK, NULL, attributes);
    IMFAttributes_Release(attributes);
}

void session_set_current_topology(struct session *session, struct topology *topology)
{
    IMFTopology *old, *full = topology ? topology->object : NULL;

    session->current = topology;
    EnterCriticalSection(&session->lock);
    old = session->current_full;
    if ((session->current_full = full)) IMFTopology_AddRef(full);
    session->current_full_id = topology ? topology->id : 0;
    LeaveCriticalSection(&session->lock);
    if (old) IMFTopology_Release(old);
}

/* A topology becomes current: streaming begins, the client hears READY. */
HRESULT session_make_current(struct session *session, struct topology *topology)
{
    IMFAttributes *attributes;
    HRESULT hr;

    if (FAILED(hr = topology_make_current(session, topology))) return hr;
    session_set_current_topology(session, topology);
    session_set_state(session, STATE_STOPPED);

    if (SUCCEEDED(MFCreateAttributes(&attributes, 3)))
    {
        IMFAttributes_SetUINT64(attributes, &MF_EVENT_START_PRESENTATION_TIME, 0);
        IMFAttributes_SetUINT64(attributes, &MF_EVENT_PRESENTATION_TIME_OFFSET, 0);
        IMFAttributes_SetUINT64(attributes, &MF_EVENT_START_PRESENTATION_TIME_AT_OUTPUT, 0);
        session_queue_event_unk(session, MESessionNotifyPresentationTime, S_OK, NULL, attributes);
        IMFAttributes_Release(attributes);
    }
    rate_snapshot(session);
    session_update_caps(session);
    session_queue_topology_status(session, topology, MF_TOPOSTATUS_READY);
    if (session->quality_manager)
    {
        IMFQualityManager_NotifyTopology(session->quality_manager, topology->object);
        IMFQualityManager_NotifyPresentationClock(session->quality_manager, session->clock);
    }
    return S_OK;
}

/* Drops the current topology (stopped already).  Its sinks that `next` shares
 * stay as they are; the others let go of the clock (shut down at Shutdown). */
void session_drop_current(struct session *session, struct topology *next)
{
    struct topology *topology = session->current;
    if (!topology) return;
    session_set_current_topology(session, NULL);
    topology_forget(session, topology);
    retire_sinks(session, topology, next);
    topology_destroy(session, topology);
    session_set_state(session, STATE_EMPTY);
    rate_snapshot(session);
    session_update_caps(session);
}

void session_clear_queue(struct session *session)
{
    struct topology *t;
    while ((t = session->queue_head))
    {
        session->queue_head = t->next;
        topology_forget(session, t);
        topology_destroy(session, t);
    }
}

/* ---- commands ---- */

BOOL sources_running(struct topology *topology)
{
    unsigned i;
    for (i = 0; topology && i < topology->source_count; ++i)
        if (topology->sources[i].started) return TRUE;
    return FALSE;
}

static void op_begin(struct session *session, struct command *command)
{
    session->op.command = command;
    session->op.status = S_OK;
    session->op.closing = command->type == CMD_CLOSE;
}

static void cmd_set_topology(struct session *session, struct command *command)
{
    struct topology *topology = NULL;
    HRESULT hr;

    if (command->flags & MFSESSION_SETTOPOLOGY_CLEAR_CURRENT)
    {
        if (command->topology && session->current && command->topology != session->current->object
                && command->topology != session->current->input)
        {
            session_complete(session, command, S_OK);
            return;
        }
        if (session->current && (session->state == STATE_STARTED || session->state == STATE_PAUSED))
        {
            /* Stop it first, then clear: run as a stop operation that clears on completion. */
        }
        else
        {
            if ((topology = session->queue_head)) session->queue_head = topology->next;
            session_drop_current(session, topology);
            session_complete(session, command, S_OK);
            if (topology && FAILED(hr = session_make_current(session, topology)))
            {
                topology_forget(session, topology);
                topology_destroy(session, topology);
                session_queue_event(session, MEError, hr, NULL);
            }
            return;
        }
    }
    else
    {
        if (FAILED(hr = topology_prepare(session, command->topology, command->flags, &topology)))
        {
            session_complete(session, command, hr);
            return;
        }
        /* The event carries the full topology. */
        IMFTopology_Release(command->topology);
        command->topology = topology->object;
        IMFTopology_AddRef(command->topology);
        topology_remember(session, topology);

        if (session->current && !(command->flags & MFSESSION_SETTOPOLOGY_IMMEDIATE))
        {
            /* Queued behind the current one: plays when it ends (a playlist). */
            struct topology **tail = &session->queue_head;
            while (*tail) tail = &(*tail)->next;
            *tail = topology;
            session_complete(session, command, S_OK);
            /* A sequencer source's segment may have ended already, waiting for this one. */
            session_check_end(session);
            return;
        }
        if (command->flags & MFSESSION_SETTOPOLOGY_IMMEDIATE) session_clear_queue(session);
        if (session->current && sources_running(session->current))
        {
            session->pending_topology = topology;
        }
        else
        {
            session_drop_current(session, topology);
            session_complete(session, command, S_OK);
            if (FAILED(hr = session_make_current(session, topology)))
            {
                topology_forget(session, topology);
                topology_destroy(session, topology);
                session_queue_event(session, MEError, hr, NULL);
            }
            return;
        }
    }
    /* Stop the running presentation first (see op_advance: STEP_SOURCES_STOPPING). */
    op_begin(session, command);
    session->op.step = STEP_SOURCES_STOPPING;
    op_advance(session);
}

static void cmd_clear_topologies(struct session *session, struct command *command)
{
    session_clear_queue(session);
    session_complete(session, command, S_OK);
}

static void cmd_start(struct session *session, struct command *command)
{
    struct topology *topology = session->current;
    const PROPVARIANT *pos = &command->position;
    /* A segment offset or a playlist entry: the sequencer source reads it (sequencer.c). */
    BOOL segment = sequencer_time_format(&command->time_format);
    HRESULT hr;

    if (FAILED(hr = sequencer_check_start(&command->time_format, pos)))
    {
        session_complete(session, command, hr);
        return;
    }
    if (!segment && pos->vt != VT_EMPTY && pos->vt != VT_I8)
    {
        session_complete(session, command, MF_E_INVALIDTYPE);
        return;
    }
    /* A negative position goes to the source, whose answer decides (observed). */
    if (!segment && pos->vt == VT_I8 && topology->duration && pos->hVal.QuadPart > topology->duration)
    {
        session_complete(session, command, MF_E_INVALID_POSITION);
        return;
    }
    if (session->state == STATE_STARTED && pos->vt == VT_EMPTY)
    {
        session_complete(session, command, S_OK);
        return;
    }
    op_begin(session, command);
    /* For a segment offset, where the source says it started (sequencer_on_source_started). */
    session->op.position = !segment && pos->vt == VT_I8 ? pos->hVal.QuadPart : 0;
    if (session->state == STATE_STOPPED)
    {
        if (sources_running(topology))
        {
            /* After the end of a presentation the sources still run: stop them first. */
            session->op.step = STEP_SEEK_STOPPING;
            session->op.seeking = FALSE;
        }
        else
            session->op.step = STEP_SOURCES_STARTING;
    }
    else if (pos->vt == VT_I8 || segment)
    {
        session->op.seeking = TRUE;
        session->op.step = STEP_SEEK_STOPPING;
    }
    else
    {
        session->op.resuming = TRUE;
        session->op.step = STEP_SOURCES_STARTING;
    }
    op_advance(session);
}

static void cmd_pause(struct session *session, struct command *command)
{
    if (session->state == STATE_PAUSED)
    {
        session_complete(session, command, S_OK);
        return;
    }
    op_begin(session, command);
    session->op.step = STEP_SOURCES_PAUSING;
    op_advance(session);
}

static void cmd_stop(struct session *session, struct command *command)
{
    if (session->state == STATE_STOPPED && !sources_running(session->current))
    {
        session_complete(session, command, S_OK);
        return;
    }
    op_begin(session, command);
    session->op.step = STEP_SOURCES_STOPPING;
    op_advance(session);
}

static void cmd_close(struct session *session, struct command *command)
{
    /* Commands queued after Close are answered, not cancelled. */
    session->cancel_until_close = FALSE;
    op_begin(session, command);
    session_clear_queue(session);
    session->op.step = sources_running(session->current) ? STEP_SOURCES_STOPPING : STEP_FINALIZING;
    op_advance(session);
}

static void cmd_set_rate(struct session *session, struct command *command)
{
    HRESULT hr = session_apply_rate(session, command->thin, command->rate);
    session_complete(session, command, hr);
}

/* The state table: state x command -> handler, or the error its completion event carries. */
typedef void (*command_fn)(struct session *, struct command *);
struct transition { command_fn run; HRESULT error; };

static const struct transition state_table[STATE_COUNT][CMD_COUNT] =
{
    [STATE_EMPTY] = {
        [CMD_SET_TOPOLOGY] = { cmd_set_topology },
        [CMD_CLEAR_TOPOLOGIES] = { cmd_clear_topologies },
        [CMD_START] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_PAUSE] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_STOP] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_CLOSE] = { cmd_close },
        [CMD_SET_RATE] = { cmd_set_rate },
    },
    [STATE_STOPPED] = {
        [CMD_SET_TOPOLOGY] = { cmd_set_topology },
        [CMD_CLEAR_TOPOLOGIES] = { cmd_clear_topologies },
        [CMD_START] = { cmd_start },
        [CMD_PAUSE] = { NULL, MF_E_SESSION_PAUSEWHILESTOPPED },
        [CMD_STOP] = { cmd_stop },
        [CMD_CLOSE] = { cmd_close },
        [CMD_SET_RATE] = { cmd_set_rate },
    },
    [STATE_STARTED] = {
        [CMD_SET_TOPOLOGY] = { cmd_set_topology },
        [CMD_CLEAR_TOPOLOGIES] = { cmd_clear_topologies },
        [CMD_START] = { cmd_start },
        [CMD_PAUSE] = { cmd_pause },
        [CMD_STOP] = { cmd_stop },
        [CMD_CLOSE] = { cmd_close },
        [CMD_SET_RATE] = { cmd_set_rate },
    },
    [STATE_PAUSED] = {
        [CMD_SET_TOPOLOGY] = { cmd_set_topology },
        [CMD_CLEAR_TOPOLOGIES] = { cmd_clear_topologies },
        [CMD_START] = { cmd_start },
        [CMD_PAUSE] = { cmd_pause },
        [CMD_STOP] = { cmd_stop },
        [CMD_CLOSE] = { cmd_close },
        [CMD_SET_RATE] = { cmd_set_rate },
    },
    [STATE_CLOSED] = {
        [CMD_SET_TOPOLOGY] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_CLEAR_TOPOLOGIES] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_START] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_PAUSE] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_STOP] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_CLOSE] = { NULL, MF_E_INVALIDREQUEST },
        [CMD_SET_RATE] = { NULL, MF_E_INVALIDREQUEST },
    },
};

void session_run_command(struct session *session, struct command *command)
{
    const struct transition *t = &state_table[session->state][command->type];
    TRACE('b', "command", command_name(command->type), session, "commands", command->seq, NULL);
    /* A new command decides what plays; a topology queued for later (a
     * playlist's next segment, right after a skip) does not. */
    if (command->type != CMD_SET_TOPOLOGY || (command->flags & (MFSESSION_SETTOPOLOGY_IMMEDIATE
            | MFSESSION_SETTOPOLOGY_CLEAR_CURRENT)))
        session->seek_watch_deadline = 0;
    if (t->run) t->run(session, command);
    else if (session->state == STATE_CLOSED)
    {
        /* The only events after MESessionClosed: completions of calls made
         * after Close (see session_post_command). */
        session->completing_after_close = TRUE;
        session_complete(session, command, t->error);
        session->completing_after_close = FALSE;
    }
    else session_complete(session, command, t->error);
}


/* A SetTopology that had to stop the running presentation first. */
void session_finish_topology_switch(struct session *session)
{
    struct command *command = session->op.command;
    struct topology *next = session->pending_topology;

    session->op.command = NULL;
    session->pending_topology = NULL;
    op_finish(session, S_OK);
    if (!next && (command->flags & MFSESSION_SETTOPOLOGY_CLEAR_CURRENT) && session->queue_head)
    {
        next = session->queue_head;
        session->queue_head = next->next;
    }
    session_drop_current(session, next);
    session_complete(session, command, S_OK);
    if (next && FAILED(session_make_current(session, next)))
    {
        topology_forget(session, next);
        topology_destroy(session, next);
    }
}

/* The presentation reached its end: every sink answered its end-of-segment
 * marker and every source sent MEEndOfPresentation. */
void session_check_end(struct session *session)
{
    struct topology *topology = session->current;

    if (!topology) return;
    if (session->op.command) return; /* op_finish checks again */
    if (session->state != STATE_STARTED) return;
    if (!pipeline_ended(topology) && !sequencer_segment_over(topology)) return;
    if (session->queue_head)
    {
        /* A playlist: the next topology takes over without stopping the clock. */
        session_begin_switch(session);
        return;
    }
    /* A sequencer source's segment ended and more follow: the application
     * queues the next on MENewPresentation; the presentation waits for it. */
    if (sequencer_waits_for_next(topology)) return;
    session_queue_topology_status(session, topology, MF_TOPOSTATUS_ENDED);
    TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
    pipeline_forget_sink_requests(topology);
    session_set_state(session, STATE_STOPPED);
    session_queue_event(session, MESessionEnded, S_OK, NULL);
}

static const char *state_name(enum session_state state)
{
    static const char *names[STATE_COUNT] = {"empty", "stopped", "started", "paused", "closed"};
    return state < STATE_COUNT ? names[state] : "?";
}

void session_set_state(struct session *session, enum session_state state)
{
    if (session->state != state)
        TRACE('i', "state", "state", session, "state", 0, "\"from\":\"%s\",\"to\":\"%s\"",
                state_name(session->state), state_name(state));
    session->state = state;
}

const char *command_name(enum command_type type)
{
    static const char *names[CMD_COUNT] = {"SetTopology", "ClearTopologies", "Start", "Pause", "Stop", "Close", "SetRate",
            "Switch", "Recover"};
    return type < CMD_COUNT ? names[type] : "?";
}

const char *media_event_name(MediaEventType type)
{
    switch (type)
    {
#define X(e) case e: return #e;
    X(MEError) X(MESessionTopologySet) X(MESessionTopologiesCleared) X(MESessionStarted) X(MESessionPaused)
    X(MESessionStopped) X(MESessionClosed) X(MESessionEnded) X(MESessionRateChanged) X(MESessionScrubSampleComplete)
    X(MESessionCapabilitiesChanged) X(MESessionTopologyStatus) X(MESessionNotifyPresentationTime)
    X(MEEndOfPresentation) X(MESessionStreamSinkFormatChanged) X(MENewPresentation) X(MESinkInvalidated)
    X(MEBufferingStarted) X(MEBufferingStopped)
#undef X
    default: return "MEOther";
    }
}
