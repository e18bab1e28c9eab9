/*
 * async_mft.c: asynchronous transforms.  An asynchronous transform says when
 * it wants input and when it has output through its own event queue; the
 * session answers each METransformNeedInput with one ProcessInput and each
 * METransformHaveOutput with one ProcessOutput, and never pumps it.
 *
 *   - Unlock first: MF_TRANSFORM_ASYNC_UNLOCK is set before any other call
 *     (a locked transform fails them with MF_E_TRANSFORM_ASYNC_LOCKED).
 *   - Input: each METransformNeedInput asks the input edge for one sample; the
 *     transform governs how much it holds.
 *   - Output: a METransformHaveOutput is answered at once when downstream has
 *     asked for a sample (or while draining), else kept until it asks, so a
 *     transform whose output nobody takes stops asking for input.
 *   - End of stream: NOTIFY_END_OF_STREAM per input, COMMAND_DRAIN once all
 *     ended; METransformDrainComplete ends the outputs.
 *   - Flush (stop, seek): COMMAND_FLUSH then COMMAND_MARKER; the events queued
 *     before its METransformMarker were raised before the flush and are
 *     ignored.  The transform asks again after NOTIFY_START_OF_STREAM.
 *   - Shutdown: the session's shutdown list (shutdown_list.c) calls
 *     IMFShutdown at Shutdown; here the event link is only cut.
 */
#include "async_mft.h"
#include "transform_output.h"

static void async_finish_drain(struct session *session, struct pnode *node);

static BOOL async_wants_output(struct pnode *node)
{
    DWORD i;
    if (node->async->draining) return TRUE;
    for (i = 0; i < node->output_count; ++i)
        if (node->outputs[i] && node->outputs[i]->requests > 0) return TRUE;
    return FALSE;
}

/* Sets MF_TRANSFORM_ASYNC_UNLOCK on a transform that says MF_TRANSFORM_ASYNC
 * (*is_async); S_OK and nothing done for a synchronous one. */
static HRESULT unlock_transform(IMFTransform *mft, BOOL *is_async)
{
    IMFAttributes *attributes;
    UINT32 value = FALSE;
    HRESULT hr = S_OK;

    *is_async = FALSE;
    if (FAILED(IMFTransform_GetAttributes(mft, &attributes))) return S_OK; /* no attributes: synchronous */
    IMFAttributes_GetUINT32(attributes, &MF_TRANSFORM_ASYNC, &value);
    if ((*is_async = !!value)) hr = IMFAttributes_SetUINT32(attributes, &MF_TRANSFORM_ASYNC_UNLOCK, TRUE);
    IMFAttributes_Release(attributes);
    return hr;
}

HRESULT async_mft_unlock(struct pnode *node)
{
    struct async_mft *async;
    BOOL is_async;
    HRESULT hr;

    if (FAILED(hr = unlock_transform(node->mft, &is_async)) || !is_async) return hr;
    if (!(async = mfs_calloc(1, sizeof(*async)))) return E_OUTOFMEMORY;
    /* An asynchronous transform must raise events: without a generator it cannot be driven. */
    if (FAILED(IMFTransform_QueryInterface(node->mft, &IID_IMFMediaEventGenerator, (void **)&async->events)))
    {
        mfs_free(async);
        return MF_E_TOPO_UNSUPPORTED;
    }
    node->async = async;
    return S_OK;
}

void async_mft_unlock_topology(IMFTopology *topology)
{
    IMFTopologyNode *node;
    MF_TOPOLOGY_TYPE type;
    IMFTransform *mft;
    IUnknown *object;
    BOOL is_async;
    WORD count = 0, i;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        object = NULL;
        if (SUCCEEDED(IMFTopologyNode_GetNodeType(node, &type)) && type == MF_TOPOLOGY_TRANSFORM_NODE
                && SUCCEEDED(IMFTopologyNode_GetObject(node, &object)) && object
                && SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)&mft)))
        {
            /* An activate is left alone: its transform does not exist yet. */
            unlock_transform(mft, &is_async);
            IMFTransform_Release(mft);
        }
        if (object) IUnknown_Release(object);
        IMFTopologyNode_Release(node);
    }
}

HRESULT async_mft_attach(struct session *session, struct topology *topology)
{
    unsigned i;
    HRESULT hr;

    for (i = 0; i < topology->node_count; ++i)
    {
        struct pnode *node = &topology->nodes[i];
        struct async_mft *async = node->async;

        if (node->kind != PNODE_TRANSFORM || !async || async->link) continue;
        if (!async->need_input)
        {
            if (!(async->need_input = mfs_calloc(node->input_count ? node->input_count : 1, sizeof(LONG))))
                return E_OUTOFMEMORY;
            async->input_count = node->input_count;
        }
        if (FAILED(hr = event_link_create(session, LINK_TRANSFORM, node, async->events, &async->link))) return hr;
        session_list_idle_link(session, async->link);
    }
    return S_OK;
}

void async_mft_release(struct pnode *node)
{
    struct async_mft *async = node->async;

    if (!async) return;
    /* A subscription still pending on the transform's queue keeps only the link. */
    if (async->link)
    {
        event_link_detach(async->link);
        event_link_release(async->link);
    }
    IMFMediaEventGenerator_Release(async->events);
    mfs_free(async->need_input);
    mfs_free(async);
    node->async = NULL;
}

void async_mft_flushed(struct session *session, struct pnode *node)
{
    struct async_mft *async = node->async;
    HRESULT hr;

    if (async->need_input) memset(async->need_input, 0, async->input_count * sizeof(*async->need_input));
    async->output_ready = 0;
    async->draining = async->drain_done = FALSE;
    node->inputs_ended = 0;
    /* What the transform asked for or offered before the flush is void; its
     * marker event says where the events from after the flush begin. */
    if (!++async->next_marker) ++async->next_marker;
    hr = TRACED_CALL(session, "mft.ProcessMessage", IMFTransform_ProcessMessage(node->mft,
            MFT_MESSAGE_COMMAND_MARKER, (ULONG_PTR)async->next_marker));
    async->awaited_marker = SUCCEEDED(hr) ? async->next_marker : 0;
}

/* Samples the transform did not write go back to the output's spares. */
static void async_return_samples(struct pnode *node, MFT_OUTPUT_DATA_BUFFER *buffers, DWORD count)
{
    DWORD i;
    for (i = 0; i < count; ++i)
    {
        if (buffers[i].pEvents) IMFCollection_Release(buffers[i].pEvents);
        if (buffers[i].pSample) transform_output_return_sample(node, i, buffers[i].pSample);
        buffers[i].pEvents = NULL;
        buffers[i].pSample = NULL;
    }
}

/* One output buffer of a successful ProcessOutput goes down its edge. */
static void async_deliver(struct session *session, struct pnode *node, DWORD output, MFT_OUTPUT_DATA_BUFFER *buffer)
{
    IMFSample *sample = buffer->pSample;
    HRESULT hr;

    if (buffer->pEvents) IMFCollection_Release(buffer->pEvents);
    buffer->pEvents = NULL;
    buffer->pSample = NULL;
    if (!sample) return;
    if (buffer->dwStatus & MFT_OUTPUT_DATA_BUFFER_NO_SAMPLE)
        transform_output_return_sample(node, output, sample); /* unwritten: kept for the next call */
    else if (FAILED(hr = transform_output_finish_sample(node, output, &sample)))
        session_on_pipeline_error(session, hr); /* the frame could not go into the video renderer's sample */
    else
    {
        if (session->quality_manager)
            IMFQualityManager_NotifyProcessOutput(session->quality_manager, node->node, output, sample);
        pipeline_edge_push(session, node->outputs[output], sample);
        IMFSample_Release(sample);
    }
}

/* One ProcessOutput for one METransformHaveOutput: what comes out goes down
 * its edges (queued there when not yet asked for).  FALSE when it could not
 * be made yet (the video renderer's pool is empty): the offer stands. */
static BOOL async_process_output(struct session *session, struct pnode *node)
{
    MFT_OUTPUT_DATA_BUFFER stack_buffers[4], *buffers;
    DWORD i, count = node->output_count, status;
    unsigned changes = 0;
    HRESULT hr;

    if (!count) return TRUE;
    if (!(buffers = count <= 4 ? stack_buffers : mfs_calloc(count, sizeof(*buffers))))
    {
        session_on_pipeline_error(session, E_OUTOFMEMORY);
        return TRUE;
    }
    for (;;)
    {
        memset(buffers, 0, count * sizeof(*buffers));
        hr = S_OK;
        for (i = 0; i < count && SUCCEEDED(hr); ++i)
        {
            buffers[i].dwStreamID = i;
            hr = pipeline_alloc_output(node, i, &buffers[i].pSample);
        }
        status = 0;
        if (SUCCEEDED(hr))
            hr = TRACED_CALL(session, "mft.ProcessOutput", IMFTransform_ProcessOutput(node->mft,
                    transform_output_process_flags(node, buffers, count), count, buffers, &status));
        if (FAILED(hr)) async_return_samples(node, buffers, count);
        if (hr != MF_E_TRANSFORM_STREAM_CHANGE || ++changes > 4) break;
        /* The output format changed: take the transform's new type, then the same output again. */
        for (i = 0; i < count; ++i)
        {
            IMFMediaType *type;
            if (FAILED(IMFTransform_GetOutputAvailableType(node->mft, i, 0, &type))) continue;
            IMFTransform_SetOutputType(node->mft, i, type, 0);
            IMFMediaType_Release(type);
        }
        transform_output_prepare(node);
    }
    if (SUCCEEDED(hr) && (status & MFT_PROCESS_OUTPUT_STATUS_NEW_STREAMS)) transform_output_prepare(node);
    if (hr == MF_E_SAMPLEALLOCATOR_EMPTY)
    {
        if (buffers != stack_buffers) mfs_free(buffers);
        return FALSE;
    }
    if (hr == MF_E_TRANSFORM_NEED_MORE_INPUT)
    {
        /* Offered before a flush it did not report, or already taken: nothing to take. */
    }
    else if (FAILED(hr))
        session_on_pipeline_error(session, hr);
    else
        for (i = 0; i < count; ++i) async_deliver(session, node, i, &buffers[i]);
    if (buffers != stack_buffers) mfs_free(buffers);
    return TRUE;
}

/* Takes the offers kept for downstream, as far as it asks (all of them with `all`). */
static void async_take_offers(struct session *session, struct pnode *node, BOOL all)
{
    struct async_mft *async = node->async;

    while (async->output_ready && (all || async_wants_output(node)))
    {
        --async->output_ready;
        if (!async_process_output(session, node))
        {
            ++async->output_ready; /* parked until the renderer's allocator has a sample again */
            return;
        }
    }
}

void async_mft_request(struct session *session, struct pnode *node)
{
    if (node->async->drain_done) async_finish_drain(session, node);
    else async_take_offers(session, node, FALSE);
}

static DWORD connected_inputs(struct pnode *node)
{
    DWORD i, n = 0;
    for (i = 0; i < node->input_count; ++i)
        if (node->inputs[i]) ++n;
    return n;
}

void async_mft_receive(struct session *session, struct pnode *node, DWORD input, IMFSample *sample)
{
    struct async_mft *async = node->async;
    HRESULT hr;

    if (!sample)
    {
        TRACED_CALL(session, "mft.ProcessMessage", IMFTransform_ProcessMessage(node->mft,
                MFT_MESSAGE_NOTIFY_END_OF_STREAM, input));
        if (++node->inputs_ended >= connected_inputs(node) && !async->draining)
        {
            /* The rest of its output comes as METransformHaveOutput, then METransformDrainComplete. */
            async->draining = TRUE;
            if (FAILED(hr = TRACED_CALL(session, "mft.ProcessMessage", IMFTransform_ProcessMessage(node->mft,
                    MFT_MESSAGE_COMMAND_DRAIN, 0))))
            {
                async->draining = FALSE;
                session_on_pipeline_error(session, hr);
            }
            else
                async_mft_request(session, node);
        }
        return;
    }
    if (input < async->input_count && async->need_input[input] > 0) --async->need_input[input];
    if (session->quality_manager)
        IMFQualityManager_NotifyProcessInput(session->quality_manager, node->node, input, sample);
    transform_output_note_input(node, sample);
    /* Only asked-for samples come here: a refusal is the transform's fault, reported, never a silent drop. */
    if (FAILED(hr = TRACED_CALL(session, "mft.ProcessInput", IMFTransform_ProcessInput(node->mft, input, sample, 0))))
        session_on_pipeline_error(session, hr);
}

static void async_on_need_input(struct session *session, struct pnode *node, IMFMediaEvent *event)
{
    struct async_mft *async = node->async;
    UINT32 input = 0;
    struct edge *edge;

    IMFMediaEvent_GetUINT32(event, &MF_EVENT_MFT_INPUT_STREAM_ID, &input);
    if (input >= async->input_count || !(edge = node->inputs[input]) || edge->ended || async->draining) return;
    ++async->need_input[input];
    pipeline_edge_request(session, edge);
}

/* After METransformDrainComplete: the outputs end once every offer made
 * before it went down its edge (edges queue them ahead of the end). */
static void async_finish_drain(struct session *session, struct pnode *node)
{
    struct async_mft *async = node->async;
    DWORD i;

    async_take_offers(session, node, TRUE);
    if (async->output_ready) return; /* the rest, then the end, once the renderer's pool refills */
    async->draining = async->drain_done = FALSE;
    for (i = 0; i < node->output_count; ++i) pipeline_edge_push(session, node->outputs[i], NULL);
}

void async_mft_on_event(struct session *session, struct pnode *node, IMFMediaEvent *event,
        MediaEventType type, HRESULT status)
{
    struct async_mft *async = node->async;
    UINT64 context = 0;

    if (!async) return;
    if (type == METransformMarker)
    {
        IMFMediaEvent_GetUINT64(event, &MF_EVENT_MFT_CONTEXT, &context);
        if (async->awaited_marker && context == async->awaited_marker) async->awaited_marker = 0;
        return;
    }
    if (type == MEError)
    {
        session_on_pipeline_error(session, FAILED(status) ? status : E_FAIL);
        return;
    }
    /* Raised before the last flush, or while the sources stop for one: it
     * speaks of samples that are gone (a failure there included). */
    if (async->awaited_marker || (session->current && session->current->flushing)) return;
    if (FAILED(status) && (type == METransformNeedInput || type == METransformHaveOutput
            || type == METransformDrainComplete))
    {
        session_on_pipeline_error(session, status);
        return;
    }
    switch (type)
    {
    case METransformNeedInput:
        async_on_need_input(session, node, event);
        break;
    case METransformHaveOutput:
        ++async->output_ready;
        async_take_offers(session, node, FALSE);
        break;
    case METransformDrainComplete:
        if (!async->draining) break;
        async->drain_done = TRUE;
        async_finish_drain(session, node);
        break;
    default:
        /* Other transform events (METransformInputStreamStateChanged, ...) need no answer. */
        break;
    }
}
