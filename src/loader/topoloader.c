/*
 * topoloader.c: the loader object (IMFTopoLoader) and Load.
 *
 * Load checks the partial topology (every connection inside it, no cycles,
 * sources and sinks connected), copies it (same topology and node ids, the
 * input is never changed), then resolves each connection in upstream-first
 * order (branch.c).  A branch that cannot be resolved fails the whole call
 * with its code, unless the node it leads to is optional
 * (MF_CONNECT_AS_OPTIONAL, or MF_CONNECT_AS_OPTIONAL_BRANCH on it or on a
 * node above it): then that node and everything below it is dropped.
 */
#include <stdlib.h>

#include "loader_private.h"

/* Far more nodes than any real topology has; bounds the checks' work. */
#define MAX_NODES 4096

struct topoloader
{
    IMFTopoLoader IMFTopoLoader_iface;
    LONG refcount;
};

static struct topoloader *impl_from_IMFTopoLoader(IMFTopoLoader *iface)
{
    return CONTAINING_RECORD(iface, struct topoloader, IMFTopoLoader_iface);
}

static HRESULT WINAPI topoloader_QueryInterface(IMFTopoLoader *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IMFTopoLoader) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFTopoLoader_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI topoloader_AddRef(IMFTopoLoader *iface)
{
    struct topoloader *loader = impl_from_IMFTopoLoader(iface);
    return InterlockedIncrement(&loader->refcount);
}

static ULONG WINAPI topoloader_Release(IMFTopoLoader *iface)
{
    struct topoloader *loader = impl_from_IMFTopoLoader(iface);
    ULONG refcount = InterlockedDecrement(&loader->refcount);

    if (!refcount)
    {
        free(loader);
        module_unlock();
    }
    return refcount;
}

struct graph
{
    IMFTopologyNode **nodes;
    TOPOID *order;      /* ids, upstream first */
    WORD count;
};

static void graph_cleanup(struct graph *g)
{
    WORD i;

    for (i = 0; g->nodes && i < g->count; ++i)
        if (g->nodes[i]) IMFTopologyNode_Release(g->nodes[i]);
    free(g->nodes);
    free(g->order);
}

static int graph_index(struct graph *g, IMFTopologyNode *node)
{
    WORD i;
    for (i = 0; i < g->count; ++i)
        if (g->nodes[i] == node) return i;
    return -1;
}

/* Every connection stays inside the topology, every source and sink is
 * connected, and there is no cycle (Kahn's order, which Load then follows). */
static HRESULT graph_check(IMFTopology *topology, struct graph *g)
{
    DWORD inputs, outputs, j, index;
    IMFTopologyNode *other;
    MF_TOPOLOGY_TYPE kind;
    WORD *pending, i, head = 0, tail = 0, done = 0;
    HRESULT hr = S_OK;
    int k;

    memset(g, 0, sizeof(*g));
    if (FAILED(IMFTopology_GetNodeCount(topology, &g->count)) || !g->count) return MF_E_TOPO_UNSUPPORTED;
    if (g->count > MAX_NODES) return MF_E_TOPO_UNSUPPORTED;
    g->nodes = calloc(g->count, sizeof(*g->nodes));
    g->order = calloc(g->count, sizeof(*g->order));
    pending = calloc(g->count, sizeof(*pending));
    if (!g->nodes || !g->order || !pending)
    {
        free(pending);
        return E_OUTOFMEMORY;
    }
    for (i = 0; i < g->count; ++i)
        if (FAILED(IMFTopology_GetNode(topology, i, &g->nodes[i]))) { hr = MF_E_TOPO_UNSUPPORTED; goto done; }

    for (i = 0; i < g->count && SUCCEEDED(hr); ++i)
    {
        DWORD connected_in = 0, connected_out = 0;

        IMFTopologyNode_GetNodeType(g->nodes[i], &kind);
        IMFTopologyNode_GetInputCount(g->nodes[i], &inputs);
        IMFTopologyNode_GetOutputCount(g->nodes[i], &outputs);
        for (j = 0; j < inputs && SUCCEEDED(hr); ++j)
        {
            if (FAILED(IMFTopologyNode_GetInput(g->nodes[i], j, &other, &index))) continue;
            if (graph_index(g, other) < 0) hr = MF_E_TOPO_UNSUPPORTED; /* a node of another topology */
            IMFTopologyNode_Release(other);
            ++connected_in;
        }
        for (j = 0; j < outputs && SUCCEEDED(hr); ++j)
        {
            if (FAILED(IMFTopologyNode_GetOutput(g->nodes[i], j, &other, &index))) continue;
            if (graph_index(g, other) < 0) hr = MF_E_TOPO_UNSUPPORTED;
            IMFTopologyNode_Release(other);
            ++connected_out;
        }
        if (kind == MF_TOPOLOGY_SOURCESTREAM_NODE && (connected_in || !connected_out)) hr = MF_E_TOPO_UNSUPPORTED;
        if (kind == MF_TOPOLOGY_OUTPUT_NODE && (!connected_in || connected_out)) hr = MF_E_TOPO_UNSUPPORTED;
        pending[i] = (WORD)connected_in;
    }
    if (FAILED(hr)) goto done;

    /* Kahn: a node is ready once every node feeding it was placed. */
    for (i = 0; i < g->count; ++i)
        if (!pending[i]) IMFTopologyNode_GetTopoNodeID(g->nodes[i], &g->order[tail++]);
    while (head < tail)
    {
        IMFTopologyNode *node = NULL;
        for (i = 0; i < g->count; ++i)
        {
            TOPOID id;
            IMFTopologyNode_GetTopoNodeID(g->nodes[i], &id);
            if (id == g->order[head]) { node = g->nodes[i]; break; }
        }
        ++head;
        ++done;
        if (!node) continue;
        IMFTopologyNode_GetOutputCount(node, &outputs);
        for (j = 0; j < outputs; ++j)
        {
            if (FAILED(IMFTopologyNode_GetOutput(node, j, &other, &index))) continue;
            k = graph_index(g, other);
            IMFTopologyNode_Release(other);
            if (k >= 0 && pending[k] && !--pending[k]) IMFTopologyNode_GetTopoNodeID(other, &g->order[tail++]);
        }
    }
    if (done != g->count) hr = MF_E_TOPO_LOOPS_IN_TOPOLOGY;

done:
    free(pending);
    return hr;
}

/* The objects each node needs before anything is resolved. */
static HRESULT check_objects(struct graph *g)
{
    IUnknown *object;
    MF_TOPOLOGY_TYPE kind;
    WORD i;

    for (i = 0; i < g->count; ++i)
    {
        IMFTopologyNode_GetNodeType(g->nodes[i], &kind);
        switch (kind)
        {
        case MF_TOPOLOGY_SOURCESTREAM_NODE:
            if (FAILED(IMFTopologyNode_GetUnknown(g->nodes[i], &MF_TOPONODE_STREAM_DESCRIPTOR, &IID_IUnknown,
                    (void **)&object)))
                return MF_E_TOPO_MISSING_STREAM_DESCRIPTOR;
            IUnknown_Release(object);
            break;
        case MF_TOPOLOGY_OUTPUT_NODE:
        case MF_TOPOLOGY_TRANSFORM_NODE:
            if (FAILED(IMFTopologyNode_GetObject(g->nodes[i], &object))) return MF_E_TOPO_UNSUPPORTED;
            IUnknown_Release(object);
            break;
        case MF_TOPOLOGY_TEE_NODE:
            break;
        default:
            return MF_E_TOPO_UNSUPPORTED;
        }
    }
    return S_OK;
}

static BOOL branch_optional(IMFTopologyNode *down)
{
    IMFTopologyNode *node = down, *up;
    unsigned int depth;
    DWORD index;
    UINT32 method;
    BOOL optional;

    method = node_connect_method(down);
    if (method & (MF_CONNECT_AS_OPTIONAL | MF_CONNECT_AS_OPTIONAL_BRANCH)) return TRUE;
    /* An optional branch makes every node below its head optional too. */
    IMFTopologyNode_AddRef(node);
    for (depth = 0, optional = FALSE; depth < MAX_NODES && !optional; ++depth)
    {
        if (FAILED(IMFTopologyNode_GetInput(node, 0, &up, &index))) break;
        IMFTopologyNode_Release(node);
        node = up;
        if (SUCCEEDED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_CONNECT_METHOD, &method))
                && (method & MF_CONNECT_AS_OPTIONAL_BRANCH))
            optional = TRUE;
    }
    IMFTopologyNode_Release(node);
    return optional;
}

/* Drops a node and every node below it that nothing else feeds. */
static void drop_branch(IMFTopology *topology, IMFTopologyNode *node, unsigned int depth)
{
    IMFTopologyNode *down;
    DWORD count, index, inputs, i, j, fed;

    if (depth > MAX_NODES) return;
    IMFTopologyNode_GetOutputCount(node, &count);
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopologyNode_GetOutput(node, i, &down, &index))) continue;
        IMFTopologyNode_DisconnectOutput(node, i);
        IMFTopologyNode_GetInputCount(down, &inputs);
        for (j = 0, fed = 0; j < inputs; ++j)
        {
            IMFTopologyNode *up;
            if (SUCCEEDED(IMFTopologyNode_GetInput(down, j, &up, &index)))
            {
                ++fed;
                IMFTopologyNode_Release(up);
            }
        }
        if (!fed) drop_branch(topology, down, depth + 1);
        IMFTopologyNode_Release(down);
    }
    IMFTopology_RemoveNode(topology, node);
}

static HRESULT resolve_node(struct resolve *r, IMFTopologyNode *node)
{
    IMFTopologyNode *down;
    DWORD count, i, index;
    HRESULT hr;

    IMFTopologyNode_GetOutputCount(node, &count);
    for (i = 0; i < count; ++i)
    {
        if (FAILED(hr = branch_resolve(r, node, i)))
        {
            if (FAILED(IMFTopologyNode_GetOutput(node, i, &down, &index))) return hr;
            if (!branch_optional(down))
            {
                IMFTopologyNode_Release(down);
                return hr;
            }
            IMFTopologyNode_DisconnectOutput(node, i);
            drop_branch(r->topology, down, 0);
            IMFTopologyNode_Release(down);
        }
    }
    return S_OK;
}

/* What Windows adds to a resolved topology's nodes. */
static void mark_resolved(IMFTopology *topology)
{
    IMFTopologyNode *node, *up;
    IMFMediaType *type;
    DWORD output;
    MF_TOPOLOGY_TYPE kind;
    WORD count, i;
    UINT64 start;
    UINT32 id;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        IMFTopologyNode_GetNodeType(node, &kind);
        if (kind == MF_TOPOLOGY_SOURCESTREAM_NODE
                && FAILED(IMFTopologyNode_GetUINT64(node, &MF_TOPONODE_MEDIASTART, &start)))
            IMFTopologyNode_SetUINT64(node, &MF_TOPONODE_MEDIASTART, 0);
        if (kind == MF_TOPOLOGY_OUTPUT_NODE && FAILED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_STREAMID, &id)))
            IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_STREAMID, 0);
        /* Windows gives an output node the type of its connection as its
         * preferred input type; a source node keeps none. */
        if (kind == MF_TOPOLOGY_OUTPUT_NODE && SUCCEEDED(IMFTopologyNode_GetInput(node, 0, &up, &output)))
        {
            if (SUCCEEDED(node_output_type(up, output, &type, 0)))
            {
                IMFTopologyNode_SetInputPrefType(node, 0, type);
                IMFMediaType_Release(type);
            }
            IMFTopologyNode_Release(up);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_SetUINT32(topology, &MF_TOPOLOGY_RESOLUTION_STATUS, MF_TOPOLOGY_RESOLUTION_SUCCEEDED);
}

static HRESULT WINAPI topoloader_Load(IMFTopoLoader *iface, IMFTopology *input, IMFTopology **output,
        IMFTopology *current)
{
    struct resolve r = {0};
    struct graph g;
    IMFTopologyNode *node;
    UINT32 value;
    HRESULT hr;
    WORD i;

    if (!output) return E_POINTER;
    *output = NULL;
    if (!input) return E_POINTER;

    hr = graph_check(input, &g);
    if (SUCCEEDED(hr)) hr = check_objects(&g);
    if (SUCCEEDED(hr) && SUCCEEDED(hr = MFCreateTopology(&r.topology)))
        hr = IMFTopology_CloneFrom(r.topology, input);
    if (FAILED(hr)) goto failed;

    r.enum_flags = MFT_ENUM_FLAG_SYNCMFT | MFT_ENUM_FLAG_ASYNCMFT | MFT_ENUM_FLAG_SORTANDFILTER;
    if (SUCCEEDED(IMFTopology_GetUINT32(input, &MF_TOPOLOGY_HARDWARE_MODE, &value))
            && value != 0 /* MFTOPOLOGY_HWMODE_USE_HARDWARE or _USE_ONLY_HARDWARE */)
        r.enum_flags |= MFT_ENUM_FLAG_HARDWARE;
    r.enumerate_source_types = SUCCEEDED(IMFTopology_GetUINT32(input, &MF_TOPOLOGY_ENUMERATE_SOURCE_TYPES, &value))
            && value;
    if (FAILED(IMFTopology_GetUINT32(input, &loader_MF_TOPOLOGY_DXVA_MODE, &r.dxva_mode)))
        r.dxva_mode = LOADER_DXVA_DEFAULT;

    for (i = 0; i < g.count && SUCCEEDED(hr); ++i)
    {
        /* A node dropped with an optional branch is no longer there. */
        if (FAILED(IMFTopology_GetNodeByID(r.topology, g.order[i], &node))) continue;
        hr = resolve_node(&r, node);
        IMFTopologyNode_Release(node);
    }
    if (SUCCEEDED(hr)) hr = renderer_resolve(&r);
    if (FAILED(hr)) goto failed;

    mark_resolved(r.topology);
    graph_cleanup(&g);
    *output = r.topology;
    return S_OK;

failed:
    graph_cleanup(&g);
    if (r.topology) IMFTopology_Release(r.topology);
    return hr;
}

static const IMFTopoLoaderVtbl topoloader_vtbl =
{
    topoloader_QueryInterface,
    topoloader_AddRef,
    topoloader_Release,
    topoloader_Load,
};

HRESULT topoloader_create(REFIID riid, void **out)
{
    struct topoloader *loader;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!(loader = calloc(1, sizeof(*loader)))) return E_OUTOFMEMORY;
    loader->IMFTopoLoader_iface.lpVtbl = &topoloader_vtbl;
    loader->refcount = 1;
    module_lock();
    hr = IMFTopoLoader_QueryInterface(&loader->IMFTopoLoader_iface, riid, out);
    IMFTopoLoader_Release(&loader->IMFTopoLoader_iface);
    return hr;
}
