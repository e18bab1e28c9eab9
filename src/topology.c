/*
 * topology.c: structural checks, output binding, resolution through the
 * topology loader, the pipeline graph built from a full topology, and the
 * list of topologies GetFullTopology can find.
 */
#include "session_internal.h"
#include "async_mft.h"

static HRESULT node_get_source_stream(IMFTopologyNode *node, IMFMediaSource **source,
        IMFPresentationDescriptor **pd, IMFStreamDescriptor **sd)
{
    IUnknown *unk;
    HRESULT hr;

    *source = NULL; *pd = NULL; *sd = NULL;
    if (FAILED(IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_SOURCE, &IID_IUnknown, (void **)&unk)))
        return MF_E_TOPO_MISSING_SOURCE;
    hr = IUnknown_QueryInterface(unk, &IID_IMFMediaSource, (void **)source);
    IUnknown_Release(unk);
    if (FAILED(hr)) return MF_E_TOPO_MISSING_SOURCE;
    if (FAILED(IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR,
            &IID_IMFPresentationDescriptor, (void **)pd)))
        return MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR;
    if (FAILED(IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR,
            &IID_IMFStreamDescriptor, (void **)sd)))
        return MF_E_TOPO_MISSING_STREAM_DESCRIPTOR;
    return S_OK;
}

static HRESULT check_stream_selected(IMFPresentationDescriptor *pd, IMFStreamDescriptor *sd)
{
    DWORD count, i, id, want;
    IMFStreamDescriptor *other;
    BOOL selected;

    if (FAILED(IMFStreamDescriptor_GetStreamIdentifier(sd, &want))) return MF_E_TOPO_MISSING_STREAM_DESCRIPTOR;
    if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorCount(pd, &count))) return MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR;
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, i, &selected, &other))) continue;
        IMFStreamDescriptor_GetStreamIdentifier(other, &id);
        IMFStreamDescriptor_Release(other);
        if (id == want) return selected ? S_OK : MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED;
    }
    return MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED;
}

/* The synchronous checks SetTopology makes before queuing anything. */
HRESULT topology_check(IMFTopology *topology)
{
    IMFPresentationDescriptor *pd;
    IMFStreamDescriptor *sd;
    IMFMediaSource *source;
    IMFTopologyNode *node;
    MF_TOPOLOGY_TYPE type;
    WORD count, i;
    HRESULT hr = S_OK;

    if (FAILED(IMFTopology_GetNodeCount(topology, &count))) return E_INVALIDARG;
    if (!count) return E_INVALIDARG;
    for (i = 0; i < count && SUCCEEDED(hr); ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) return E_INVALIDARG;
        if (SUCCEEDED(IMFTopologyNode_GetNodeType(node, &type)) && type == MF_TOPOLOGY_SOURCESTREAM_NODE)
        {
            hr = node_get_source_stream(node, &source, &pd, &sd);
            if (SUCCEEDED(hr)) hr = check_stream_selected(pd, sd);
            if (source) IMFMediaSource_Release(source);
            if (pd) IMFPresentationDescriptor_Release(pd);
            if (sd) IMFStreamDescriptor_Release(sd);
        }
        IMFTopologyNode_Release(node);
    }
    return hr;
}

/* ---- output binding ---- */

static HRESULT bind_output(IMFTopologyNode *node)
{
    IMFStreamSink *stream_sink;
    IMFMediaSink *media_sink = NULL;
    IMFActivate *activate;
    DWORD characteristics = 0;
    IUnknown *object;
    UINT32 stream_id = 0;
    HRESULT hr;

    /* An output node with no object: E_FAIL, as Windows says (test_media_session_invalid_topology). */
    if (FAILED(IMFTopologyNode_GetObject(node, &object)) || !object) return E_FAIL;
    if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFStreamSink, (void **)&stream_sink)))
    {
        IMFStreamSink_Release(stream_sink);
        IUnknown_Release(object);
        return S_OK;
    }
    if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFActivate, (void **)&activate)))
    {
        hr = IMFActivate_ActivateObject(activate, &IID_IMFMediaSink, (void **)&media_sink);
        IMFActivate_Release(activate);
        if (FAILED(hr))
        {
            IUnknown_Release(object);
            return hr;
        }
        /* Remember where the sink came from: Shutdown shuts the activate down. */
        IMFTopologyNode_SetUnknown(node, &MFSESSION_NODE_ACTIVATE, object);
    }
    else if (FAILED(IUnknown_QueryInterface(object, &IID_IMFMediaSink, (void **)&media_sink)))
    {
        IUnknown_Release(object);
        return MF_E_TOPO_SINK_ACTIVATES_UNSUPPORTED;
    }
    IUnknown_Release(object);

    IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_STREAMID, &stream_id);
    if (FAILED(hr = IMFMediaSink_GetStreamSinkById(media_sink, stream_id, &stream_sink)))
    {
        IMFMediaSink_GetCharacteristics(media_sink, &characteristics);
        if (characteristics & MEDIASINK_FIXED_STREAMS)
            hr = MF_E_INVALIDSTREAMNUMBER;
        else
            hr = IMFMediaSink_AddStreamSink(media_sink, stream_id, NULL, &stream_sink);
    }
    IMFMediaSink_Release(media_sink);
    if (FAILED(hr)) return hr;
    hr = IMFTopologyNode_SetObject(node, (IUnknown *)stream_sink);
    IMFStreamSink_Release(stream_sink);
    return hr;
}

static HRESULT bind_outputs(IMFTopology *topology)
{
    IMFTopologyNode *node;
    MF_TOPOLOGY_TYPE type;
    WORD count, i;
    HRESULT hr = S_OK;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count && SUCCEEDED(hr); ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        if (SUCCEEDED(IMFTopologyNode_GetNodeType(node, &type)) && type == MF_TOPOLOGY_OUTPUT_NODE)
            hr = bind_output(node);
        IMFTopologyNode_Release(node);
    }
    return hr;
}

/* ---- the pipeline graph ---- */

static struct pnode *find_pnode(struct topology *t, TOPOID id)
{
    unsigned i;
    for (i = 0; i < t->node_count; ++i)
        if (t->nodes[i].id == id) return &t->nodes[i];
    return NULL;
}

static struct source *add_source(struct topology *t, IMFMediaSource *object, IMFPresentationDescriptor *pd)
{
    unsigned i;
    for (i = 0; i < t->source_count; ++i)
        if (t->sources[i].object == object) return &t->sources[i];
    i = t->source_count++;
    t->sources[i].topology = t;
    t->sources[i].object = object;
    IMFMediaSource_AddRef(object);
    t->sources[i].pd = pd;
    IMFPresentationDescriptor_AddRef(pd);
    IMFMediaSource_GetCharacteristics(object, &t->sources[i].characteristics);
    return &t->sources[i];
}

static void add_media_sink(struct topology *t, IMFMediaSink *object, IMFActivate *activate)
{
    unsigned i;
    for (i = 0; i < t->sink_count; ++i)
        if (t->sinks[i].object == object)
        {
            if (!t->sinks[i].activate && activate)
            {
                t->sinks[i].activate = activate;
                IMFActivate_AddRef(activate);
            }
            return;
        }
    i = t->sink_count++;
    t->sinks[i].object = object;
    IMFMediaSink_AddRef(object);
    if ((t->sinks[i].activate = activate)) IMFActivate_AddRef(activate);
    IMFMediaSink_GetCharacteristics(object, &t->sinks[i].characteristics);
}

static HRESULT alloc_ports(struct pnode *p, DWORD inputs, DWORD outputs)
{
    p->input_count = inputs;
    p->output_count = outputs;
    if (inputs && !(p->inputs = mfs_calloc(inputs, sizeof(*p->inputs)))) return E_OUTOFMEMORY;
    if (outputs && !(p->outputs = mfs_calloc(outputs, sizeof(*p->outputs)))) return E_OUTOFMEMORY;
    return S_OK;
}

static HRESULT build_node(struct topology *t, struct pnode *p)
{
    IMFPresentationDescriptor *pd;
    IMFMediaSource *source;
    MF_TOPOLOGY_TYPE type;
    IUnknown *object = NULL;
    DWORD in = 0, out = 0;
    HRESULT hr;

    IMFTopologyNode_GetTopoNodeID(p->node, &p->id);
    IMFTopologyNode_GetInputCount(p->node, &in);
    IMFTopologyNode_GetOutputCount(p->node, &out);
    if (FAILED(hr = IMFTopologyNode_GetNodeType(p->node, &type))) return hr;
    switch (type)
    {
    case MF_TOPOLOGY_SOURCESTREAM_NODE:
        p->kind = PNODE_SOURCE;
        if (FAILED(hr = node_get_source_stream(p->node, &source, &pd, &p->sd)))
        {
            if (source) IMFMediaSource_Release(source);
            if (pd) IMFPresentationDescriptor_Release(pd);
            return hr;
        }
        p->source = add_source(t, source, pd);
        IMFMediaSource_Release(source);
        IMFPresentationDescriptor_Release(pd);
        IMFStreamDescriptor_GetStreamIdentifier(p->sd, &p->stream_id);
        return alloc_ports(p, 0, out);

    case MF_TOPOLOGY_TRANSFORM_NODE:
        p->kind = PNODE_TRANSFORM;
        if (FAILED(IMFTopologyNode_GetObject(p->node, &object)) || !object) return MF_E_TOPO_UNSUPPORTED;
        if (FAILED(IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)&p->mft)))
        {
            IMFActivate *activate;
            hr = IUnknown_QueryInterface(object, &IID_IMFActivate, (void **)&activate);
            if (SUCCEEDED(hr))
            {
                hr = IMFActivate_ActivateObject(activate, &IID_IMFTransform, (void **)&p->mft);
                IMFActivate_Release(activate);
            }
            if (FAILED(hr))
            {
                IUnknown_Release(object);
                return MF_E_TOPO_UNSUPPORTED;
            }
        }
        IUnknown_Release(object);
        /* An asynchronous transform refuses every other call until unlocked. */
        if (FAILED(hr = async_mft_unlock(p))) return hr;
        {
            DWORD mft_in = 0, mft_out = 0;
            IMFTransform_GetStreamCount(p->mft, &mft_in, &mft_out);
            if (mft_in > in) in = mft_in;
            if (mft_out > out) out = mft_out;
        }
        return alloc_ports(p, in, out);

    case MF_TOPOLOGY_TEE_NODE:
        p->kind = PNODE_TEE;
        return alloc_ports(p, 1, out);

    case MF_TOPOLOGY_OUTPUT_NODE:
    {
        IUnknown *activate = NULL;
        IMFActivate *act = NULL;

        p->kind = PNODE_SINK;
        if (FAILED(IMFTopologyNode_GetObject(p->node, &object)) || !object) return E_FAIL;
        hr = IUnknown_QueryInterface(object, &IID_IMFStreamSink, (void **)&p->stream_sink);
        IUnknown_Release(object);
        if (FAILED(hr)) return MF_E_TOPO_SINK_ACTIVATES_UNSUPPORTED;
        if (FAILED(hr = IMFStreamSink_GetMediaSink(p->stream_sink, &p->media_sink))) return hr;
        if (SUCCEEDED(IMFTopologyNode_GetUnknown(p->node, &MFSESSION_NODE_ACTIVATE, &IID_IUnknown, (void **)&activate)))
        {
            IUnknown_QueryInterface(activate, &IID_IMFActivate, (void **)&act);
            IUnknown_Release(activate);
        }
        add_media_sink(t, p->media_sink, act);
        if (act) IMFActivate_Release(act);
        return alloc_ports(p, 1, 0);
    }
    default:
        return MF_E_TOPO_UNSUPPORTED;
    }
}

/* Kahn's algorithm: a topology the pipeline can pull through has no cycle. */
static BOOL has_cycle(struct topology *t)
{
    unsigned *indegree, *stack, top = 0, done = 0, i, j;
    BOOL cycle;

    indegree = mfs_calloc(t->node_count + 1, sizeof(*indegree));
    stack = mfs_calloc(t->node_count + 1, sizeof(*stack));
    if (!indegree || !stack)
    {
        mfs_free(indegree);
        mfs_free(stack);
        return TRUE;
    }
    for (i = 0; i < t->node_count; ++i)
        for (j = 0; j < t->nodes[i].input_count; ++j)
            if (t->nodes[i].inputs[j]) indegree[i]++;
    for (i = 0; i < t->node_count; ++i) if (!indegree[i]) stack[top++] = i;
    while (top)
    {
        struct pnode *p = &t->nodes[stack[--top]];
        ++done;
        for (j = 0; j < p->output_count; ++j)
        {
            unsigned k;
            if (!p->outputs[j]) continue;
            k = (unsigned)(p->outputs[j]->down - t->nodes);
            if (!--indegree[k]) stack[top++] = k;
        }
    }
    cycle = done != t->node_count;
    mfs_free(indegree);
    mfs_free(stack);
    return cycle;
}

static HRESULT build_edges(struct topology *t)
{
    unsigned i, j;

    for (i = 0; i < t->node_count; ++i)
    {
        struct pnode *up = &t->nodes[i];
        for (j = 0; j < up->output_count; ++j)
        {
            IMFTopologyNode *down_node;
            struct pnode *down;
            struct edge *edge;
            DWORD down_input;
            TOPOID id;

            if (FAILED(IMFTopologyNode_GetOutput(up->node, j, &down_node, &down_input))) continue;
            IMFTopologyNode_GetTopoNodeID(down_node, &id);
            IMFTopologyNode_Release(down_node);
            if (!(down = find_pnode(t, id)) || down_input >= down->input_count || down->inputs[down_input])
                return MF_E_TOPO_UNSUPPORTED;
            if (!(edge = mfs_calloc(1, sizeof(*edge)))) return E_OUTOFMEMORY;
            edge->up = up;
            edge->up_output = j;
            edge->down = down;
            edge->down_input = down_input;
            up->outputs[j] = edge;
            down->inputs[down_input] = edge;
        }
    }
    for (i = 0; i < t->node_count; ++i)
    {
        struct pnode *p = &t->nodes[i];
        /* A source stream that feeds nothing would never end the presentation. */
        if (p->kind == PNODE_SOURCE && (!p->output_count || !p->outputs[0])) return MF_E_TOPO_UNSUPPORTED;
        /* Every sink, tee and transform input must be fed. */
        for (j = 0; j < p->input_count; ++j)
            if (!p->inputs[j] && p->kind != PNODE_TRANSFORM) return MF_E_TOPO_UNSUPPORTED;
        if (p->kind == PNODE_TRANSFORM && p->input_count && !p->inputs[0]) return MF_E_TOPO_UNSUPPORTED;
    }
    if (has_cycle(t)) return MF_E_TOPO_UNSUPPORTED;
    return S_OK;
}

/* The media type an edge carries: the upstream node's current output type. */
static HRESULT edge_media_type(struct edge *edge, IMFMediaType **type)
{
    struct pnode *up = edge->up;
    IMFMediaTypeHandler *handler;
    HRESULT hr;

    switch (up->kind)
    {
    case PNODE_SOURCE:
        if (FAILED(hr = IMFStreamDescriptor_GetMediaTypeHandler(up->sd, &handler))) return hr;
        hr = IMFMediaTypeHandler_GetCurrentMediaType(handler, type);
        IMFMediaTypeHandler_Release(handler);
        return hr;
    case PNODE_TRANSFORM:
        return IMFTransform_GetOutputCurrentType(up->mft, edge->up_output, type);
    case PNODE_TEE:
        return up->inputs[0] ? edge_media_type(up->inputs[0], type) : MF_E_NOT_INITIALIZED;
    default:
        return E_UNEXPECTED;
    }
}

/* Every stream sink of a resolved topology gets the complete type of its
 * connection, the upstream output type with all its attributes, even one
 * that has that type already (observed: Windows calls SetCurrentMediaType in
 * every case of test_media_session_events, and a sample grabber created with
 * a partial type ends up with the frame size of the video it gets).  A sink
 * that refuses the complete type keeps the type it has. */
static void set_sink_types(struct topology *t)
{
    unsigned i;

    for (i = 0; i < t->node_count; ++i)
    {
        struct pnode *p = &t->nodes[i];
        IMFMediaTypeHandler *sink_handler;
        IMFMediaType *type;

        if (p->kind != PNODE_SINK || !p->inputs[0]) continue;
        if (FAILED(IMFStreamSink_GetMediaTypeHandler(p->stream_sink, &sink_handler))) continue;
        if (SUCCEEDED(edge_media_type(p->inputs[0], &type)))
        {
            IMFMediaTypeHandler_SetCurrentMediaType(sink_handler, type);
            IMFMediaType_Release(type);
        }
        IMFMediaTypeHandler_Release(sink_handler);
    }
}

static HRESULT topology_build(struct topology *t, BOOL resolved)
{
    WORD count, i;
    HRESULT hr;

    if (FAILED(hr = IMFTopology_GetNodeCount(t->object, &count))) return hr;
    if (!count) return E_INVALIDARG;
    if (!(t->nodes = mfs_calloc(count, sizeof(*t->nodes)))) return E_OUTOFMEMORY;
    if (!(t->sources = mfs_calloc(count, sizeof(*t->sources)))) return E_OUTOFMEMORY;
    if (!(t->sinks = mfs_calloc(count, sizeof(*t->sinks)))) return E_OUTOFMEMORY;
    for (i = 0; i < count; ++i)
    {
        struct pnode *p = &t->nodes[i];
        if (FAILED(hr = IMFTopology_GetNode(t->object, i, &p->node))) return hr;
        t->node_count = i + 1;
        if (FAILED(hr = build_node(t, p))) return hr;
    }
    if (FAILED(hr = build_edges(t))) return hr;
    for (i = 0; i < t->source_count; ++i)
    {
        UINT64 duration = 0;
        if (SUCCEEDED(IMFPresentationDescriptor_GetUINT64(t->sources[i].pd, &MF_PD_DURATION, &duration))
                && (LONGLONG)duration > t->duration)
            t->duration = duration;
    }
    if (!t->source_count) return MF_E_TOPO_MISSING_SOURCE;
    pipeline_refresh_node_attributes(t);
    /* A full topology is the client's: its sinks' types are left as they are (observed). */
    if (resolved) set_sink_types(t);
    return S_OK;
}

/* Every node a node connects to must be a node of this topology: Wine 8's
 * CloneFrom dereferences NULL on a connection to a node of another topology. */
static HRESULT check_connections(IMFTopology *topology)
{
    IMFTopologyNode *node, *down, *found;
    WORD count, i;
    DWORD outputs, j, input;
    TOPOID id;
    HRESULT hr = S_OK;

    if (FAILED(IMFTopology_GetNodeCount(topology, &count))) return E_INVALIDARG;
    for (i = 0; i < count && SUCCEEDED(hr); ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) return E_INVALIDARG;
        outputs = 0;
        IMFTopologyNode_GetOutputCount(node, &outputs);
        for (j = 0; j < outputs && SUCCEEDED(hr); ++j)
        {
            if (FAILED(IMFTopologyNode_GetOutput(node, j, &down, &input))) continue;
            IMFTopologyNode_GetTopoNodeID(down, &id);
            if (FAILED(IMFTopology_GetNodeByID(topology, id, &found))) hr = MF_E_TOPO_UNSUPPORTED;
            else
            {
                if (found != down) hr = MF_E_TOPO_UNSUPPORTED;
                IMFTopologyNode_Release(found);
            }
            IMFTopologyNode_Release(down);
        }
        IMFTopologyNode_Release(node);
    }
    return hr;
}

HRESULT topology_prepare(struct session *session, IMFTopology *input, DWORD flags, struct topology **out)
{
    struct topology *t;
    IMFTopology *clone = NULL;
    IMFTopoLoader *loader;
    HRESULT hr;

    *out = NULL;
    if (!(t = mfs_calloc(1, sizeof(*t)))) return E_OUTOFMEMORY;
    t->input = input;
    IMFTopology_AddRef(input);
    IMFTopology_GetTopologyID(input, &t->input_id);
    if (FAILED(hr = check_connections(input))) goto failed;

    if (flags & MFSESSION_SETTOPOLOGY_NORESOLUTION)
    {
        if (FAILED(hr = bind_outputs(input))) goto failed;
        t->object = input;
        IMFTopology_AddRef(input);
    }
    else
    {
        /* Resolve a copy: the client's partial topology is left as it was. */
        if (FAILED(hr = MFCreateTopology(&clone))) goto failed;
        if (FAILED(hr = IMFTopology_CloneFrom(clone, input))) goto failed;
        if (FAILED(hr = bind_outputs(clone))) goto failed;
        async_mft_unlock_topology(clone); /* the loader calls the transforms it finds */
        if (FAILED(hr = session_loader(session, &loader))) goto failed;
        if (FAILED(hr = TRACED_CALL(session, "loader.Load", IMFTopoLoader_Load(loader, clone, &t->object, NULL))))
            goto failed;
        IMFTopology_Release(clone);
        clone = NULL;
    }
    IMFTopology_GetTopologyID(t->object, &t->id);
    t->project_stop = -1;
    if (session->global_time)
    {
        /* The topology's place on the global timeline. */
        UINT64 value;
        if (SUCCEEDED(IMFTopology_GetUINT64(t->object, &MF_TOPOLOGY_PROJECTSTART, &value))) t->offset = value;
        if (SUCCEEDED(IMFTopology_GetUINT64(t->object, &MF_TOPOLOGY_PROJECTSTOP, &value))) t->project_stop = value;
    }
    if (FAILED(hr = topology_build(t, !(flags & MFSESSION_SETTOPOLOGY_NORESOLUTION)))) goto failed;
    shutdown_list_add_topology(session, t);
    t->caps = topology_caps(t);
    *out = t;
    return S_OK;

failed:
    if (clone) IMFTopology_Release(clone);
    topology_destroy(session, t);
    return hr;
}

DWORD topology_caps(struct topology *t)
{
    DWORD caps = MFSESSIONCAP_START | MFSESSIONCAP_SEEK | MFSESSIONCAP_PAUSE | MFSESSIONCAP_DOES_NOT_USE_NETWORK;
    unsigned i;

    for (i = 0; i < t->source_count; ++i)
    {
        DWORD c = t->sources[i].characteristics;
        if (!(c & MFMEDIASOURCE_CAN_SEEK)) caps &= ~MFSESSIONCAP_SEEK;
        if (!(c & MFMEDIASOURCE_CAN_PAUSE)) caps &= ~MFSESSIONCAP_PAUSE;
    }
    caps |= rate_caps(t);
    return caps;
}

HRESULT topology_make_current(struct session *session, struct topology *t)
{
    HRESULT hr;

    /* A first presentation attaches to its components when it starts
     * (presentation.c); one taking over a running presentation, now. */
    if (t->switching)
    {
        if (FAILED(hr = presentation_attach_sources(session, t))) return hr;
        if (FAILED(hr = presentation_attach_sinks(session, t))) return hr;
    }
    if (FAILED(hr = async_mft_attach(session, t))) return hr;
    session_propagate_low_latency(session, t);
    pipeline_prepare_transforms(t);
    pipeline_notify_transforms(t, MFT_MESSAGE_NOTIFY_BEGIN_STREAMING);
    t->begun_streaming = TRUE;
    return S_OK;
}

void topology_destroy(struct session *session, struct topology *t)
{
    unsigned i;

    if (!t) return;
    if (t->begun_streaming) pipeline_notify_transforms(t, MFT_MESSAGE_NOTIFY_END_STREAMING);
    pipeline_release(t);
    for (i = 0; i < t->source_count; ++i)
    {
        struct source *source = &t->sources[i];
        if (source->link)
        {
            event_link_detach(source->link);
            event_link_release(source->link);
        }
        if (source->object) IMFMediaSource_Release(source->object);
        if (source->pd) IMFPresentationDescriptor_Release(source->pd);
    }
    clock_release_sinks(session, t);
    for (i = 0; i < t->node_count; ++i)
    {
        struct pnode *p = &t->nodes[i];
        unsigned j;
        if (p->stream_link)
        {
            event_link_detach(p->stream_link);
            event_link_release(p->stream_link);
        }
        if (p->sink_link)
        {
            event_link_detach(p->sink_link);
            event_link_release(p->sink_link);
        }
        if (p->stream) IMFMediaStream_Release(p->stream);
        if (p->sd) IMFStreamDescriptor_Release(p->sd);
        async_mft_release(p);
        if (p->mft) IMFTransform_Release(p->mft);
        if (p->stream_sink) IMFStreamSink_Release(p->stream_sink);
        if (p->media_sink) IMFMediaSink_Release(p->media_sink);
        for (j = 0; j < p->output_count; ++j) mfs_free(p->outputs[j]);
        mfs_free(p->outputs);
        mfs_free(p->inputs);
        if (p->node)
        {
            IMFTopologyNode_DeleteItem(p->node, &MFSESSION_NODE_ACTIVATE);
            IMFTopologyNode_Release(p->node);
        }
    }
    /* Sinks are shut down at the session's Shutdown only (shutdown_list.c). */
    for (i = 0; i < t->sink_count; ++i)
    {
        struct media_sink *sink = &t->sinks[i];
        if (sink->activate) IMFActivate_Release(sink->activate);
        IMFMediaSink_Release(sink->object);
    }
    mfs_free(t->nodes);
    mfs_free(t->sources);
    mfs_free(t->sinks);
    if (t->object) IMFTopology_Release(t->object);
    if (t->input) IMFTopology_Release(t->input);
    mfs_free(t);
}

/* ---- what GetFullTopology can find ---- */

static void known_add(struct session *session, TOPOID id, IMFTopology *object)
{
    if (session->known_count == session->known_size)
    {
        unsigned size = session->known_size ? session->known_size * 2 : 4;
        void *known = realloc(session->known, size * sizeof(*session->known));
        if (!known) return;
        session->known = known;
        session->known_size = size;
    }
    session->known[session->known_count].id = id;
    session->known[session->known_count].object = object;
    IMFTopology_AddRef(object);
    session->known_count++;
}

void topology_remember(struct session *session, struct topology *t)
{
    EnterCriticalSection(&session->lock);
    known_add(session, t->input_id, t->object);
    if (t->id != t->input_id) known_add(session, t->id, t->object);
    LeaveCriticalSection(&session->lock);
}

/* References are dropped after the lock: a topology's last release reaches
 * its nodes' objects (sources, transforms, sinks). */
void topology_forget(struct session *session, struct topology *t)
{
    unsigned i = 0, dropped = 0;
    EnterCriticalSection(&session->lock);
    while (i < session->known_count)
    {
        if (session->known[i].object == t->object)
        {
            session->known[i] = session->known[--session->known_count];
            ++dropped;
        }
        else ++i;
    }
    LeaveCriticalSection(&session->lock);
    while (dropped--) IMFTopology_Release(t->object);
}

void topology_forget_all(struct session *session)
{
    IMFTopology *current;
    struct known_topology *known;
    unsigned i, count;

    EnterCriticalSection(&session->lock);
    known = session->known;
    count = session->known_count;
    session->known = NULL;
    session->known_count = session->known_size = 0;
    current = session->current_full;
    session->current_full = NULL;
    LeaveCriticalSection(&session->lock);
    for (i = 0; i < count; ++i) IMFTopology_Release(known[i].object);
    free(known);
    if (current) IMFTopology_Release(current);
}

static void set_low_latency(IUnknown *object)
{
    IMFAttributes *attributes;
    if (object && SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFAttributes, (void **)&attributes)))
    {
        IMFAttributes_SetUINT32(attributes, &MF_LOW_LATENCY, TRUE);
        IMFAttributes_Release(attributes);
    }
}

/* MF_LOW_LATENCY in the configuration or on the topology reaches sources,
 * transforms and sinks through their attributes. */
void session_propagate_low_latency(struct session *session, struct topology *t)
{
    UINT32 low_latency = session->low_latency;
    unsigned i;

    if (!low_latency) IMFTopology_GetUINT32(t->object, &MF_LOW_LATENCY, &low_latency);
    if (!low_latency) return;
    for (i = 0; i < t->source_count; ++i)
    {
        IMFMediaSourceEx *source_ex;
        IMFAttributes *attributes;
        /* A source takes attributes through IMFMediaSourceEx, else maybe as IMFAttributes. */
        if (SUCCEEDED(IMFMediaSource_QueryInterface(t->sources[i].object, &IID_IMFMediaSourceEx, (void **)&source_ex)))
        {
            if (SUCCEEDED(IMFMediaSourceEx_GetSourceAttributes(source_ex, &attributes)))
            {
                IMFAttributes_SetUINT32(attributes, &MF_LOW_LATENCY, TRUE);
                IMFAttributes_Release(attributes);
            }
            IMFMediaSourceEx_Release(source_ex);
        }
        else
            set_low_latency((IUnknown *)t->sources[i].object);
    }
    for (i = 0; i < t->sink_count; ++i) set_low_latency((IUnknown *)t->sinks[i].object);
    for (i = 0; i < t->node_count; ++i)
    {
        IMFAttributes *attributes;
        if (t->nodes[i].kind != PNODE_TRANSFORM) continue;
        if (SUCCEEDED(IMFTransform_GetAttributes(t->nodes[i].mft, &attributes)))
        {
            IMFAttributes_SetUINT32(attributes, &MF_LOW_LATENCY, TRUE);
            IMFAttributes_Release(attributes);
        }
    }
}
