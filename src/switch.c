/*
 * switch.c: gapless playlists.  When the current presentation ends and a
 * topology is queued, the queued one becomes current without stopping the
 * clock: its sources start, its samples are placed on the presentation
 * timeline right after the previous ones, sinks shared between the two keep
 * running (with the requests they made), and sinks that are dropped let go of the
 * clock (they are shut down at the session's Shutdown, as on Windows).
 */
#include "session_internal.h"

static BOOL topology_has_sink(struct topology *t, IMFMediaSink *sink)
{
    unsigned i;
    for (i = 0; t && i < t->sink_count; ++i)
        if (t->sinks[i].object == sink) return TRUE;
    return FALSE;
}

BOOL topology_has_source(const struct topology *t, const void *source)
{
    unsigned i;
    for (i = 0; i < t->source_count; ++i)
        if ((const void *)t->sources[i].object == source) return TRUE;
    return FALSE;
}

/* Hands the old topology's sinks over: shared ones keep their unanswered
 * requests, dropped ones let go of the clock. */
void retire_sinks(struct session *session, struct topology *old, struct topology *next)
{
    unsigned i, j;

    for (i = 0; next && i < next->node_count; ++i)
    {
        struct pnode *node = &next->nodes[i];
        if (node->kind != PNODE_SINK || !node->inputs[0]) continue;
        for (j = 0; j < old->node_count; ++j)
        {
            struct pnode *was = &old->nodes[j];
            if (was->kind == PNODE_SINK && was->stream_sink == node->stream_sink && was->inputs[0])
            {
                node->inputs[0]->requests += was->inputs[0]->requests;
                was->inputs[0]->requests = 0;
                node->sink_started = TRUE;
                /* A queue takes one subscriber: the pending subscription moves over. */
                if (was->sink_link && !node->sink_link)
                {
                    node->sink_link = was->sink_link;
                    node->sink_link->context = node;
                    was->sink_link = NULL;
                }
            }
        }
    }
    /* Sources (and their streams) that the next topology plays again keep their subscriptions too. */
    for (i = 0; next && i < next->source_count; ++i)
        for (j = 0; j < old->source_count; ++j)
            if (next->sources[i].object == old->sources[j].object && old->sources[j].link && !next->sources[i].link)
            {
                next->sources[i].link = old->sources[j].link;
                next->sources[i].link->context = &next->sources[i];
                old->sources[j].link = NULL;
            }
    for (i = 0; next && i < next->node_count; ++i)
    {
        struct pnode *node = &next->nodes[i];
        /* A sequencer source going on into its next segment brings new
         * streams (MENewStream): the old segment's stay with it. */
        if (node->kind != PNODE_SOURCE || node->source->continues) continue;
        for (j = 0; j < old->node_count; ++j)
        {
            struct pnode *was = &old->nodes[j];
            if (was->kind != PNODE_SOURCE || !was->stream_link || was->source->object != node->source->object
                    || was->stream_id != node->stream_id || node->stream_link)
                continue;
            node->stream_link = was->stream_link;
            node->stream_link->context = node;
            node->stream = was->stream;
            was->stream_link = NULL;
            was->stream = NULL;
            memcpy(node->track, was->track, sizeof(node->track));
        }
    }
    /* The streams of a source the next topology plays too (a sequencer going
     * on into its next segment) may be played again later (a seek back into
     * this segment): their links are kept for that (callbacks.c). */
    for (j = 0; next && j < old->node_count; ++j)
    {
        struct pnode *was = &old->nodes[j];
        if (was->kind != PNODE_SOURCE || !was->stream_link || !topology_has_source(next, was->source->object))
            continue;
        event_link_retire(session, was->stream_link, was->source->object);
        was->stream_link = NULL;
    }
    event_links_purge_retired(session, next);
    for (i = 0; i < old->sink_count; ++i)
    {
        struct media_sink *sink = &old->sinks[i];
        /* A dropped sink lets go of the clock; it is shut down at the
         * session's Shutdown like every other (shutdown_list.c). */
        if (!topology_has_sink(next, sink->object))
            IMFMediaSink_SetPresentationClock(sink->object, NULL);
        if (sink->activate) IMFActivate_Release(sink->activate);
        IMFMediaSink_Release(sink->object);
    }
    old->sink_count = 0;
}

/* Called at the end of the current presentation with a topology queued and
 * no command in flight. */
void session_begin_switch(struct session *session)
{
    struct topology *old = session->current, *next = session->queue_head;
    struct command *command;
    UINT64 start = 0, project = 0;
    HRESULT hr;

    session->queue_head = next->next;
    next->next = NULL;
    session_queue_topology_status(session, old, MF_TOPOSTATUS_ENDED);

    IMFTopology_GetUINT64(next->object, &MF_TOPOLOGY_START_TIME_ON_PRESENTATION_SWITCH, &start);
    next->start_position = (LONGLONG)start;
    if (session->global_time && SUCCEEDED(IMFTopology_GetUINT64(next->object, &MF_TOPOLOGY_PROJECTSTART, &project)))
        next->offset = (LONGLONG)project - next->start_position;
    else
        next->offset = old->presentation_end - next->start_position;

    sequencer_prepare_switch(old, next);
    retire_sinks(session, old, next);
    session->current = NULL;
    topology_forget(session, old);
    topology_destroy(session, old);

    next->switching = TRUE;
    if (FAILED(hr = topology_make_current(session, next)))
    {
        session_queue_event(session, MEError, hr, NULL);
        topology_forget(session, next);
        topology_destroy(session, next);
        session_set_current_topology(session, NULL);
        session_set_state(session, STATE_EMPTY);
        return;
    }
    session_set_current_topology(session, next);
    rate_snapshot(session);
    session_update_caps(session);
    session_queue_topology_status(session, next, MF_TOPOSTATUS_READY);
    if (session->quality_manager)
        IMFQualityManager_NotifyTopology(session->quality_manager, next->object);

    /* Start its sources: an internal command that sends no completion event. */
    if (!(command = mfs_calloc(1, sizeof(*command))))
    {
        session_queue_event(session, MEError, E_OUTOFMEMORY, NULL);
        return;
    }
    command->type = CMD_SWITCH;
    session->op.command = command;
    session->op.status = S_OK;
    session->op.position = next->start_position;
    session->op.step = STEP_SOURCES_STARTING;
    op_advance(session);
}

/* The new topology's sources run: its own sinks join the running clock. */
void session_complete_switch(struct session *session)
{
    struct topology *t = session->current;
    MFTIME clock_time = 0, system_time = 0;
    IMFAttributes *attributes;
    unsigned i;

    /* Before the segment plays, where it lands on the timeline: known now
     * that its sources answered (a sequencer source's skip target says where
     * it starts, sequencer.c). */
    if (SUCCEEDED(MFCreateAttributes(&attributes, 3)))
    {
        IMFAttributes_SetUINT64(attributes, &MF_EVENT_START_PRESENTATION_TIME, t->offset + t->start_position);
        IMFAttributes_SetUINT64(attributes, &MF_EVENT_PRESENTATION_TIME_OFFSET, t->offset);
        IMFAttributes_SetUINT64(attributes, &MF_EVENT_START_PRESENTATION_TIME_AT_OUTPUT, t->offset + t->start_position);
        session_queue_event_unk(session, MESessionNotifyPresentationTime, S_OK, NULL, attributes);
        IMFAttributes_Release(attributes);
    }
    IMFPresentationClock_GetCorrelatedTime(session->clock, 0, &clock_time, &system_time);
    for (i = 0; i < t->sink_count; ++i)
    {
        IMFClockStateSink *state_sink;
        unsigned j;
        BOOL shared = FALSE;

        for (j = 0; j < t->node_count; ++j)
            if (t->nodes[j].kind == PNODE_SINK && t->nodes[j].media_sink == t->sinks[i].object && t->nodes[j].sink_started)
                shared = TRUE;
        if (shared) continue;
        if (SUCCEEDED(IMFMediaSink_QueryInterface(t->sinks[i].object, &IID_IMFClockStateSink, (void **)&state_sink)))
        {
            TRACED_CALL(session, "sink.OnClockStart", IMFClockStateSink_OnClockStart(state_sink, system_time, clock_time));
            IMFClockStateSink_Release(state_sink);
        }
    }
    t->switching = FALSE;
    session_queue_topology_status(session, t, MF_TOPOSTATUS_SINK_SWITCHED);
    pipeline_kick(session, t);
    op_finish(session, S_OK); /* may end this one too, or switch again: t is not used after */
}
