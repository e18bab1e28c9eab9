/*
 * renderer.c: branches that end in a sink rendering from Direct3D surfaces.
 *
 * A stream sink that hands out a device manager through
 * MR_VIDEO_ACCELERATION_SERVICE (IMFDXGIDeviceManager or
 * IDirect3DDeviceManager9; the EVR's stream sinks do) takes its samples in
 * surfaces of that device.  What Windows' loader does about it, by the
 * topology's MF_TOPOLOGY_DXVA_MODE, as Wine's test_topology_loader_evr and
 * test_topology_loader_d3d9/_d3d11 record it:
 *
 *  - MFTOPOLOGY_DXVA_NONE: nothing; the session copies.
 *  - MFTOPOLOGY_DXVA_FULL: walking up from the sink, each Direct3D-aware
 *    transform (MF_SA_D3D_AWARE for a D3D9 manager, MF_SA_D3D11_AWARE for a
 *    DXGI one) gets the manager (MFT_MESSAGE_SET_D3D_MANAGER); the walk
 *    stops at the first that is not aware or refuses it.
 *  - MFTOPOLOGY_DXVA_DEFAULT (also when unset): the same walk, but only
 *    decoders get the manager ("DXVA on the decoder").
 *  - Then, in DEFAULT and FULL, when the node feeding the sink makes its
 *    samples itself in system memory (a source; a transform whose output
 *    says MFT_OUTPUT_STREAM_PROVIDES_SAMPLES or _CAN_PROVIDE_SAMPLES and
 *    that took no manager), the sample copier (MFCreateSampleCopierMFT) goes
 *    between them, both its types the connection's type, its node's
 *    MF_TOPONODE_TRANSFORM_OBJECTID the class the copier names (IPersist,
 *    MFT_TRANSFORM_CLSID_Attribute) or, when it names none,
 *    loader_CLSID_MFSessionSampleCopier (Windows' recorded copier node is
 *    checked for nothing but the copier's own attributes).  A
 *    transform that took the manager gets MF_TOPONODE_D3DAWARE = 1, which
 *    the session reads to offer the manager again when it builds the
 *    pipeline (the same manager: a no-op for the transform).
 *
 * A sink without a manager (every audio sink, the sample grabber) is left
 * as it is, whatever its MF_SA_D3D_AWARE says (test_topology_loader_d3d).
 *
 * A converter choosing its output type for a surface sink tries the
 * formats the sink renders to (RGB32, then ARGB32) before its other offers
 * (branch.c, connect_direct).  Measured on Wine 8: the EVR's handler
 * accepts YUY2 and NV12 too, but the session cannot then write the
 * converter's output into the EVR's surfaces (ProcessOutput fails with
 * E_NOTIMPL at preroll), while RGB32 plays; Windows' EVR lists no types
 * either, so the order is ours to choose (docs/LOADER.md).
 */
#include "loader_private.h"

/* Local copies: not every import library defines them (evr.h, dxva2api.h, mfidl.h). */
static const GUID loader_MR_VIDEO_ACCELERATION_SERVICE =
        {0xefef5175, 0x5c7d, 0x4ce2, {0xbb, 0xbd, 0x34, 0xff, 0x8b, 0xca, 0x65, 0x54}};
static const GUID loader_IID_IDirect3DDeviceManager9 =
        {0xa0cade0f, 0x06d5, 0x4cf4, {0xa1, 0xc7, 0xf3, 0xcd, 0xd7, 0x25, 0xaa, 0x75}};
static const GUID loader_IID_IMFDXGIDeviceManager =
        {0xeb533d5d, 0x2db6, 0x40f8, {0x97, 0xa9, 0x49, 0x46, 0x92, 0x01, 0x4f, 0x07}};
static const GUID loader_MF_SA_D3D11_AWARE =
        {0x206b4fc8, 0xfcf9, 0x4c51, {0xaf, 0xe3, 0x97, 0x64, 0x36, 0x9e, 0x33, 0xa0}};
const GUID loader_MF_TOPOLOGY_DXVA_MODE =
        {0x1e8d34f6, 0xf5ab, 0x4e23, {0xbb, 0x88, 0x87, 0x4a, 0xa3, 0xa1, 0xa7, 0x4d}};
/* The copier's class when it names none itself (Wine's does not, and the SDK
 * publishes no CLSID for MFCreateSampleCopierMFT's transform): a name for
 * MF_TOPONODE_TRANSFORM_OBJECTID, not a creatable class, like
 * CLSID_MFSessionPlatformTopoLoader (docs/LOADER.md). */
const GUID loader_CLSID_MFSessionSampleCopier =
        {0xb5346462, 0x4e56, 0x4572, {0xa7, 0x82, 0xe7, 0xf3, 0x0f, 0xd4, 0x1e, 0xed}};

struct manager
{
    IUnknown *object;       /* NULL: the sink renders from system memory */
    const GUID *aware;      /* the transform attribute that says it can use it */
};

static void sink_manager(IMFTopologyNode *out, struct manager *m)
{
    IMFGetService *service;
    IUnknown *object;

    m->object = NULL;
    if (FAILED(IMFTopologyNode_GetObject(out, &object))) return;
    if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFGetService, (void **)&service)))
    {
        if (SUCCEEDED(IMFGetService_GetService(service, &loader_MR_VIDEO_ACCELERATION_SERVICE,
                &loader_IID_IMFDXGIDeviceManager, (void **)&m->object)))
            m->aware = &loader_MF_SA_D3D11_AWARE;
        else if (SUCCEEDED(IMFGetService_GetService(service, &loader_MR_VIDEO_ACCELERATION_SERVICE,
                &loader_IID_IDirect3DDeviceManager9, (void **)&m->object)))
            m->aware = &MF_SA_D3D_AWARE;
        else
            m->object = NULL;
        IMFGetService_Release(service);
    }
    IUnknown_Release(object);
}

static IMFTransform *node_mft(IMFTopologyNode *node)
{
    IMFTransform *mft = NULL;
    IUnknown *object;

    if (FAILED(IMFTopologyNode_GetObject(node, &object))) return NULL;
    if (FAILED(IUnknown_QueryInterface(object, &IID_IMFTransform, (void **)&mft))) mft = NULL;
    IUnknown_Release(object);
    return mft;
}

/* Hands the manager to `node`'s transform if the mode and the transform
 * allow it; TRUE when it took it. */
static BOOL offer_manager(IMFTopologyNode *node, const struct manager *m, UINT32 mode)
{
    IMFAttributes *attributes;
    IMFTransform *mft;
    UINT32 aware = 0, decoder = 0;
    BOOL taken = FALSE;

    if (mode == LOADER_DXVA_DEFAULT
            && (FAILED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_DECODER, &decoder)) || !decoder))
        return FALSE;
    if (!(mft = node_mft(node))) return FALSE;
    if (SUCCEEDED(IMFTransform_GetAttributes(mft, &attributes)))
    {
        IMFAttributes_GetUINT32(attributes, m->aware, &aware);
        IMFAttributes_Release(attributes);
    }
    if (aware && SUCCEEDED(IMFTransform_ProcessMessage(mft, MFT_MESSAGE_SET_D3D_MANAGER, (ULONG_PTR)m->object)))
    {
        IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_D3DAWARE, 1);
        taken = TRUE;
    }
    IMFTransform_Release(mft);
    return taken;
}

/* Whether `node` (feeding a surface sink, the manager not taken) hands out
 * samples it allocated itself. */
static BOOL allocates_own_samples(IMFTopologyNode *node, DWORD output)
{
    MFT_OUTPUT_STREAM_INFO info = {0};
    MF_TOPOLOGY_TYPE kind;
    IMFTransform *mft;
    BOOL own = FALSE;

    if (FAILED(IMFTopologyNode_GetNodeType(node, &kind))) return FALSE;
    if (kind == MF_TOPOLOGY_SOURCESTREAM_NODE) return TRUE;
    if (kind != MF_TOPOLOGY_TRANSFORM_NODE || !(mft = node_mft(node))) return FALSE;
    if (SUCCEEDED(IMFTransform_GetOutputStreamInfo(mft, output, &info)))
        own = !!(info.dwFlags & (MFT_OUTPUT_STREAM_PROVIDES_SAMPLES | MFT_OUTPUT_STREAM_CAN_PROVIDE_SAMPLES));
    IMFTransform_Release(mft);
    return own;
}

/* The copier between `up` (output `output`) and the output node `out`. */
static HRESULT insert_copier(struct resolve *r, IMFTopologyNode *up, DWORD output, IMFTopologyNode *out)
{
    IMFTopologyNode *node = NULL;
    IMFMediaType *type = NULL;
    IMFTransform *copier;
    HRESULT hr;

    if (FAILED(hr = node_output_type(up, output, &type, 0))) return hr;
    if (FAILED(hr = MFCreateSampleCopierMFT(&copier)))
    {
        IMFMediaType_Release(type);
        return hr;
    }
    if (SUCCEEDED(hr = IMFTransform_SetInputType(copier, 0, type, 0))
            && SUCCEEDED(hr = IMFTransform_SetOutputType(copier, 0, type, 0))
            && SUCCEEDED(hr = MFCreateTopologyNode(MF_TOPOLOGY_TRANSFORM_NODE, &node)))
    {
        GUID clsid = mft_class(copier);

        if (IsEqualGUID(&clsid, &GUID_NULL)) clsid = loader_CLSID_MFSessionSampleCopier;
        IMFTopologyNode_SetObject(node, (IUnknown *)copier);
        IMFTopologyNode_SetGUID(node, &MF_TOPONODE_TRANSFORM_OBJECTID, &clsid);
        if (SUCCEEDED(hr = IMFTopology_AddNode(r->topology, node))
                && SUCCEEDED(hr = IMFTopologyNode_ConnectOutput(up, output, node, 0))
                && SUCCEEDED(hr = IMFTopologyNode_ConnectOutput(node, 0, out, 0)))
            IMFTopologyNode_SetInputPrefType(out, 0, type);
        else
        {
            /* Back to the direct connection the branch had. */
            IMFTopology_RemoveNode(r->topology, node);
            IMFTopologyNode_ConnectOutput(up, output, out, 0);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTransform_Release(copier);
    IMFMediaType_Release(type);
    return hr;
}

/* One output node: the manager up the branch, then the copier if needed. */
static HRESULT resolve_sink(struct resolve *r, IMFTopologyNode *out)
{
    IMFTopologyNode *up, *node, *next;
    MF_TOPOLOGY_TYPE kind;
    struct manager m;
    DWORD output, index, depth;
    BOOL taken = FALSE, own;
    HRESULT hr = S_OK;

    sink_manager(out, &m);
    if (!m.object) return S_OK;
    if (FAILED(IMFTopologyNode_GetInput(out, 0, &up, &output)))
    {
        IUnknown_Release(m.object);
        return S_OK;
    }

    /* Up the run of transforms that take the manager. */
    node = up;
    IMFTopologyNode_AddRef(node);
    index = output;
    for (depth = 0; depth < 4096; ++depth)
    {
        if (FAILED(IMFTopologyNode_GetNodeType(node, &kind)) || kind != MF_TOPOLOGY_TRANSFORM_NODE) break;
        if (!offer_manager(node, &m, r->dxva_mode)) break;
        if (!depth) taken = TRUE;
        if (FAILED(IMFTopologyNode_GetInput(node, 0, &next, &index))) break;
        IMFTopologyNode_Release(node);
        node = next;
    }
    IMFTopologyNode_Release(node);

    /* A tee hands on the samples of the node above it. */
    node = up;
    IMFTopologyNode_AddRef(node);
    index = output;
    for (depth = 0; depth < 4096; ++depth)
    {
        if (FAILED(IMFTopologyNode_GetNodeType(node, &kind)) || kind != MF_TOPOLOGY_TEE_NODE) break;
        if (FAILED(IMFTopologyNode_GetInput(node, 0, &next, &index))) break;
        IMFTopologyNode_Release(node);
        node = next;
    }
    own = !taken && allocates_own_samples(node, index);
    IMFTopologyNode_Release(node);

    /* A copier that cannot be made leaves the branch direct: the session
     * then copies into the sink's samples itself. */
    if (own && insert_copier(r, up, output, out) == E_OUTOFMEMORY) hr = E_OUTOFMEMORY;
    IMFTopologyNode_Release(up);
    IUnknown_Release(m.object);
    return hr;
}

BOOL renderer_surface_sink(IMFTopologyNode *out)
{
    struct manager m;

    sink_manager(out, &m);
    if (!m.object) return FALSE;
    IUnknown_Release(m.object);
    return TRUE;
}

unsigned int renderer_target_rank(IMFMediaType *type)
{
    GUID subtype;

    if (FAILED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype))) return 2;
    if (IsEqualGUID(&subtype, &MFVideoFormat_RGB32)) return 0;
    return IsEqualGUID(&subtype, &MFVideoFormat_ARGB32) ? 1 : 2;
}

HRESULT renderer_resolve(struct resolve *r)
{
    IMFTopologyNode *node, **outputs;
    MF_TOPOLOGY_TYPE kind;
    WORD count, i, n = 0;
    HRESULT hr = S_OK;

    if (r->dxva_mode == LOADER_DXVA_NONE) return S_OK;
    if (FAILED(IMFTopology_GetNodeCount(r->topology, &count)) || !count) return S_OK;
    /* The output nodes first: inserting copiers changes the node list. */
    if (!(outputs = CoTaskMemAlloc(count * sizeof(*outputs)))) return E_OUTOFMEMORY;
    for (i = 0; i < count; ++i)
    {
        if (FAILED(IMFTopology_GetNode(r->topology, i, &node))) continue;
        if (SUCCEEDED(IMFTopologyNode_GetNodeType(node, &kind)) && kind == MF_TOPOLOGY_OUTPUT_NODE)
            outputs[n++] = node;
        else
            IMFTopologyNode_Release(node);
    }
    for (i = 0; i < n; ++i)
    {
        if (SUCCEEDED(hr)) hr = resolve_sink(r, outputs[i]);
        IMFTopologyNode_Release(outputs[i]);
    }
    CoTaskMemFree(outputs);
    return hr;
}
