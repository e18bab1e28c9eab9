/*
 * branch.c: connecting one upstream output to its downstream input.
 *
 * The order is the one Windows' loader follows (recorded by Wine's
 * test_topology_loader): a type the upstream node offers that the
 * downstream node takes as it is; else, where the downstream node's connect
 * method allows, a converter between them; else a decoder, followed by a
 * converter when the decoder's output is still not taken.
 *
 * What an upstream node offers: a source stream its current type (or its
 * first type when none is set), or every type its handler lists when the
 * topology asks for MF_TOPOLOGY_ENUMERATE_SOURCE_TYPES or the node for
 * MF_CONNECT_RESOLVE_INDEPENDENT_OUTPUTTYPES; a transform its output type
 * when set, else its available output types; a tee the type it receives.
 * What a downstream node takes: a stream sink what IsMediaTypeSupported
 * accepts; a transform its current input type, or what SetInputType accepts;
 * a tee anything.  A stream sink's own types are listed only when its
 * handler says MF_E_NOT_INITIALIZED (no current type but a list), as on
 * Windows; the loader never sets a stream sink's type (the session does).
 */
#include "loader_private.h"

struct upstream
{
    IMFTopologyNode *node;
    DWORD output;
    IMFMediaTypeHandler *handler;   /* source stream */
    IMFTransform *mft;              /* transform */
    BOOL output_set;                /* the transform's output type was set */
    IMFMediaType *fixed;            /* tee: the type it passes on */
    BOOL enumerate;                 /* several candidates: failing them all is MF_E_NO_MORE_TYPES */
};

struct downstream
{
    IMFTopologyNode *node;
    DWORD input;
    MF_TOPOLOGY_TYPE kind;
    IMFMediaTypeHandler *handler;   /* stream sink */
    BOOL surface;                   /* the stream sink renders from Direct3D surfaces (renderer.c) */
    HRESULT current_hr;             /* the stream sink's GetCurrentMediaType answer */
    IMFMediaType *current;          /* the stream sink's or transform's current (input) type */
    IMFTransform *mft;
};

UINT32 node_connect_method(IMFTopologyNode *node)
{
    UINT32 method;

    if (FAILED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_CONNECT_METHOD, &method)))
        method = MF_CONNECT_ALLOW_DECODER;
    return method;
}

static HRESULT node_transform(IMFTopologyNode *node, IMFTransform **mft)
{
    IMFActivate *activate;
    IUnknown *object;
    HRESULT hr;

    *mft = NULL;
    if (FAILED(IMFTopologyNode_GetObject(node, &object))) return MF_E_TOPO_UNSUPPORTED;
    if (SUCCEEDED(hr = IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)mft)))
    {
        IUnknown_Release(object);
        return S_OK;
    }
    /* A transform given as an activate is created now: its types are set
     * here, and the session finds the transform itself in the node. */
    hr = IUnknown_QueryInterface(object, &IID_IMFActivate, (void **)&activate);
    IUnknown_Release(object);
    if (FAILED(hr)) return MF_E_TOPO_UNSUPPORTED;
    hr = IMFActivate_ActivateObject(activate, &IID_IMFTransform, (void **)mft);
    IMFActivate_Release(activate);
    if (FAILED(hr)) return hr;
    IMFTopologyNode_SetObject(node, (IUnknown *)*mft);
    return S_OK;
}

static HRESULT source_handler(IMFTopologyNode *node, IMFMediaTypeHandler **handler)
{
    IMFStreamDescriptor *sd;
    HRESULT hr;

    if (FAILED(IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_STREAM_DESCRIPTOR, &IID_IMFStreamDescriptor,
            (void **)&sd)))
        return MF_E_TOPO_MISSING_STREAM_DESCRIPTOR;
    hr = IMFStreamDescriptor_GetMediaTypeHandler(sd, handler);
    IMFStreamDescriptor_Release(sd);
    return hr;
}

HRESULT node_output_type(IMFTopologyNode *node, DWORD output, IMFMediaType **type, unsigned int depth)
{
    IMFMediaTypeHandler *handler;
    IMFTopologyNode *up;
    MF_TOPOLOGY_TYPE kind;
    IMFTransform *mft;
    DWORD up_output;
    HRESULT hr;

    if (depth > 4096 || FAILED(IMFTopologyNode_GetNodeType(node, &kind))) return MF_E_TOPO_UNSUPPORTED;
    switch (kind)
    {
    case MF_TOPOLOGY_SOURCESTREAM_NODE:
        if (FAILED(hr = source_handler(node, &handler))) return hr;
        if (FAILED(hr = IMFMediaTypeHandler_GetCurrentMediaType(handler, type)))
            hr = IMFMediaTypeHandler_GetMediaTypeByIndex(handler, 0, type);
        IMFMediaTypeHandler_Release(handler);
        return hr;
    case MF_TOPOLOGY_TRANSFORM_NODE:
        if (FAILED(hr = node_transform(node, &mft))) return hr;
        hr = IMFTransform_GetOutputCurrentType(mft, output, type);
        IMFTransform_Release(mft);
        return hr;
    case MF_TOPOLOGY_TEE_NODE:
        if (FAILED(hr = IMFTopologyNode_GetInput(node, 0, &up, &up_output))) return MF_E_TOPO_UNSUPPORTED;
        hr = node_output_type(up, up_output, type, depth + 1);
        IMFTopologyNode_Release(up);
        return hr;
    default:
        return MF_E_TOPO_UNSUPPORTED;
    }
}

static void upstream_cleanup(struct upstream *u)
{
    if (u->handler) IMFMediaTypeHandler_Release(u->handler);
    if (u->mft) IMFTransform_Release(u->mft);
    if (u->fixed) IMFMediaType_Release(u->fixed);
}

static void downstream_cleanup(struct downstream *d)
{
    if (d->handler) IMFMediaTypeHandler_Release(d->handler);
    if (d->current) IMFMediaType_Release(d->current);
    if (d->mft) IMFTransform_Release(d->mft);
    if (d->node) IMFTopologyNode_Release(d->node);
}

static HRESULT upstream_init(struct resolve *r, IMFTopologyNode *node, DWORD output, struct upstream *u)
{
    MF_TOPOLOGY_TYPE kind;
    IMFMediaType *type;
    HRESULT hr;

    memset(u, 0, sizeof(*u));
    u->node = node;
    u->output = output;
    if (FAILED(IMFTopologyNode_GetNodeType(node, &kind))) return MF_E_TOPO_UNSUPPORTED;
    switch (kind)
    {
    case MF_TOPOLOGY_SOURCESTREAM_NODE:
        u->enumerate = r->enumerate_source_types
                || (node_connect_method(node) & MF_CONNECT_RESOLVE_INDEPENDENT_OUTPUTTYPES);
        return source_handler(node, &u->handler);
    case MF_TOPOLOGY_TRANSFORM_NODE:
        if (FAILED(hr = node_transform(node, &u->mft))) return hr;
        mft_unlock(u->mft);
        if (SUCCEEDED(IMFTransform_GetOutputCurrentType(u->mft, output, &type)))
        {
            u->output_set = TRUE;
            IMFMediaType_Release(type);
        }
        u->enumerate = !u->output_set;
        return S_OK;
    case MF_TOPOLOGY_TEE_NODE:
        return node_output_type(node, 0, &u->fixed, 0);
    default:
        return MF_E_TOPO_UNSUPPORTED;
    }
}

/* A bare type completed from the transform's input (types.c). */
static HRESULT complete_from_input(IMFTransform *mft, IMFMediaType *bare, IMFMediaType **type)
{
    IMFMediaType *input = NULL;
    HRESULT hr;

    if (FAILED(IMFTransform_GetInputCurrentType(mft, 0, &input))) input = NULL;
    hr = type_complete(bare, input, type);
    if (input) IMFMediaType_Release(input);
    return hr;
}

static HRESULT upstream_type(struct upstream *u, DWORD index, IMFMediaType **type)
{
    IMFMediaType *bare;
    HRESULT hr;

    *type = NULL;
    if (u->handler)
    {
        if (u->enumerate) return IMFMediaTypeHandler_GetMediaTypeByIndex(u->handler, index, type);
        if (index) return MF_E_NO_MORE_TYPES;
        if (FAILED(hr = IMFMediaTypeHandler_GetCurrentMediaType(u->handler, type)))
            hr = IMFMediaTypeHandler_GetMediaTypeByIndex(u->handler, 0, type);
        return hr;
    }
    if (u->mft)
    {
        if (u->output_set)
            return index ? MF_E_NO_MORE_TYPES : IMFTransform_GetOutputCurrentType(u->mft, u->output, type);
        if (FAILED(hr = IMFTransform_GetOutputAvailableType(u->mft, u->output, index, &bare))) return hr;
        hr = complete_from_input(u->mft, bare, type);
        IMFMediaType_Release(bare);
        return hr;
    }
    if (index || !u->fixed) return MF_E_NO_MORE_TYPES;
    *type = u->fixed;
    IMFMediaType_AddRef(*type);
    return S_OK;
}

/* Makes the upstream node hand out `type`. */
static HRESULT upstream_apply(struct upstream *u, IMFMediaType *type)
{
    IMFMediaType *current;
    DWORD flags;
    HRESULT hr;

    if (u->handler)
    {
        if (SUCCEEDED(IMFMediaTypeHandler_GetCurrentMediaType(u->handler, &current)))
        {
            hr = IMFMediaType_IsEqual(current, type, &flags);
            IMFMediaType_Release(current);
            if (hr == S_OK) return S_OK;
        }
        else if (!u->enumerate)
            return S_OK; /* the stream's first type is its default: left unset, as the platform leaves it */
        return IMFMediaTypeHandler_SetCurrentMediaType(u->handler, type);
    }
    if (u->mft && !u->output_set)
    {
        if (FAILED(hr = IMFTransform_SetOutputType(u->mft, u->output, type, 0))) return hr;
        u->output_set = TRUE;
    }
    return S_OK;
}

static HRESULT downstream_init(IMFTopologyNode *node, DWORD input, struct downstream *d)
{
    IMFStreamSink *stream_sink;
    IMFMediaSink *media_sink;
    IMFActivate *activate;
    IUnknown *object;
    UINT32 stream_id;
    HRESULT hr;

    memset(d, 0, sizeof(*d));
    d->node = node;
    IMFTopologyNode_AddRef(node);
    d->input = input;
    d->current_hr = E_FAIL;
    if (FAILED(IMFTopologyNode_GetNodeType(node, &d->kind))) return MF_E_TOPO_UNSUPPORTED;
    switch (d->kind)
    {
    case MF_TOPOLOGY_OUTPUT_NODE:
        if (FAILED(IMFTopologyNode_GetObject(node, &object))) return MF_E_TOPO_UNSUPPORTED;
        if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFStreamSink, (void **)&stream_sink))) {}
        else if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFMediaSink, (void **)&media_sink)))
        {
            /* A media sink: its stream sink named by MF_TOPONODE_STREAMID. */
            if (FAILED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_STREAMID, &stream_id))) stream_id = 0;
            hr = IMFMediaSink_GetStreamSinkById(media_sink, stream_id, &stream_sink);
            IMFMediaSink_Release(media_sink);
            if (FAILED(hr))
            {
                IUnknown_Release(object);
                return hr;
            }
            IMFTopologyNode_SetObject(node, (IUnknown *)stream_sink);
        }
        else
        {
            /* Windows' loader leaves activation to the session. */
            hr = IUnknown_QueryInterface(object, &IID_IMFActivate, (void **)&activate);
            IUnknown_Release(object);
            if (SUCCEEDED(hr)) IMFActivate_Release(activate);
            return SUCCEEDED(hr) ? MF_E_TOPO_SINK_ACTIVATES_UNSUPPORTED : MF_E_TOPO_UNSUPPORTED;
        }
        IUnknown_Release(object);
        hr = IMFStreamSink_GetMediaTypeHandler(stream_sink, &d->handler);
        IMFStreamSink_Release(stream_sink);
        if (FAILED(hr)) return hr;
        d->surface = renderer_surface_sink(node);
        d->current_hr = IMFMediaTypeHandler_GetCurrentMediaType(d->handler, &d->current);
        if (FAILED(d->current_hr)) d->current = NULL;
        return S_OK;
    case MF_TOPOLOGY_TRANSFORM_NODE:
        if (FAILED(hr = node_transform(node, &d->mft))) return hr;
        mft_unlock(d->mft);
        if (FAILED(IMFTransform_GetInputCurrentType(d->mft, input, &d->current))) d->current = NULL;
        return S_OK;
    case MF_TOPOLOGY_TEE_NODE:
        return S_OK;
    default:
        return MF_E_TOPO_UNSUPPORTED;
    }
}

static HRESULT downstream_accept(struct downstream *d, IMFMediaType *type)
{
    DWORD flags = 0;
    const DWORD same = MF_MEDIATYPE_EQUAL_MAJOR_TYPES | MF_MEDIATYPE_EQUAL_FORMAT_TYPES
            | MF_MEDIATYPE_EQUAL_FORMAT_DATA;

    switch (d->kind)
    {
    case MF_TOPOLOGY_OUTPUT_NODE:
        return IMFMediaTypeHandler_IsMediaTypeSupported(d->handler, type, NULL);
    case MF_TOPOLOGY_TRANSFORM_NODE:
        if (d->current)
        {
            IMFMediaType_IsEqual(d->current, type, &flags);
            return (flags & same) == same ? S_OK : MF_E_INVALIDMEDIATYPE;
        }
        return IMFTransform_SetInputType(d->mft, d->input, type, 0);
    default:
        return S_OK;
    }
}

/* The types the downstream node would rather have, for an inserted
 * transform to produce. */
static HRESULT downstream_preferred(struct downstream *d, DWORD index, IMFMediaType **type)
{
    *type = NULL;
    if (d->current)
    {
        if (index) return MF_E_NO_MORE_TYPES;
        *type = d->current;
        IMFMediaType_AddRef(*type);
        return S_OK;
    }
    if (d->kind == MF_TOPOLOGY_OUTPUT_NODE && d->current_hr == MF_E_NOT_INITIALIZED)
        return IMFMediaTypeHandler_GetMediaTypeByIndex(d->handler, index, type);
    if (d->kind == MF_TOPOLOGY_TRANSFORM_NODE)
        return IMFTransform_GetInputAvailableType(d->mft, d->input, index, type);
    return MF_E_NO_MORE_TYPES;
}

static HRESULT connect_direct(struct upstream *u, struct downstream *d)
{
    HRESULT hr, last = MF_E_INVALIDMEDIATYPE;
    IMFMediaType *type;
    unsigned int pass, last_pass = 2;
    BOOL prefer;
    DWORD i;

    /* A transform choosing its output for a surface sink offers the sink's
     * render-target formats first, by rank (renderer.c), then the rest in
     * its own order. */
    prefer = d->surface && u->mft && !u->output_set;
    for (pass = prefer ? 0 : last_pass; pass <= last_pass; ++pass)
    {
        for (i = 0; ; ++i)
        {
            if (FAILED(hr = upstream_type(u, i, &type)))
            {
                if (!i && hr != MF_E_NO_MORE_TYPES) last = hr;
                break;
            }
            if (prefer && renderer_target_rank(type) != pass)
            {
                IMFMediaType_Release(type);
                continue;
            }
            if (SUCCEEDED(hr = downstream_accept(d, type))) hr = upstream_apply(u, type);
            IMFMediaType_Release(type);
            if (SUCCEEDED(hr)) return S_OK;
            last = hr;
            if (!u->enumerate) break;
        }
    }
    return u->enumerate ? MF_E_NO_MORE_TYPES : last;
}

/* An inserted (or type-less) transform set straight to a type the
 * downstream node asks for. */
static HRESULT connect_preferred(struct upstream *u, struct downstream *d)
{
    IMFMediaType *type, *wanted;
    HRESULT hr;
    DWORD i;

    if (!u->mft || u->output_set) return MF_E_NO_MORE_TYPES;
    for (i = 0; SUCCEEDED(downstream_preferred(d, i, &wanted)); ++i)
    {
        /* A sink's partial type (a subtype only) gets what the transform receives. */
        hr = complete_from_input(u->mft, wanted, &type);
        IMFMediaType_Release(wanted);
        if (FAILED(hr)) return hr;
        hr = IMFTransform_SetOutputType(u->mft, u->output, type, 0);
        if (SUCCEEDED(hr) && FAILED(hr = downstream_accept(d, type)))
            IMFTransform_SetOutputType(u->mft, u->output, NULL, 0);
        IMFMediaType_Release(type);
        if (SUCCEEDED(hr))
        {
            u->output_set = TRUE;
            return S_OK;
        }
        if (i >= 64) break;
    }
    return MF_E_NO_MORE_TYPES;
}

static HRESULT insert_transform(struct resolve *r, struct upstream *u, struct downstream *d, IMFTransform *mft,
        const GUID *clsid, BOOL decoder, IMFTopologyNode **out)
{
    IMFTopologyNode *node;
    HRESULT hr;

    *out = NULL;
    if (FAILED(hr = MFCreateTopologyNode(MF_TOPOLOGY_TRANSFORM_NODE, &node))) return hr;
    IMFTopologyNode_SetObject(node, (IUnknown *)mft);
    /* Every inserted node names its transform's class, as Windows' do; a
     * transform registered by class factory that names none gets GUID_NULL
     * ("no class") rather than no attribute. */
    IMFTopologyNode_SetGUID(node, &MF_TOPONODE_TRANSFORM_OBJECTID, clsid);
    if (decoder)
    {
        /* As Windows marks a decoder it inserts (test_topology_loader). */
        IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_DECODER, 1);
        IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_MARKIN_HERE, 1);
        IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_MARKOUT_HERE, 1);
    }
    if (SUCCEEDED(hr = IMFTopology_AddNode(r->topology, node))
            && SUCCEEDED(hr = IMFTopologyNode_ConnectOutput(u->node, u->output, node, 0)))
        hr = IMFTopologyNode_ConnectOutput(node, 0, d->node, d->input);
    if (FAILED(hr))
    {
        IMFTopology_RemoveNode(r->topology, node);
        IMFTopologyNode_ConnectOutput(u->node, u->output, d->node, d->input);
        IMFTopologyNode_Release(node);
        return hr;
    }
    *out = node;
    return S_OK;
}

static void remove_transform(struct resolve *r, struct upstream *u, struct downstream *d, IMFTopologyNode *node)
{
    IMFTopologyNode_DisconnectOutput(node, 0);
    IMFTopologyNode_ConnectOutput(u->node, u->output, d->node, d->input);
    IMFTopology_RemoveNode(r->topology, node);
    IMFTopologyNode_Release(node);
}

static HRESULT connect_method(struct resolve *r, struct upstream *u, struct downstream *d, UINT32 method);

/* Tries the transforms of one role between `u` (offering `type`) and `d`. */
static HRESULT try_transforms(struct resolve *r, enum mft_role role, struct upstream *u, IMFMediaType *type,
        struct downstream *d, BOOL *found)
{
    IMFActivate **activates;
    IMFTopologyNode *node;
    IMFMediaType *preferred;
    struct upstream inner;
    GUID subtype, clsid;
    BOOL have_subtype = FALSE;
    IMFTransform *mft;
    UINT32 count, i;
    HRESULT hr;

    if (role == MFT_ROLE_CONVERTER && SUCCEEDED(downstream_preferred(d, 0, &preferred)))
    {
        have_subtype = SUCCEEDED(IMFMediaType_GetGUID(preferred, &MF_MT_SUBTYPE, &subtype));
        IMFMediaType_Release(preferred);
    }
    if (FAILED(hr = mftenum_find(r, role, type, have_subtype ? &subtype : NULL, &activates, &count))) return hr;
    hr = E_FAIL;
    for (i = 0; i < count; ++i)
    {
        if (FAILED(mftenum_activate(activates[i], &mft, &clsid))) continue;
        if (FAILED(IMFTransform_SetInputType(mft, 0, type, 0)))
        {
            IMFActivate_ShutdownObject(activates[i]);
            IMFTransform_Release(mft);
            continue;
        }
        *found = TRUE;
        if (FAILED(hr = insert_transform(r, u, d, mft, &clsid, role == MFT_ROLE_DECODER, &node)))
        {
            IMFTransform_Release(mft);
            break;
        }
        memset(&inner, 0, sizeof(inner));
        inner.node = node;
        inner.mft = mft;
        inner.enumerate = TRUE;
        if (role == MFT_ROLE_DECODER)
            hr = connect_method(r, &inner, d, MF_CONNECT_ALLOW_CONVERTER);
        else if (FAILED(hr = connect_preferred(&inner, d)))
            hr = connect_direct(&inner, d);
        if (SUCCEEDED(hr)) hr = upstream_apply(u, type);
        IMFTransform_Release(mft);
        if (SUCCEEDED(hr))
        {
            IMFTopologyNode_Release(node);
            break;
        }
        remove_transform(r, u, d, node);
        IMFActivate_ShutdownObject(activates[i]);
    }
    mftenum_free(activates, count);
    return hr;
}

static HRESULT connect_through(struct resolve *r, enum mft_role role, struct upstream *u, struct downstream *d)
{
    IMFMediaType *type;
    BOOL found = FALSE;
    HRESULT hr;
    DWORD i;

    for (i = 0; SUCCEEDED(upstream_type(u, i, &type)); ++i)
    {
        hr = try_transforms(r, role, u, type, d, &found);
        IMFMediaType_Release(type);
        if (SUCCEEDED(hr)) return S_OK;
        if (hr == E_OUTOFMEMORY) return hr;
        if (!u->enumerate || i >= 256) break;
    }
    return role == MFT_ROLE_DECODER ? MF_E_TOPO_CODEC_NOT_FOUND
            : MF_E_TRANSFORM_NOT_POSSIBLE_FOR_CURRENT_MEDIATYPE_COMBINATION;
}

static HRESULT connect_method(struct resolve *r, struct upstream *u, struct downstream *d, UINT32 method)
{
    HRESULT hr;

    if (SUCCEEDED(hr = connect_direct(u, d))) return hr;
    if (method & MF_CONNECT_ALLOW_CONVERTER)
    {
        if (SUCCEEDED(connect_preferred(u, d))) return S_OK;
        if (SUCCEEDED(hr = connect_through(r, MFT_ROLE_CONVERTER, u, d))) return hr;
    }
    if ((method & MF_CONNECT_ALLOW_DECODER) == MF_CONNECT_ALLOW_DECODER)
        hr = connect_through(r, MFT_ROLE_DECODER, u, d);
    return hr;
}

/* Whether every branch after a tee takes `type` as it is. */
static BOOL tee_takes(IMFTopologyNode *tee, IMFMediaType *type, unsigned int depth)
{
    struct downstream d;
    IMFTopologyNode *down;
    DWORD count, i, input;
    BOOL takes = TRUE;

    if (depth > 64 || FAILED(IMFTopologyNode_GetOutputCount(tee, &count))) return FALSE;
    for (i = 0; i < count && takes; ++i)
    {
        if (FAILED(IMFTopologyNode_GetOutput(tee, i, &down, &input))) continue;
        if (FAILED(downstream_init(down, input, &d))) takes = FALSE;
        else if (d.kind == MF_TOPOLOGY_TEE_NODE) takes = tee_takes(down, type, depth + 1);
        else if (d.kind == MF_TOPOLOGY_TRANSFORM_NODE && !d.current)
            takes = SUCCEEDED(IMFTransform_SetInputType(d.mft, input, type, MFT_SET_TYPE_TEST_ONLY));
        else takes = SUCCEEDED(downstream_accept(&d, type));
        downstream_cleanup(&d);
        IMFTopologyNode_Release(down);
    }
    return takes;
}

HRESULT branch_resolve(struct resolve *r, IMFTopologyNode *up, DWORD output)
{
    struct downstream d;
    struct upstream u;
    IMFTopologyNode *down;
    IMFMediaType *type;
    BOOL compressed = FALSE;
    DWORD input;
    HRESULT hr;

    if (FAILED(IMFTopologyNode_GetOutput(up, output, &down, &input))) return S_OK;
    hr = downstream_init(down, input, &d);
    IMFTopologyNode_Release(down);
    if (SUCCEEDED(hr)) hr = upstream_init(r, up, output, &u);
    else memset(&u, 0, sizeof(u));
    if (SUCCEEDED(hr))
    {
        if (d.kind == MF_TOPOLOGY_TEE_NODE)
        {
            /* One decoder before the tee when a branch after it cannot take
             * the compressed type: every branch then gets the decoded type. */
            if (SUCCEEDED(upstream_type(&u, 0, &type)))
            {
                compressed = !type_is_raw(type);
                if (compressed) compressed = !tee_takes(d.node, type, 0);
                IMFMediaType_Release(type);
            }
            /* A subtype types.c does not know as raw may still be one:
             * without a decoder for it, the tee simply passes it on. */
            if (!compressed || FAILED(hr = connect_through(r, MFT_ROLE_DECODER, &u, &d)))
                hr = connect_direct(&u, &d);
        }
        else
            hr = connect_method(r, &u, &d, node_connect_method(d.node));
    }
    upstream_cleanup(&u);
    downstream_cleanup(&d);
    return hr;
}
