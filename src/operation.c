/*
 * operation.c: the command in flight (a short sequence of steps, each waiting
 * for a set of acknowledgements), the component events that answer them, and
 * the timers that bound the waits.  The serializer loop that feeds it and the
 * teardown that Shutdown runs are in serializer.c.
 */
#include "session_internal.h"
#include "async_mft.h"
#include <propvarutil.h>

static BOOL sources_alive_now(struct topology *t);
static void recover_finish(struct session *session);

/* ---- the steps ---- */

static HRESULT start_sources(struct session *session, struct topology *topology, BOOL resume, LONGLONG position)
{
    const struct command *command = session->op.command;
    /* A segment offset or playlist entry goes to the source as given (sequencer.c). */
    BOOL as_given = command && command->type == CMD_START && sequencer_time_format(&command->time_format);
    PROPVARIANT pos;
    unsigned i;
    HRESULT hr;

    topology->flushing = FALSE;
    for (i = 0; i < topology->source_count; ++i)
    {
        struct source *source = &topology->sources[i];
        /* A source we no longer hear from would never answer. */
        if (source->link && FAILED(source->link->failure)) return source->link->failure;
        PropVariantInit(&pos);
        /* A sequencer source going on into its next segment knows where:
         * VT_EMPTY.  A later Start from a position (a seek in that segment)
         * gives the position. */
        if (!as_given && !resume && !(source->continues && command && command->type == CMD_SWITCH))
        {
            unsigned j;
            pos.vt = VT_I8;
            pos.hVal.QuadPart = position;
            /* A fresh start of a trimmed stream begins at its MF_TOPONODE_MEDIASTART. */
            for (j = 0; !position && j < topology->node_count; ++j)
                if (topology->nodes[j].source == source && topology->nodes[j].media_start > 0)
                    pos.hVal.QuadPart = topology->nodes[j].media_start;
        }
        if (FAILED(hr = TRACED_CALL(session, "source.Start", IMFMediaSource_Start(source->object, source->pd,
                as_given ? &command->time_format : &GUID_NULL, as_given ? &command->position : &pos))))
            /* A source shut down underneath the session: the request is
             * invalid now (observed in test_media_session_source_shutdown). */
            return hr == MF_E_SHUTDOWN ? MF_E_INVALIDREQUEST : hr;
        session->op.acks++;
    }
    return S_OK;
}

static HRESULT stop_sources(struct session *session, struct topology *topology)
{
    HRESULT hr, first = S_OK;
    unsigned i;

    topology->flushing = TRUE;
    for (i = 0; i < topology->source_count; ++i)
    {
        struct source *source = &topology->sources[i];
        if (!source->started) continue;
        if (FAILED(hr = TRACED_CALL(session, "source.Stop", IMFMediaSource_Stop(source->object)))
                || (source->link && FAILED(source->link->failure)))
        {
            /* A source that cannot stop (shut down behind our back) counts as stopped. */
            source->started = FALSE;
            if (SUCCEEDED(first)) first = hr;
            continue;
        }
        session->op.acks++;
    }
    return first;
}

static HRESULT pause_sources(struct session *session, struct topology *topology)
{
    unsigned i;
    HRESULT hr;

    for (i = 0; i < topology->source_count; ++i)
    {
        struct event_link *link = topology->sources[i].link;
        if (link && FAILED(link->failure)) return link->failure;
        if (FAILED(hr = TRACED_CALL(session, "source.Pause", IMFMediaSource_Pause(topology->sources[i].object))))
            return hr;
        session->op.acks++;
    }
    return S_OK;
}

static unsigned count_stream_sinks(struct topology *topology)
{
    unsigned i, n = 0;
    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        if (node->kind != PNODE_SINK || node->clock_refused) continue;
        /* A stream sink we no longer hear from cannot acknowledge. */
        if (node->sink_link && FAILED(node->sink_link->failure)) continue;
        ++n;
    }
    return n;
}

static HRESULT preroll_sinks(struct session *session, struct topology *topology, LONGLONG position)
{
    unsigned i, j;

    for (i = 0; i < topology->sink_count; ++i)
    {
        IMFMediaSinkPreroll *preroll;
        struct media_sink *sink = &topology->sinks[i];
        if (!(sink->characteristics & MEDIASINK_CAN_PREROLL)) continue;
        if (FAILED(IMFMediaSink_QueryInterface(sink->object, &IID_IMFMediaSinkPreroll, (void **)&preroll))) continue;
        for (j = 0; j < topology->node_count; ++j)
        {
            struct pnode *node = &topology->nodes[j];
            if (node->kind == PNODE_SINK && node->media_sink == sink->object)
            {
                node->prerolled = TRUE; /* marks "preroll expected" until the sink answers */
                session->op.acks++;
            }
        }
        if (FAILED(TRACED_CALL(session, "sink.NotifyPreroll", IMFMediaSinkPreroll_NotifyPreroll(preroll, position))))
        {
            for (j = 0; j < topology->node_count; ++j)
                if (topology->nodes[j].kind == PNODE_SINK && topology->nodes[j].media_sink == sink->object
                        && topology->nodes[j].prerolled)
                {
                    topology->nodes[j].prerolled = FALSE;
                    session->op.acks--;
                }
        }
        IMFMediaSinkPreroll_Release(preroll);
    }
    return S_OK;
}

static void flush_stream_sinks(struct session *session, struct topology *topology)
{
    unsigned i;
    for (i = 0; i < topology->node_count; ++i)
        if (topology->nodes[i].kind == PNODE_SINK)
            TRACED_CALL(session, "sink.Flush", IMFStreamSink_Flush(topology->nodes[i].stream_sink));
}

static HRESULT finalize_sinks(struct session *session, struct topology *topology)
{
    unsigned i;

    for (i = 0; topology && i < topology->sink_count; ++i)
    {
        IMFFinalizableMediaSink *finalizable;
        struct media_sink *sink = &topology->sinks[i];
        if (FAILED(IMFMediaSink_QueryInterface(sink->object, &IID_IMFFinalizableMediaSink, (void **)&finalizable)))
            continue;
        if (SUCCEEDED(TRACED_CALL(session, "sink.BeginFinalize", IMFFinalizableMediaSink_BeginFinalize(finalizable,
                &session->finalize_callback, (IUnknown *)finalizable))))
            session->op.acks++;
        IMFFinalizableMediaSink_Release(finalizable);
    }
    return S_OK;
}

/* Every wait for components is bounded: CLOSE_GRACE_MS once Close is
 * pending, the source or sink bound otherwise.  The deadline is checked by a
 * short tick, re-armed only while a step waits, so no long timer outlives
 * the session's work (a pending tick holds the weak timer link, never the
 * session). */
void schedule_tick(struct session *session)
{
    MFWORKITEM_KEY key;
    if (session->tick_pending || !session->timer_link) return;
    if (SUCCEEDED(MFScheduleWorkItem(&session->timer_link->IMFAsyncCallback_iface, NULL, -(INT64)TIMER_TICK_MS, &key)))
        session->tick_pending = TRUE;
}

void arm_timer(struct session *session)
{
    BOOL closing = session->op.closing || session->close_requested;
    enum op_step step = session->op.step;
    BOOL source_step = step == STEP_SOURCES_STARTING || step == STEP_SOURCES_PAUSING
            || step == STEP_SOURCES_STOPPING || step == STEP_SEEK_STOPPING;
    ULONGLONG bound = closing ? CLOSE_GRACE_MS : source_step ? SOURCE_ACK_TIMEOUT_MS : ACK_TIMEOUT_MS;

    /* Hearing the clock stop is a settling wait, not a condition: short. */
    if (step == STEP_CLOCK_STOPPING && bound > CLOCK_STOP_SETTLE_MS) bound = CLOCK_STOP_SETTLE_MS;
    /* Preroll is an optimization: a sink that does not finish it starts anyway. */
    if (step == STEP_PREROLLING && bound > PREROLL_WAIT_MS) bound = PREROLL_WAIT_MS;

    if (!session->op.timer_armed || (closing && !session->op.timer_short))
    {
        ULONGLONG deadline = GetTickCount64() + bound;
        if (!session->op.timer_armed || deadline < session->op.deadline) session->op.deadline = deadline;
        session->op.timer_armed = TRUE;
        session->op.timer_short = closing;
    }
    schedule_tick(session);
}

/* A new step: its own deadline.  A tick scheduled for an earlier step finds
 * the new deadline (ticks hold only the weak timer link, never the session). */
static void next_step(struct session *session, enum op_step step)
{
    session->op.step = step;
    session->op.acks = 0;
    session->op.timer_armed = FALSE;
}

/* The stream sinks still followed will say MEStreamSinkStopped: the step
 * waits for them (Wine's clock tells its sinks asynchronously, each on a
 * work item of the standard queue, so a start issued at once could reach a
 * sink before the stop does and leave it stopped). */
static void expect_sink_stop(struct session *session, struct topology *topology)
{
    unsigned k;
    for (k = 0; k < topology->node_count; ++k)
    {
        struct pnode *node = &topology->nodes[k];
        if (node->kind != PNODE_SINK || (node->sink_link && FAILED(node->sink_link->failure))) continue;
        node->start_expected = FALSE;
        node->stop_expected = TRUE;
        session->op.acks++;
    }
}

/* Has every stream sink asked for something since the seek: a request
 * outstanding, or a sample given to it since? */
static BOOL sinks_keep_asking(struct topology *topology)
{
    unsigned i;
    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        if (node->kind != PNODE_SINK || !node->inputs[0] || node->sink_ended) continue;
        if (node->sink_link && FAILED(node->sink_link->failure)) continue;
        if (node->inputs[0]->requests <= 0 && node->samples_in == node->samples_at_seek) return FALSE;
    }
    return TRUE;
}

static void sinks_mark_seek(struct topology *topology)
{
    unsigned i;
    for (i = 0; i < topology->node_count; ++i) topology->nodes[i].samples_at_seek = topology->nodes[i].samples_in;
}

static BOOL clock_running(struct session *session)
{
    MFCLOCK_STATE state = MFCLOCK_STATE_INVALID;
    IMFPresentationClock_GetState(session->clock, 0, &state);
    return state == MFCLOCK_STATE_RUNNING || state == MFCLOCK_STATE_PAUSED;
}

/* Runs steps until one has to wait for acknowledgements, or the command ends. */
void op_advance(struct session *session)
{
    struct topology *topology = session->current;
    struct command *command;
    HRESULT hr;

    while ((command = session->op.command))
    {
        if (session->op.acks)
        {
            arm_timer(session);
            return;
        }
        if (command->type == CMD_RECOVER)
        {
            /* Its one step (the clock stopping) is over, or a component failed. */
            recover_finish(session);
            return;
        }
        if (FAILED(session->op.status) && !session->op.closing)
        {
            if (command->type == CMD_START && session->op.seeking && topology && !sources_alive_now(topology))
            {
                /* A seek whose source was shut down underneath it completes
                 * with S_OK on Windows (test_media_session_source_shutdown). */
                session->op.status = S_OK;
                op_finish(session, S_OK);
                return;
            }
            if (command->type == CMD_START && session->op.seeking && session->op.stop_issued)
            {
                /* A seek whose sources stopped but would not start again at
                 * the position: the presentation is stopped now. */
                TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
                pipeline_flush(session, topology, FALSE);
                flush_stream_sinks(session, topology);
                session_set_state(session, STATE_STOPPED);
            }
            op_finish(session, session->op.status);
            return;
        }
        switch (session->op.step)
        {
        case STEP_SEEK_STOPPING:
            /* Seek, or a restart after the end: the sources stop first. */
            if (!session->op.stop_issued)
            {
                session->op.stop_issued = TRUE;
                stop_sources(session, topology);
                continue;
            }
            /* A seek restarts the running (or paused) clock at the position
             * with no stop in between: the sinks hear only OnClockStart
             * (observed on Windows) and keep the requests they made.  A
             * restart after the end finds the clock stopped already; a clock
             * still running then is stopped, and the sinks must hear it
             * before anything restarts (the clock tells them asynchronously). */
            next_step(session, STEP_CLOCK_STOPPING);
            if (!session->op.seeking && clock_running(session))
            {
                expect_sink_stop(session, topology);
                TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
            }
            break;

        case STEP_CLOCK_STOPPING:
            if (session->op.restart_pending)
            {
                /* A seek's restart: the sinks heard the stop (the EVR dropped
                 * the frames it queued from the position), so the seek runs
                 * once more from the sources, now as a start from stopped,
                 * which every sink confirms and asks afresh for.  Without
                 * the second seek the sources would go on from where the
                 * dropped frames ended (measured under Wine 10: the picture
                 * after the seek stayed on a frame 2.6 s later). */
                session->op.restart_pending = FALSE;
                session->op.stop_issued = FALSE;
                session->op.start_issued = FALSE;
                pipeline_forget_sink_requests(topology);
                next_step(session, STEP_SEEK_STOPPING);
                continue;
            }
            /* Sinks that heard the clock stop ask afresh when it starts. */
            pipeline_flush(session, topology, session->op.seeking);
            next_step(session, STEP_SOURCES_STARTING);
            session->op.flush_sinks = TRUE;
            break;

        case STEP_SOURCES_STARTING:
            if (!session->op.start_issued)
            {
                session->op.start_issued = TRUE;
                if (FAILED(hr = presentation_attach_sources(session, topology)))
                {
                    /* A source shut down underneath the Start (observed: MF_E_INVALIDREQUEST). */
                    session->op.status = hr == MF_E_SHUTDOWN ? MF_E_INVALIDREQUEST : hr;
                    continue;
                }
                if (!session->op.resuming)
                {
                    pipeline_reset(session, topology);
                    pipeline_notify_transforms(topology, MFT_MESSAGE_NOTIFY_START_OF_STREAM);
                }
                if (FAILED(hr = start_sources(session, topology, session->op.resuming, session->op.position)))
                {
                    session->op.status = hr;
                    if (!session->op.acks) continue;
                }
                continue;
            }
            if (!topology->started_source_sent)
            {
                topology->started_source_sent = TRUE;
                session_queue_topology_status(session, topology, MF_TOPOSTATUS_STARTED_SOURCE);
            }
            /* The sources run: now the sinks are followed and get the clock. */
            if (FAILED(hr = presentation_attach_sinks(session, topology)))
            {
                session->op.status = hr;
                continue;
            }
            if (command->type == CMD_SWITCH)
            {
                session_complete_switch(session);
                return;
            }
            if (session->op.flush_sinks) flush_stream_sinks(session, topology);
            next_step(session, STEP_PREROLLING);
            if (!session->op.resuming && session->rate != 0.0f)
                preroll_sinks(session, topology, session->op.position);
            pipeline_kick(session, topology);
            break;

        case STEP_PREROLLING:
            next_step(session, STEP_SINKS_STARTING);
            session->op.acks = count_stream_sinks(topology);
            pipeline_expect_sink_start(topology);
            {
                unsigned k;
                for (k = 0; k < topology->node_count; ++k)
                    if (topology->nodes[k].sink_link && FAILED(topology->nodes[k].sink_link->failure))
                        session->op.status = topology->nodes[k].sink_link->failure;
            }
            if (session->rate == 0.0f && !session->op.resuming)
            {
                /* Scrubbing: each stream sink renders one frame, then says so. */
                unsigned k;
                session->scrubs_pending = 0;
                for (k = 0; k < topology->node_count; ++k)
                    if (topology->nodes[k].kind == PNODE_SINK)
                    {
                        topology->nodes[k].scrub_expected = TRUE;
                        topology->nodes[k].scrub_said = FALSE;
                        topology->nodes[k].samples_at_seek = topology->nodes[k].samples_in;
                        session->scrubs_pending++;
                    }
            }
            if (FAILED(hr = TRACED_CALL(session, "clock.Start", IMFPresentationClock_Start(session->clock,
                    session->op.resuming ? PRESENTATION_CURRENT_POSITION : session->op.position))))
            {
                session->op.status = hr;
                session->op.acks = 0;
            }
            break;

        case STEP_SINKS_STARTING:
            /* A source shut down underneath a Start from stopped: MF_E_INVALIDREQUEST (observed). */
            if (!session->op.seeking && !session->op.resuming && !sources_alive_now(topology))
            {
                TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
                session->op.status = MF_E_INVALIDREQUEST;
                continue;
            }
            session_set_state(session, STATE_STARTED);
            if (session->op.seeking) sinks_mark_seek(topology);
            pipeline_kick(session, topology);
            if (session->op.seeking)
            {
                /* Watch the sinks that asked for nothing after the seek (see seek_recover). */
                session->seek_watch_deadline = GetTickCount64() + SEEK_STALL_MS;
                schedule_tick(session);
            }
            op_finish(session, S_OK); /* may end the presentation or switch topologies */
            return;

        case STEP_SOURCES_PAUSING:
            if (!session->op.pause_issued)
            {
                session->op.pause_issued = TRUE;
                if (FAILED(hr = pause_sources(session, topology))) session->op.status = hr;
                continue;
            }
            TRACED_CALL(session, "clock.Pause", IMFPresentationClock_Pause(session->clock));
            session_set_state(session, STATE_PAUSED);
            op_finish(session, S_OK);
            return;

        case STEP_SOURCES_STOPPING:
            if (!session->op.stop_issued)
            {
                session->op.stop_issued = TRUE;
                /* Close reports a source shut down underneath it (observed:
                 * MESessionClosed with MF_E_SHUTDOWN) and goes on. */
                if (topology && FAILED(hr = stop_sources(session, topology)) && session->op.closing
                        && SUCCEEDED(session->op.status))
                    session->op.status = hr;
                continue;
            }
            TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
            if (topology)
            {
                pipeline_flush(session, topology, FALSE);
                flush_stream_sinks(session, topology);
                session_set_state(session, STATE_STOPPED);
            }
            if (command->type == CMD_CLOSE)
            {
                next_step(session, STEP_FINALIZING);
                break;
            }
            if (command->type == CMD_SET_TOPOLOGY)
            {
                session_finish_topology_switch(session);
                return;
            }
            op_finish(session, S_OK);
            return;

        case STEP_FINALIZING:
            if (!session->op.finalize_issued)
            {
                session->op.finalize_issued = TRUE;
                /* A clock that never had a time source never ran: nothing to stop. */
                if (session->clock_has_source)
                    TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
                finalize_sinks(session, topology);
                continue;
            }
            /* A source the client shut down underneath Close (observed:
             * MESessionClosed with MF_E_SHUTDOWN). */
            if (SUCCEEDED(session->op.status) && topology && !sources_alive_now(topology))
                session->op.status = MF_E_SHUTDOWN;
            session_set_state(session, STATE_CLOSED);
            op_finish(session, S_OK);
            return;

        default:
            op_finish(session, E_UNEXPECTED);
            return;
        }
    }
}

void session_on_ack(struct session *session, enum op_step step, HRESULT status)
{
    if (!session->op.command || session->op.step != step) return;
    if (FAILED(status) && SUCCEEDED(session->op.status)) session->op.status = status;
    if (session->op.acks && !--session->op.acks) op_advance(session);
}

void session_on_pipeline_error(struct session *session, HRESULT hr)
{
    if (session->state == STATE_CLOSED) return;
    if (session->op.closing)
    {
        /* Close goes on regardless; its event carries the first failure. */
        if (SUCCEEDED(session->op.status)) session->op.status = hr;
        return;
    }
    if (session->op.command)
    {
        /* A Start whose source was shut down underneath it: MF_E_INVALIDREQUEST (observed). */
        if (hr == MF_E_SHUTDOWN && session->op.command->type == CMD_START) hr = MF_E_INVALIDREQUEST;
        if (SUCCEEDED(session->op.status)) session->op.status = hr;
        session->op.acks = 0;
        op_advance(session);
        return;
    }
    session_queue_event(session, MEError, hr, NULL);
}

/* ---- component events ---- */

static void on_source_event(struct session *session, struct source *source, IMFMediaEvent *event,
        MediaEventType type, HRESULT status)
{
    PROPVARIANT value;

    switch (type)
    {
    case MENewStream:
    case MEUpdatedStream:
        PropVariantInit(&value);
        if (SUCCEEDED(IMFMediaEvent_GetValue(event, &value)) && value.vt == VT_UNKNOWN && value.punkVal)
        {
            IMFMediaStream *stream;
            if (SUCCEEDED(IUnknown_QueryInterface(value.punkVal, &IID_IMFMediaStream, (void **)&stream)))
            {
                pipeline_attach_stream(session, source, stream);
                IMFMediaStream_Release(stream);
            }
        }
        PropVariantClear(&value);
        break;
    case MESourceStarted:
    case MESourceSeeked:
        if (SUCCEEDED(status)) source->started = TRUE;
        if (SUCCEEDED(status)) sequencer_on_source_started(session, source, event);
        session_on_ack(session, STEP_SOURCES_STARTING, status);
        break;
    case MESourcePaused:
        session_on_ack(session, STEP_SOURCES_PAUSING, status);
        break;
    case MESourceStopped:
        source->started = FALSE;
        session_on_ack(session, session->op.step == STEP_SEEK_STOPPING ? STEP_SEEK_STOPPING : STEP_SOURCES_STOPPING,
                status);
        break;
    case MEEndOfPresentation:
        /* Once per presentation: some sources answer late requests with another one. */
        if (source->ended || source->topology->flushing) break;
        source->ended = TRUE;
        session_forward_event(session, event);
        session_check_end(session);
        break;
    case MEEndOfPresentationSegment:
        if (!source->topology->flushing) sequencer_on_segment_end(session, source, event);
        else session_forward_event(session, event);
        break;
    case MEError:
        session_on_pipeline_error(session, FAILED(status) ? status : E_FAIL);
        break;
    case MEBufferingStarted:
        /* The source is refilling: the clock waits for it. */
        if (session->state == STATE_STARTED) TRACED_CALL(session, "clock.Pause", IMFPresentationClock_Pause(session->clock));
        session_forward_event(session, event);
        break;
    case MEBufferingStopped:
        if (session->state == STATE_STARTED)
            TRACED_CALL(session, "clock.Start", IMFPresentationClock_Start(session->clock, PRESENTATION_CURRENT_POSITION));
        session_forward_event(session, event);
        break;
    case MESourceCharacteristicsChanged:
        IMFMediaSource_GetCharacteristics(source->object, &source->characteristics);
        session_update_caps(session);
        break;
    case MESourceRateChanged:
    case MESourceMetadataChanged:
    case MEStreamThinMode:
        /* The source's answers to the session, not news for the application. */
        break;
    default:
        /* Events for the application (custom ones included) go to the client. */
        session_forward_event(session, event);
        break;
    }
}

static BOOL sources_alive_now(struct topology *t)
{
    DWORD characteristics;
    unsigned i;
    for (i = 0; i < t->source_count; ++i)
        if (IMFMediaSource_GetCharacteristics(t->sources[i].object, &characteristics) == MF_E_SHUTDOWN)
            return FALSE;
    return TRUE;
}

/* A source shut down behind the session's back never answers, and its queue
 * drops our subscription without a word: ask it while a source step waits. */
static BOOL sources_alive(struct session *session)
{
    struct topology *t = session->current;
    enum op_step step = session->op.step;

    if (!t || (step != STEP_SOURCES_STARTING && step != STEP_SOURCES_PAUSING && step != STEP_SOURCES_STOPPING
            && step != STEP_SEEK_STOPPING))
        return TRUE;
    return sources_alive_now(t);
}

/* A seek restarts the clock without stopping it, as Windows does, and the
 * stream sinks keep the requests they made.  A sink that held every sample
 * it asked for loses them in the seek's flush; one that asks again only
 * after rendering (Wine's sample grabber; measured: no sample after a seek)
 * then never asks again.  If a sink still asks for nothing SEEK_STALL_MS
 * after the seek, its clock is restarted where it is: from stopped, sinks
 * ask afresh.  Sinks that ask again after a flush never see this.  The
 * restart is an internal command (CMD_RECOVER, no completion event) that
 * waits until the sinks heard the stop, as a seek's restart does: Wine's
 * clock tells each sink on its own work item, so a start issued at once
 * could overtake the stop.  Commands the client makes meanwhile wait
 * behind it (at most the settling bound). */
static void seek_recover(struct session *session)
{
    struct topology *topology = session->current;
    struct command *command;
    MFTIME time = 0;

    session->seek_watch_deadline = 0;
    if (!topology || session->state != STATE_STARTED || sinks_keep_asking(topology)) return;
    /* Where it is: a clock that cannot say keeps running as it is. */
    if (FAILED(IMFPresentationClock_GetTime(session->clock, &time))) return;
    if (!(command = mfs_calloc(1, sizeof(*command)))) return;
    TRACE('i', "state", "seek-recover", session, "state", 0, "\"time\":%lld", (long long)time);
    command->type = CMD_RECOVER;
    session->op.command = command;
    session->op.status = S_OK;
    session->op.position = time;
    next_step(session, STEP_CLOCK_STOPPING);
    expect_sink_stop(session, topology);
    TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
    op_advance(session);
}

/* The recovery's sinks heard the stop (or the settling bound passed): the
 * clock starts from stopped where it was, and the sinks ask afresh. */
static void recover_finish(struct session *session)
{
    if (session->current) pipeline_forget_sink_requests(session->current);
    TRACED_CALL(session, "clock.Start", IMFPresentationClock_Start(session->clock, session->op.position));
    op_finish(session, session->op.status);
}

/* When a seek's stream sinks have not all confirmed the clock's restart
 * within the bound (Wine's EVR confirms only a start from stopped, and after
 * the flush it waits to be started), the clock is started once more from
 * stopped, at the seek's position: from stopped every sink confirms and asks
 * afresh.  Only then, and once, does a seek stop the clock.  The seek goes on
 * only when the sinks heard the stop (or the short settling bound passed):
 * Wine's clock tells each sink on its own work item of the standard queue,
 * so a start issued at once can reach the EVR before the stop and leave it
 * stopped, the seek then never confirmed (op_advance, STEP_CLOCK_STOPPING). */
static void seek_restart_from_stopped(struct session *session)
{
    TRACE('i', "state", "seek-restart", session, "state", 0, "\"time\":%lld", (long long)session->op.position);
    session->op.seek_restarted = TRUE;
    next_step(session, STEP_CLOCK_STOPPING);
    session->op.restart_pending = TRUE;
    expect_sink_stop(session, session->current);
    TRACED_CALL(session, "clock.Stop", IMFPresentationClock_Stop(session->clock));
    op_advance(session);
}

static void on_timer(struct session *session)
{
    session->tick_pending = FALSE;
    /* Parked links are subscribed when this tick's serializer runs out of work. */
    session->arm_at_tick = TRUE;
    if (session->seek_watch_deadline)
    {
        /* A playlist switch right after the seek (a sequencer's skip) runs as
         * an internal command: the watch outlasts it. */
        if (!session->op.command && GetTickCount64() >= session->seek_watch_deadline) seek_recover(session);
        else schedule_tick(session);
    }
    if (!session->op.command || !session->op.acks || !session->op.timer_armed) return;
    if (!sources_alive(session))
    {
        /* A source shut down underneath a waiting step never answers. */
        if (session->op.closing)
        {
            if (SUCCEEDED(session->op.status)) session->op.status = MF_E_SHUTDOWN;
        }
        else
            session->op.status = session->op.command->type == CMD_START ? MF_E_INVALIDREQUEST : MF_E_SHUTDOWN;
        session->op.acks = 0;
        op_advance(session);
        return;
    }
    if (GetTickCount64() < session->op.deadline)
    {
        schedule_tick(session);
        return;
    }
    if (session->op.step == STEP_SINKS_STARTING && session->op.seeking && !session->op.seek_restarted
            && session->current && !session->op.closing && !session->close_requested)
    {
        seek_restart_from_stopped(session);
        return;
    }
    if (session->op.closing || session->op.step == STEP_CLOCK_STOPPING || session->op.step == STEP_PREROLLING)
    {
        /* A component did not answer in time: treat it as done and go on. */
        session->op.acks = 0;
        op_advance(session);
    }
    else
    {
        /* Close waits behind a stuck command: supersede it.  Without Close, a
         * component that never answers fails the command instead of hanging it. */
        HRESULT hr = session->close_requested ? MF_E_OPERATION_CANCELLED : HRESULT_FROM_WIN32(ERROR_TIMEOUT);
        if (session->close_requested) session->cancel_until_close = TRUE;
        session->op.status = hr;
        session->op.acks = 0;
        op_finish(session, hr);
    }
}

void session_dispatch(struct session *session, struct component_event *item)
{
    struct event_link *link = item->link;
    MediaEventType type;
    HRESULT status;

    if (item->kind == ITEM_TIMER)
    {
        on_timer(session);
        return;
    }
    if (item->kind == ITEM_LINK_FAILED)
    {
        /* Only a link still attached speaks for the pipeline in use.  A
         * component shut down while nothing plays is reported by the next
         * command that needs it (Start fails with MF_E_SHUTDOWN), once. */
        if (link && link->session)
        {
            link->failure = item->status;
            if (item->status != MF_E_SHUTDOWN || session->op.command
                    || (session->state != STATE_STOPPED && session->state != STATE_EMPTY))
                session_on_pipeline_error(session, item->status);
        }
        return;
    }
    if (item->kind == ITEM_REFRESH)
    {
        if (session->current) pipeline_refresh_node_attributes(session->current);
        return;
    }
    if (item->kind == ITEM_FINALIZED)
    {
        session_on_ack(session, STEP_FINALIZING, item->status);
        return;
    }
    if (!link || !item->event || !link->session) return; /* detached: a stale event */
    if (item->unsubscribed) session_list_idle_link(session, link);
    IMFMediaEvent_GetType(item->event, &type);
    IMFMediaEvent_GetStatus(item->event, &status);
    switch (link->kind)
    {
    case LINK_SOURCE:
        on_source_event(session, link->context, item->event, type, status);
        break;
    case LINK_STREAM:
        pipeline_on_stream_event(session, link->context, item->event, type, status);
        break;
    case LINK_STREAM_SINK:
        pipeline_on_sink_event(session, link->context, item->event, type, status);
        break;
    case LINK_TRANSFORM:
        async_mft_on_event(session, link->context, item->event, type, status);
        break;
    case LINK_TIMER:
        break;
    }
}
