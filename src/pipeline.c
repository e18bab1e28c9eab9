/*
 * pipeline.c: the sample pipeline.  Requests flow upstream along edges,
 * samples and end-of-stream markers flow downstream; an edge queues what
 * its consumer has not asked for yet, so nothing is ever dropped.  Runs only
 * on the serializer.
 */
#include "session_internal.h"
#include "async_mft.h"
#include "transform_output.h"
#include "video_alloc.h"
#include <stdio.h>

static void node_request(struct session *session, struct pnode *node);
static void node_receive(struct session *session, struct pnode *node, DWORD input, IMFSample *sample);

/* ---- edges ---- */

static void edge_enqueue(struct edge *edge, IMFSample *sample)
{
    struct queued_sample *item = mfs_calloc(1, sizeof(*item));
    if (!item) return;
    if ((item->sample = sample)) IMFSample_AddRef(sample);
    if (edge->tail) edge->tail->next = item;
    else edge->head = item;
    edge->tail = item;
}

static BOOL edge_dequeue(struct edge *edge, IMFSample **sample)
{
    struct queued_sample *item = edge->head;
    if (!item) return FALSE;
    if (!(edge->head = item->next)) edge->tail = NULL;
    *sample = item->sample;
    mfs_free(item);
    return TRUE;
}

static void edge_clear(struct edge *edge, BOOL keep_requests)
{
    IMFSample *sample;
    while (edge_dequeue(edge, &sample))
        if (sample) IMFSample_Release(sample);
    if (!keep_requests) edge->requests = 0;
}

/* An end-of-stream marker reaches the consumer once the samples before it did. */
static void edge_deliver_eos_if_next(struct session *session, struct edge *edge)
{
    IMFSample *sample;
    if (edge->head && !edge->head->sample && edge_dequeue(edge, &sample))
    {
        edge->ended = TRUE;
        node_receive(session, edge->down, edge->down_input, NULL);
    }
}

/* Downstream asks for one sample. */
static void edge_request(struct session *session, struct edge *edge)
{
    IMFSample *sample;

    if (edge->ended)
    {
        /* Nothing more comes on this edge, but the request stands: a topology
         * that takes over this sink (a playlist) answers it. */
        edge->requests++;
        return;
    }
    if (edge->head && edge->head->sample && edge_dequeue(edge, &sample))
    {
        node_receive(session, edge->down, edge->down_input, sample);
        IMFSample_Release(sample);
        edge_deliver_eos_if_next(session, edge);
        return;
    }
    edge->requests++;
    node_request(session, edge->up);
}

/* Upstream produced a sample, or the end of the stream (NULL). */
static void edge_push(struct session *session, struct edge *edge, IMFSample *sample)
{
    if (!edge)
        return;
    if (sample)
    {
        if (edge->requests > 0 && !edge->head)
        {
            edge->requests--;
            node_receive(session, edge->down, edge->down_input, sample);
        }
        else
            edge_enqueue(edge, sample);
        return;
    }
    if (edge->ended) return;
    if (edge->head) edge_enqueue(edge, NULL);
    else
    {
        edge->ended = TRUE;
        node_receive(session, edge->down, edge->down_input, NULL);
    }
}

/* For async_mft.c: an asynchronous transform's events drive its edges. */
void pipeline_edge_request(struct session *session, struct edge *edge)
{
    edge_request(session, edge);
}

void pipeline_edge_push(struct session *session, struct edge *edge, IMFSample *sample)
{
    edge_push(session, edge, sample);
}

/* ---- transforms ---- */

/* One ProcessOutput call's samples (see transform_output.c); on failure
 * the ones already had go back. */
static HRESULT transform_alloc_samples(struct pnode *node, MFT_OUTPUT_DATA_BUFFER *buffers, DWORD count)
{
    HRESULT hr = S_OK;
    DWORD i;

    memset(buffers, 0, count * sizeof(*buffers));
    for (i = 0; i < count; ++i)
    {
        buffers[i].dwStreamID = i;
        if (FAILED(hr = transform_output_get_sample(node, i, &buffers[i].pSample))) break;
    }
    if (FAILED(hr))
        while (i--)
        {
            transform_output_return_sample(node, i, buffers[i].pSample);
            buffers[i].pSample = NULL;
        }
    return hr;
}

/* One output's sample for a ProcessOutput call, for the asynchronous
 * transforms' pump (async_mft.c): the same sizing, reuse and allocator. */
HRESULT pipeline_alloc_output(struct pnode *node, DWORD output, IMFSample **out)
{
    return transform_output_get_sample(node, output, out);
}

/* Samples the transform did not write go back for the next call. */
static void transform_return_samples(struct pnode *node, MFT_OUTPUT_DATA_BUFFER *buffers, DWORD count)
{
    DWORD i;
    for (i = 0; i < count; ++i)
    {
        if (buffers[i].pEvents) IMFCollection_Release(buffers[i].pEvents);
        transform_output_return_sample(node, i, buffers[i].pSample);
        buffers[i].pSample = NULL;
        buffers[i].pEvents = NULL;
    }
}

static BOOL transform_wants_output(struct pnode *node)
{
    DWORD i;
    if (node->draining) return TRUE;
    for (i = 0; i < node->output_count; ++i)
        if (node->outputs[i] && node->outputs[i]->requests > 0) return TRUE;
    return FALSE;
}

static void transform_pump(struct session *session, struct pnode *node)
{
    MFT_OUTPUT_DATA_BUFFER stack_buffers[4], *buffers;
    DWORD i, count = node->output_count, status;
    HRESULT hr, failed = S_OK;

    if (node->pumping)
    {
        node->repump = TRUE;
        return;
    }
    if (!count) return;
    buffers = count <= 4 ? stack_buffers : mfs_calloc(count, sizeof(*buffers));
    if (!buffers) return;
    node->pumping = TRUE;
    do
    {
        node->repump = FALSE;
        while (transform_wants_output(node))
        {
            hr = transform_alloc_samples(node, buffers, count);
            /* The renderer's pool is empty: parked until a sample comes back
             * (MFSESSION_ME_SAMPLE_RELEASED); the requests stay. */
            if (hr == MF_E_SAMPLEALLOCATOR_EMPTY) break;
            if (SUCCEEDED(hr))
            {
                status = 0;
                hr = TRACED_CALL(session, "mft.ProcessOutput", IMFTransform_ProcessOutput(node->mft,
                        transform_output_process_flags(node, buffers, count), count, buffers, &status));
            }
            if (SUCCEEDED(hr) && (status & MFT_PROCESS_OUTPUT_STATUS_NEW_STREAMS))
                transform_output_prepare(node); /* streams beyond the topology's stay unconnected */
            if (hr == MF_E_TRANSFORM_STREAM_CHANGE)
            {
                IMFMediaType *type;
                transform_return_samples(node, buffers, count);
                for (i = 0; i < count; ++i)
                {
                    if (SUCCEEDED(IMFTransform_GetOutputAvailableType(node->mft, i, 0, &type)))
                    {
                        IMFTransform_SetOutputType(node->mft, i, type, 0);
                        IMFMediaType_Release(type);
                    }
                }
                /* New type, new sizes. */
                transform_output_prepare(node);
                continue;
            }
            if (FAILED(hr))
            {
                transform_return_samples(node, buffers, count);
                if (hr != MF_E_TRANSFORM_NEED_MORE_INPUT)
                {
                    node->pumping = FALSE;
                    if (buffers != stack_buffers) mfs_free(buffers);
                    session_on_pipeline_error(session, hr);
                    return;
                }
                if (node->draining)
                {
                    /* Drained: everything it had went out; now the end of stream. */
                    node->draining = FALSE;
                    for (i = 0; i < count; ++i) edge_push(session, node->outputs[i], NULL);
                    break;
                }
                /* Ask each input that has nothing on the way for more. */
                for (i = 0; i < node->input_count; ++i)
                {
                    struct edge *in = node->inputs[i];
                    if (in && !in->ended && !in->requests) edge_request(session, in);
                }
                break;
            }
            for (i = 0; i < count; ++i)
            {
                if (buffers[i].pEvents) IMFCollection_Release(buffers[i].pEvents);
                if (!buffers[i].pSample) continue;
                if (buffers[i].dwStatus & MFT_OUTPUT_DATA_BUFFER_NO_SAMPLE)
                {
                    transform_output_return_sample(node, i, buffers[i].pSample);
                    continue;
                }
                /* A frame written into memory for a video renderer goes into its sample. */
                if (FAILED(hr = transform_output_finish_sample(node, i, &buffers[i].pSample)))
                {
                    failed = hr;
                    continue;
                }
                if (session->quality_manager)
                    IMFQualityManager_NotifyProcessOutput(session->quality_manager, node->node, i, buffers[i].pSample);
                if (node->outputs[i]) edge_push(session, node->outputs[i], buffers[i].pSample);
                IMFSample_Release(buffers[i].pSample);
            }
            if (FAILED(failed))
            {
                node->pumping = FALSE;
                if (buffers != stack_buffers) mfs_free(buffers);
                session_on_pipeline_error(session, failed);
                return;
            }
        }
    } while (node->repump);
    node->pumping = FALSE;
    if (buffers != stack_buffers) mfs_free(buffers);
}

static void transform_receive(struct session *session, struct pnode *node, DWORD input, IMFSample *sample)
{
    HRESULT hr;

    if (node->async)
    {
        async_mft_receive(session, node, input, sample);
        return;
    }
    if (!sample)
    {
        TRACED_CALL(session, "mft.ProcessMessage", IMFTransform_ProcessMessage(node->mft, MFT_MESSAGE_NOTIFY_END_OF_STREAM, input));
        if (++node->inputs_ended >= node->input_count)
        {
            TRACED_CALL(session, "mft.ProcessMessage", IMFTransform_ProcessMessage(node->mft, MFT_MESSAGE_COMMAND_DRAIN, 0));
            node->draining = TRUE;
        }
        transform_pump(session, node);
        return;
    }
    if (session->quality_manager)
        IMFQualityManager_NotifyProcessInput(session->quality_manager, node->node, input, sample);
    transform_output_note_input(node, sample);
    hr = TRACED_CALL(session, "mft.ProcessInput", IMFTransform_ProcessInput(node->mft, input, sample, 0));
    if (hr == MF_E_NOTACCEPTING)
    {
        /* It still holds output: take it first, then retry once. */
        node->draining_hold = TRUE;
        transform_pump(session, node);
        node->draining_hold = FALSE;
        hr = TRACED_CALL(session, "mft.ProcessInput", IMFTransform_ProcessInput(node->mft, input, sample, 0));
    }
    if (FAILED(hr))
    {
        session_on_pipeline_error(session, hr);
        return;
    }
    transform_pump(session, node);
}

/* ---- nodes ---- */

static void source_fill(struct session *session, struct pnode *node)
{
    struct edge *out = node->output_count ? node->outputs[0] : NULL;
    HRESULT hr;

    if (!out || !node->stream || node->stream_ended || node->end_refused || !node->source->started
            || node->source->topology->flushing)
        return;
    while (node->upstream_pending < out->requests)
    {
        node->upstream_pending++;
        TRACE('i', "sample", "requested", session, node->track, 0, NULL);
        hr = TRACED_CALL(session, "stream.RequestSample", IMFMediaStream_RequestSample(node->stream, NULL));
        if (SUCCEEDED(hr)) continue;
        node->upstream_pending--;
        if (hr == MF_E_END_OF_STREAM)
        {
            /* A request answered by the end of the stream is not an error.
             * Samples the stream queued before it (answers still owed) come
             * first: the end waits for them, or for the stream's own
             * MEEndOfStream behind them (measured under Wine 10: a WAV
             * stream's last sample reached the grabber after the end marker,
             * which then never rendered what followed). */
            if (node->upstream_pending > 0)
            {
                node->end_refused = TRUE;
                return;
            }
            node->stream_ended = TRUE;
            edge_push(session, out, NULL);
        }
        else if (hr != MF_E_MEDIA_SOURCE_WRONGSTATE && hr != MF_E_INVALIDREQUEST)
            session_on_pipeline_error(session, hr);
        return;
    }
}

static void tee_fill(struct session *session, struct pnode *node)
{
    struct edge *in = node->inputs[0];
    LONG want = 0;
    DWORD i;

    for (i = 0; i < node->output_count; ++i)
        if (node->outputs[i] && node->outputs[i]->requests > want) want = node->outputs[i]->requests;
    while (in && !in->ended && in->requests < want)
    {
        LONG before = in->requests;
        edge_request(session, in);
        if (in->requests <= before) break; /* satisfied at once from its queue */
    }
}

static void node_request(struct session *session, struct pnode *node)
{
    switch (node->kind)
    {
    case PNODE_SOURCE: source_fill(session, node); break;
    case PNODE_TRANSFORM:
        if (node->async) async_mft_request(session, node);
        else if (!node->draining_hold) transform_pump(session, node);
        break;
    case PNODE_TEE: tee_fill(session, node); break;
    default: break;
    }
}

static void node_receive(struct session *session, struct pnode *node, DWORD input, IMFSample *sample)
{
    DWORD i;
    HRESULT hr;

    switch (node->kind)
    {
    case PNODE_SINK:
        if (!sample)
        {
            PROPVARIANT empty;
            PropVariantInit(&empty);
            node->marker_pending = TRUE;
            if (FAILED(hr = TRACED_CALL(session, "sink.PlaceMarker",
                    IMFStreamSink_PlaceMarker(node->stream_sink, MFSTREAMSINK_MARKER_ENDOFSEGMENT, NULL, &empty))))
            {
                node->marker_pending = FALSE;
                node->sink_ended = TRUE;
                session_check_end(session);
            }
            return;
        }
        if (session->quality_manager)
            IMFQualityManager_NotifyProcessInput(session->quality_manager, node->node, 0, sample);
        node->samples_in++;
        if (FAILED(hr = TRACED_CALL(session, "sink.ProcessSample", IMFStreamSink_ProcessSample(node->stream_sink, sample))))
            session_on_pipeline_error(session, hr);
        else if (node->scrub_expected)
            session_on_scrub_progress(session, node);
        return;
    case PNODE_TEE:
        for (i = 0; i < node->output_count; ++i) edge_push(session, node->outputs[i], sample);
        if (sample) tee_fill(session, node);
        return;
    case PNODE_TRANSFORM:
        transform_receive(session, node, input, sample);
        return;
    default:
        return;
    }
}

/* Puts a source sample on the presentation timeline: trims it at
 * MF_TOPONODE_MEDIASTOP and shifts it by the topology's offset.  FALSE when
 * the sample lies past the stop (0) or before the start (-1). */
static int source_place_sample(struct pnode *node, IMFSample *sample)
{
    struct topology *t = node->source->topology;
    LONGLONG time = 0, duration = 0;

    if (FAILED(IMFSample_GetSampleTime(sample, &time))) return 1;
    IMFSample_GetSampleDuration(sample, &duration);
    if (node->media_start > 0 && time < node->media_start)
    {
        /* Before MF_TOPONODE_MEDIASTART: dropped, or cut to start there. */
        if (time + duration <= node->media_start) return -1;
        duration -= node->media_start - time;
        time = node->media_start;
        IMFSample_SetSampleTime(sample, time);
        IMFSample_SetSampleDuration(sample, duration);
    }
    if (t->project_stop >= 0)
    {
        /* Under MF_SESSION_GLOBAL_TIME, PROJECTSTOP ends the topology on the global timeline. */
        if (time + t->offset >= t->project_stop) return 0;
        if (time + duration + t->offset > t->project_stop)
        {
            duration = t->project_stop - time - t->offset;
            IMFSample_SetSampleDuration(sample, duration);
        }
    }
    if (node->media_stop >= 0)
    {
        if (time >= node->media_stop) return 0;
        if (time + duration > node->media_stop)
        {
            duration = node->media_stop - time;
            IMFSample_SetSampleDuration(sample, duration);
        }
    }
    if (t->offset) IMFSample_SetSampleTime(sample, time + t->offset);
    if (time + duration + t->offset > t->presentation_end) t->presentation_end = time + duration + t->offset;
    return 1;
}

void pipeline_refresh_node_attributes(struct topology *topology)
{
    unsigned i;
    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        UINT64 stop;
        if (node->kind != PNODE_SOURCE) continue;
        node->media_stop = SUCCEEDED(IMFTopologyNode_GetUINT64(node->node, &MF_TOPONODE_MEDIASTOP, &stop)) ? (LONGLONG)stop : -1;
        node->media_start = SUCCEEDED(IMFTopologyNode_GetUINT64(node->node, &MF_TOPONODE_MEDIASTART, &stop)) ? (LONGLONG)stop : -1;
    }
}

/* ---- events from streams and stream sinks ---- */

void pipeline_on_stream_event(struct session *session, struct pnode *node, IMFMediaEvent *event,
        MediaEventType type, HRESULT status)
{
    struct edge *out = node->output_count ? node->outputs[0] : NULL;
    PROPVARIANT value;

    /* A stream an earlier topology followed, started again (a sequencer's
     * segment played again, callbacks.c): what its queue held from the
     * earlier play (its end of stream, late samples) comes before the
     * start's MEStreamStarted or MEStreamSeeked and is not this play's. */
    if (node->stream_link && node->stream_link->stale)
    {
        if (type != MEStreamStarted && type != MEStreamSeeked && type != MEError) return;
        node->stream_link->stale = FALSE;
    }
    switch (type)
    {
    case MEMediaSample:
        /* Stopping for a stop or a seek: what was on the way belongs to the old position. */
        if (node->source->topology->flushing) break;
        if (node->upstream_pending > 0) node->upstream_pending--;
        PropVariantInit(&value);
        if (SUCCEEDED(IMFMediaEvent_GetValue(event, &value)) && value.vt == VT_UNKNOWN && value.punkVal)
        {
            IMFSample *sample;
            if (SUCCEEDED(IUnknown_QueryInterface(value.punkVal, &IID_IMFSample, (void **)&sample)))
            {
                int placed;
                if (TRACE_ON())
                {
                    LONGLONG time = -1;
                    IMFSample_GetSampleTime(sample, &time);
                    trace_write('i', "sample", "delivered", session, node->track, 0, "\"time\":%lld", time);
                }
                placed = source_place_sample(node, sample);
                if (placed > 0) edge_push(session, out, sample);
                else if (placed < 0) { /* before MEDIASTART: not part of this presentation */ }
                else if (!node->stream_ended)
                {
                    /* Past MF_TOPONODE_MEDIASTOP: the stream ends here for this presentation. */
                    node->stream_ended = TRUE;
                    node->trimmed = TRUE;
                    edge_push(session, out, NULL);
                    session_check_end(session);
                }
                IMFSample_Release(sample);
            }
        }
        PropVariantClear(&value);
        if (node->end_refused && !node->upstream_pending && !node->stream_ended)
        {
            /* The last owed answer is in: now the end the stream announced. */
            node->stream_ended = TRUE;
            edge_push(session, out, NULL);
            session_check_end(session);
        }
        source_fill(session, node);
        break;
    case MEEndOfStream:
        if (node->source->topology->flushing) break;
        node->stream_ended = TRUE;
        node->upstream_pending = 0;
        edge_push(session, out, NULL);
        break;
    case MEError:
        session_on_pipeline_error(session, FAILED(status) ? status : E_FAIL);
        break;
    default:
        break;
    }
}

void pipeline_on_sink_event(struct session *session, struct pnode *node, IMFMediaEvent *event,
        MediaEventType type, HRESULT status)
{
    IMFAttributes *attributes;

    switch (type)
    {
    case MEStreamSinkRequestSample:
        if (node->inputs[0]) edge_request(session, node->inputs[0]);
        break;
    case MFSESSION_ME_SAMPLE_RELEASED:
        /* The renderer's pool has a sample again: the parked transform goes on. */
        if (node->inputs[0]) node_request(session, node->inputs[0]->up);
        break;
    case MEStreamSinkStarted:
        if (node->start_expected)
        {
            node->start_expected = FALSE;
            session_on_ack(session, STEP_SINKS_STARTING, status);
        }
        break;
    case MEStreamSinkPrerolled:
        if (node->prerolled)
        {
            node->prerolled = FALSE;
            session_on_ack(session, STEP_PREROLLING, status);
        }
        break;
    case MEStreamSinkMarker:
        if (node->marker_pending)
        {
            node->marker_pending = FALSE;
            node->sink_ended = TRUE;
            session_check_end(session);
        }
        break;
    case MEStreamSinkFormatChanged:
        if (SUCCEEDED(MFCreateAttributes(&attributes, 1)))
        {
            IMFAttributes_SetUINT64(attributes, &MF_EVENT_OUTPUT_NODE, node->id);
            session_queue_event_unk(session, MESessionStreamSinkFormatChanged, S_OK, NULL, attributes);
            IMFAttributes_Release(attributes);
        }
        break;
    case MEStreamSinkScrubSampleComplete:
        if (node->scrub_expected)
        {
            node->scrub_said = TRUE;
            session_on_scrub_progress(session, node);
        }
        break;
    case MEQualityNotify:
        if (session->quality_manager)
            IMFQualityManager_NotifyQualityEvent(session->quality_manager, (IUnknown *)node->stream_sink, event);
        break;
    case MEStreamSinkStopped:
        if (node->stop_expected)
        {
            node->stop_expected = FALSE;
            session_on_ack(session, STEP_CLOCK_STOPPING, S_OK);
        }
        break;
    case MEStreamSinkPaused:
    case MEStreamSinkRateChanged:
        break;
    case MEError:
        session_on_pipeline_error(session, FAILED(status) ? status : E_FAIL);
        break;
    default:
        /* MESinkInvalidated, device events and custom events are the client's. */
        session_forward_event(session, event);
        break;
    }
}

/* ---- whole-pipeline operations ---- */

void pipeline_attach_stream(struct session *session, struct source *source, IMFMediaStream *stream)
{
    struct topology *topology = source ? source->topology : NULL;
    IMFStreamDescriptor *sd;
    DWORD id;
    unsigned i;

    if (!topology || FAILED(IMFMediaStream_GetStreamDescriptor(stream, &sd))) return;
    IMFStreamDescriptor_GetStreamIdentifier(sd, &id);
    IMFStreamDescriptor_Release(sd);
    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        /* Stream ids are per source: two sources may both have a stream 0. */
        if (node->kind != PNODE_SOURCE || node->source != source || node->stream_id != id) continue;
        if (node->stream == stream) continue;
        if (node->stream_link)
        {
            event_link_detach(node->stream_link);
            event_link_release(node->stream_link);
            node->stream_link = NULL;
        }
        if (node->stream) IMFMediaStream_Release(node->stream);
        node->stream = stream;
        IMFMediaStream_AddRef(stream);
        node->upstream_pending = 0;
        snprintf(node->track, sizeof(node->track), "stream %lu", (unsigned long)node->stream_id);
        {
            /* Polled, then subscribed by the serializer (a failure there is a
             * pipeline error); a stream an earlier topology followed (a
             * sequencer's segment played again) keeps that link (callbacks.c). */
            HRESULT hr = event_link_follow(session, LINK_STREAM, node, (IMFMediaEventGenerator *)stream,
                    &node->stream_link);
            if (FAILED(hr)) session_on_pipeline_error(session, hr);
        }
    }
}

void pipeline_notify_transforms(struct topology *topology, MFT_MESSAGE_TYPE message)
{
    unsigned i;
    for (i = 0; i < topology->node_count; ++i)
        if (topology->nodes[i].kind == PNODE_TRANSFORM)
            IMFTransform_ProcessMessage(topology->nodes[i].mft, message, 0);
}

/* Before streaming: the device manager for Direct3D-aware transforms, then
 * each transform's output plan (the renderers' allocators come with the
 * first output, once the sinks are attached). */
void pipeline_prepare_transforms(struct topology *topology)
{
    unsigned i;

    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        if (node->kind != PNODE_TRANSFORM) continue;
        video_alloc_offer_d3d_manager(node);
        transform_output_prepare(node);
    }
}

/* Drops everything in flight (stop, seek); transforms are flushed.  A seek
 * keeps the requests sinks made and did not get answered: they still wait. */
void pipeline_flush(struct session *session, struct topology *topology, BOOL keep_sink_requests)
{
    unsigned i, j;

    if (!topology) return;
    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        if (node->kind == PNODE_TRANSFORM) IMFTransform_ProcessMessage(node->mft, MFT_MESSAGE_COMMAND_FLUSH, 0);
        if (node->async) async_mft_flushed(session, node);
        node->upstream_pending = 0;
        node->end_refused = FALSE;
        for (j = 0; j < node->output_count; ++j)
            if (node->outputs[j])
                edge_clear(node->outputs[j], keep_sink_requests && node->outputs[j]->down->kind == PNODE_SINK);
    }
}

/* The clock stopped: sinks forget the requests they made. */
void pipeline_forget_sink_requests(struct topology *topology)
{
    unsigned i;
    for (i = 0; i < topology->node_count; ++i)
        if (topology->nodes[i].kind == PNODE_SINK && topology->nodes[i].inputs[0])
            topology->nodes[i].inputs[0]->requests = 0;
}

/* Before a start from a position: a fresh presentation. */
void pipeline_reset(struct session *session, struct topology *topology)
{
    unsigned i, j;

    pipeline_flush(session, topology, TRUE);
    for (i = 0; i < topology->source_count; ++i) topology->sources[i].ended = FALSE;
    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        node->stream_ended = FALSE;
        node->trimmed = FALSE;
        node->marker_pending = FALSE;
        node->sink_ended = FALSE;
        node->draining = FALSE;
        node->inputs_ended = 0;
        for (j = 0; j < node->output_count; ++j)
            if (node->outputs[j]) node->outputs[j]->ended = FALSE;
    }
}

void pipeline_expect_sink_start(struct topology *topology)
{
    unsigned i;
    for (i = 0; i < topology->node_count; ++i)
        if (topology->nodes[i].kind == PNODE_SINK && !topology->nodes[i].clock_refused)
            topology->nodes[i].start_expected = TRUE;
}

/* Serves requests that waited (before the start, during a seek). */
void pipeline_kick(struct session *session, struct topology *topology)
{
    unsigned i;
    if (!topology) return;
    for (i = 0; i < topology->node_count; ++i)
        if (topology->nodes[i].kind != PNODE_SINK) node_request(session, &topology->nodes[i]);
}

BOOL pipeline_ended(struct topology *topology)
{
    unsigned i, j;
    for (i = 0; i < topology->source_count; ++i)
    {
        /* A source whose streams all ended, one of them cut here (MEDIASTOP,
         * PROJECTSTOP), is done too: it will not send MEEndOfPresentation.
         * Otherwise its MEEndOfPresentation is awaited. */
        BOOL all_ended = TRUE, trimmed = FALSE;
        if (topology->sources[i].ended) continue;
        for (j = 0; j < topology->node_count; ++j)
            if (topology->nodes[j].kind == PNODE_SOURCE && topology->nodes[j].source == &topology->sources[i])
            {
                if (!topology->nodes[j].stream_ended) all_ended = FALSE;
                if (topology->nodes[j].trimmed) trimmed = TRUE;
            }
        if (!all_ended || !trimmed) return FALSE;
    }
    for (i = 0; i < topology->node_count; ++i)
        if (topology->nodes[i].kind == PNODE_SINK && !topology->nodes[i].sink_ended) return FALSE;
    return TRUE;
}

void pipeline_release(struct topology *topology)
{
    unsigned i, j;
    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        for (j = 0; j < node->output_count; ++j)
            if (node->outputs[j]) edge_clear(node->outputs[j], FALSE);
        /* Spare samples go back to their pool before the pool goes. */
        if (node->kind == PNODE_TRANSFORM)
        {
            transform_output_release(node);
            video_alloc_withdraw_d3d_manager(node);
        }
    }
    for (i = 0; i < topology->node_count; ++i)
        video_alloc_detach(&topology->nodes[i]);
}
