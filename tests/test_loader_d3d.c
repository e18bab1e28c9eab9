/*
 * test_loader_d3d: our loader and sinks that render from Direct3D surfaces,
 * with doubles.
 *
 * What Windows' loader does, as Wine's test_topology_loader_d3d,
 * test_topology_loader_d3d9 and test_topology_loader_d3d11 record it: a
 * sink without a device manager changes nothing, whatever its D3D-aware
 * attributes say; with one (MR_VIDEO_ACCELERATION_SERVICE), by
 * MF_TOPOLOGY_DXVA_MODE: FULL hands the manager to the run of D3D-aware
 * transforms just above the sink (MFT_MESSAGE_SET_D3D_MANAGER), DEFAULT and
 * NONE to none of the transforms a topology names; DEFAULT and FULL put
 * the sample copier before the sink when the node feeding it allocates its
 * own samples without the manager; NONE never does.
 */
#include <stdio.h>
#include <string.h>

#include "test_loader_rig.h"
#include "doubles.h"
#include <d3d9.h>
#include <dxva2api.h>

static const GUID test_MR_VIDEO_ACCELERATION_SERVICE =
        {0xefef5175, 0x5c7d, 0x4ce2, {0xbb, 0xbd, 0x34, 0xff, 0x8b, 0xca, 0x65, 0x54}};
static const GUID test_IID_IDirect3DDeviceManager9 =
        {0xa0cade0f, 0x06d5, 0x4cf4, {0xa1, 0xc7, 0xf3, 0xcd, 0xd7, 0x25, 0xaa, 0x75}};
static const GUID test_IID_IMFDXGIDeviceManager =
        {0xeb533d5d, 0x2db6, 0x40f8, {0x97, 0xa9, 0x49, 0x46, 0x92, 0x01, 0x4f, 0x07}};
static const GUID test_MF_SA_D3D11_AWARE =
        {0x206b4fc8, 0xfcf9, 0x4c51, {0xaf, 0xe3, 0x97, 0x64, 0x36, 0x9e, 0x33, 0xa0}};
static const GUID test_MF_TOPOLOGY_DXVA_MODE =
        {0x1e8d34f6, 0xf5ab, 0x4e23, {0xbb, 0x88, 0x87, 0x4a, 0xa3, 0xa1, 0xa7, 0x4d}};

/* The headers declare these for Windows 7 and later only. */
enum { DXVA_DEFAULT = 0, DXVA_NONE = 1, DXVA_FULL = 2 };

static IMFTopoLoader *loader;
static IMFMediaType *rgb32;

/* ---- a transform: one type in and out, D3D-aware or not, output stream flags set by the test ---- */

struct xmft
{
    IMFTransform IMFTransform_iface;
    LONG refcount;
    IMFAttributes *attributes;
    DWORD output_flags;
    IUnknown *manager;      /* the last MFT_MESSAGE_SET_D3D_MANAGER's */
    unsigned manager_calls;
};

static struct xmft *xmft_impl(IMFTransform *iface) { return CONTAINING_RECORD(iface, struct xmft, IMFTransform_iface); }

static HRESULT WINAPI xmft_QueryInterface(IMFTransform *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFTransform) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFTransform_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI xmft_AddRef(IMFTransform *iface) { return InterlockedIncrement(&xmft_impl(iface)->refcount); }
static ULONG WINAPI xmft_Release(IMFTransform *iface)
{
    struct xmft *t = xmft_impl(iface);
    ULONG refcount = InterlockedDecrement(&t->refcount);
    if (!refcount)
    {
        IMFAttributes_Release(t->attributes);
        free(t);
    }
    return refcount;
}
static HRESULT WINAPI xmft_GetStreamLimits(IMFTransform *iface, DWORD *a, DWORD *b, DWORD *c, DWORD *d)
{
    *a = *b = *c = *d = 1;
    return S_OK;
}
static HRESULT WINAPI xmft_GetStreamCount(IMFTransform *iface, DWORD *inputs, DWORD *outputs)
{
    *inputs = *outputs = 1;
    return S_OK;
}
static HRESULT WINAPI xmft_GetStreamIDs(IMFTransform *iface, DWORD a, DWORD *b, DWORD c, DWORD *d) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_GetInputStreamInfo(IMFTransform *iface, DWORD id, MFT_INPUT_STREAM_INFO *info)
{
    memset(info, 0, sizeof(*info));
    return S_OK;
}
static HRESULT WINAPI xmft_GetOutputStreamInfo(IMFTransform *iface, DWORD id, MFT_OUTPUT_STREAM_INFO *info)
{
    memset(info, 0, sizeof(*info));
    info->dwFlags = xmft_impl(iface)->output_flags;
    return S_OK;
}
static HRESULT WINAPI xmft_GetAttributes(IMFTransform *iface, IMFAttributes **attributes)
{
    *attributes = xmft_impl(iface)->attributes;
    IMFAttributes_AddRef(*attributes);
    return S_OK;
}
static HRESULT WINAPI xmft_GetInputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **a) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_GetOutputStreamAttributes(IMFTransform *iface, DWORD id, IMFAttributes **a) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_DeleteInputStream(IMFTransform *iface, DWORD id) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_AddInputStreams(IMFTransform *iface, DWORD count, DWORD *ids) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_GetAvailableType(IMFTransform *iface, DWORD id, DWORD index, IMFMediaType **type)
{
    if (index) return MF_E_NO_MORE_TYPES;
    *type = rgb32;
    IMFMediaType_AddRef(rgb32);
    return S_OK;
}
static HRESULT WINAPI xmft_SetType(IMFTransform *iface, DWORD id, IMFMediaType *type, DWORD flags)
{
    DWORD equal = 0;
    if (type && IMFMediaType_IsEqual(type, rgb32, &equal) != S_OK) return MF_E_INVALIDMEDIATYPE;
    return S_OK;
}
static HRESULT WINAPI xmft_GetCurrentType(IMFTransform *iface, DWORD id, IMFMediaType **type)
{
    /* The types are fixed: always "set" to the one type. */
    *type = rgb32;
    IMFMediaType_AddRef(rgb32);
    return S_OK;
}
static HRESULT WINAPI xmft_GetInputStatus(IMFTransform *iface, DWORD id, DWORD *flags) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_GetOutputStatus(IMFTransform *iface, DWORD *flags) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_SetOutputBounds(IMFTransform *iface, LONGLONG lower, LONGLONG upper) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_ProcessEvent(IMFTransform *iface, DWORD id, IMFMediaEvent *event) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_ProcessMessage(IMFTransform *iface, MFT_MESSAGE_TYPE message, ULONG_PTR param)
{
    struct xmft *t = xmft_impl(iface);
    if (message != MFT_MESSAGE_SET_D3D_MANAGER) return S_OK;
    ++t->manager_calls;
    t->manager = (IUnknown *)param;
    return S_OK;
}
static HRESULT WINAPI xmft_ProcessInput(IMFTransform *iface, DWORD id, IMFSample *sample, DWORD flags) { return E_NOTIMPL; }
static HRESULT WINAPI xmft_ProcessOutput(IMFTransform *iface, DWORD flags, DWORD count, MFT_OUTPUT_DATA_BUFFER *data,
        DWORD *status)
{
    return E_NOTIMPL;
}

static const IMFTransformVtbl xmft_vtbl =
{
    xmft_QueryInterface, xmft_AddRef, xmft_Release, xmft_GetStreamLimits, xmft_GetStreamCount, xmft_GetStreamIDs,
    xmft_GetInputStreamInfo, xmft_GetOutputStreamInfo, xmft_GetAttributes, xmft_GetInputStreamAttributes,
    xmft_GetOutputStreamAttributes, xmft_DeleteInputStream, xmft_AddInputStreams, xmft_GetAvailableType,
    xmft_GetAvailableType, xmft_SetType, xmft_SetType, xmft_GetCurrentType, xmft_GetCurrentType,
    xmft_GetInputStatus, xmft_GetOutputStatus, xmft_SetOutputBounds, xmft_ProcessEvent, xmft_ProcessMessage,
    xmft_ProcessInput, xmft_ProcessOutput,
};

static struct xmft *xmft_create(BOOL aware)
{
    struct xmft *t = calloc(1, sizeof(*t));

    t->IMFTransform_iface.lpVtbl = &xmft_vtbl;
    t->refcount = 1;
    MFCreateAttributes(&t->attributes, 2);
    IMFAttributes_SetUINT32(t->attributes, &MF_SA_D3D_AWARE, aware);
    IMFAttributes_SetUINT32(t->attributes, &test_MF_SA_D3D11_AWARE, aware);
    return t;
}

/* ---- a stream sink that hands out a device manager (else a dlsink) ---- */

struct msink
{
    IMFStreamSink IMFStreamSink_iface;
    IMFGetService IMFGetService_iface;
    LONG refcount;
    IMFStreamSink *inner;   /* a dlsink: the handler and everything else */
    IUnknown *manager;      /* NULL: no service */
    const GUID *manager_iid;
};

static struct msink *msink_impl(IMFStreamSink *iface) { return CONTAINING_RECORD(iface, struct msink, IMFStreamSink_iface); }
static struct msink *msink_from_service(IMFGetService *iface) { return CONTAINING_RECORD(iface, struct msink, IMFGetService_iface); }

static HRESULT WINAPI msink_QueryInterface(IMFStreamSink *iface, REFIID riid, void **out)
{
    struct msink *s = msink_impl(iface);
    if (IsEqualIID(riid, &IID_IMFGetService)) *out = &s->IMFGetService_iface;
    else if (IsEqualIID(riid, &IID_IMFStreamSink) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
        *out = iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}
static ULONG WINAPI msink_AddRef(IMFStreamSink *iface) { return InterlockedIncrement(&msink_impl(iface)->refcount); }
static ULONG WINAPI msink_Release(IMFStreamSink *iface)
{
    struct msink *s = msink_impl(iface);
    ULONG refcount = InterlockedDecrement(&s->refcount);
    if (!refcount)
    {
        IMFStreamSink_Release(s->inner);
        free(s);
    }
    return refcount;
}
static HRESULT WINAPI msink_GetEvent(IMFStreamSink *iface, DWORD flags, IMFMediaEvent **event)
{
    return IMFStreamSink_GetEvent(msink_impl(iface)->inner, flags, event);
}
static HRESULT WINAPI msink_BeginGetEvent(IMFStreamSink *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    return IMFStreamSink_BeginGetEvent(msink_impl(iface)->inner, callback, state);
}
static HRESULT WINAPI msink_EndGetEvent(IMFStreamSink *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    return IMFStreamSink_EndGetEvent(msink_impl(iface)->inner, result, event);
}
static HRESULT WINAPI msink_QueueEvent(IMFStreamSink *iface, MediaEventType type, REFGUID ext, HRESULT hr,
        const PROPVARIANT *value)
{
    return IMFStreamSink_QueueEvent(msink_impl(iface)->inner, type, ext, hr, value);
}
static HRESULT WINAPI msink_GetMediaSink(IMFStreamSink *iface, IMFMediaSink **sink)
{
    return IMFStreamSink_GetMediaSink(msink_impl(iface)->inner, sink);
}
static HRESULT WINAPI msink_GetIdentifier(IMFStreamSink *iface, DWORD *id)
{
    return IMFStreamSink_GetIdentifier(msink_impl(iface)->inner, id);
}
static HRESULT WINAPI msink_GetMediaTypeHandler(IMFStreamSink *iface, IMFMediaTypeHandler **handler)
{
    return IMFStreamSink_GetMediaTypeHandler(msink_impl(iface)->inner, handler);
}
static HRESULT WINAPI msink_ProcessSample(IMFStreamSink *iface, IMFSample *sample)
{
    return IMFStreamSink_ProcessSample(msink_impl(iface)->inner, sample);
}
static HRESULT WINAPI msink_PlaceMarker(IMFStreamSink *iface, MFSTREAMSINK_MARKER_TYPE type, const PROPVARIANT *value,
        const PROPVARIANT *context)
{
    return IMFStreamSink_PlaceMarker(msink_impl(iface)->inner, type, value, context);
}
static HRESULT WINAPI msink_Flush(IMFStreamSink *iface) { return IMFStreamSink_Flush(msink_impl(iface)->inner); }

static const IMFStreamSinkVtbl msink_vtbl =
{
    msink_QueryInterface, msink_AddRef, msink_Release, msink_GetEvent, msink_BeginGetEvent, msink_EndGetEvent,
    msink_QueueEvent, msink_GetMediaSink, msink_GetIdentifier, msink_GetMediaTypeHandler, msink_ProcessSample,
    msink_PlaceMarker, msink_Flush,
};

static HRESULT WINAPI msink_service_QueryInterface(IMFGetService *iface, REFIID riid, void **out)
{
    return msink_QueryInterface(&msink_from_service(iface)->IMFStreamSink_iface, riid, out);
}
static ULONG WINAPI msink_service_AddRef(IMFGetService *iface) { return msink_AddRef(&msink_from_service(iface)->IMFStreamSink_iface); }
static ULONG WINAPI msink_service_Release(IMFGetService *iface) { return msink_Release(&msink_from_service(iface)->IMFStreamSink_iface); }
static HRESULT WINAPI msink_GetService(IMFGetService *iface, REFGUID service, REFIID riid, void **out)
{
    struct msink *s = msink_from_service(iface);

    *out = NULL;
    if (!IsEqualGUID(service, &test_MR_VIDEO_ACCELERATION_SERVICE)) return MF_E_UNSUPPORTED_SERVICE;
    if (!s->manager || !IsEqualIID(riid, s->manager_iid)) return E_NOINTERFACE;
    *out = s->manager;
    IUnknown_AddRef(s->manager);
    return S_OK;
}

static const IMFGetServiceVtbl msink_service_vtbl =
{
    msink_service_QueryInterface, msink_service_AddRef, msink_service_Release, msink_GetService,
};

static IMFStreamSink *msink_create(IUnknown *manager, const GUID *iid)
{
    struct msink *s = calloc(1, sizeof(*s));

    s->IMFStreamSink_iface.lpVtbl = &msink_vtbl;
    s->IMFGetService_iface.lpVtbl = &msink_service_vtbl;
    s->refcount = 1;
    s->inner = rig_sink(rgb32, NULL);
    s->manager = manager;
    s->manager_iid = iid;
    return &s->IMFStreamSink_iface;
}

/* ---- the cases ---- */

/* source -> xmfts[0..count-1] -> sink; the output's node count (0 on failure). */
static WORD load_chain(struct xmft **xmfts, unsigned count, IMFStreamSink *sink, int mode, char *shape, size_t size)
{
    IMFTopologyNode *nodes[8];
    IMFTopology *topology, *result;
    WORD n = 0;
    unsigned i;
    HRESULT hr;

    nodes[0] = rig_source_node(&rgb32, 1, rgb32);
    for (i = 0; i < count; ++i)
        nodes[1 + i] = rig_node(MF_TOPOLOGY_TRANSFORM_NODE, (IUnknown *)&xmfts[i]->IMFTransform_iface);
    nodes[1 + count] = rig_output_node((IUnknown *)sink, MF_CONNECT_DIRECT);
    topology = rig_topology(nodes, count + 2);
    for (i = 0; i <= count; ++i) IMFTopologyNode_ConnectOutput(nodes[i], 0, nodes[i + 1], 0);
    if (mode >= 0) IMFTopology_SetUINT32(topology, &test_MF_TOPOLOGY_DXVA_MODE, mode);
    hr = IMFTopoLoader_Load(loader, topology, &result, NULL);
    ok_hr(S_OK, hr);
    shape[0] = 0;
    if (SUCCEEDED(hr))
    {
        IMFTopology_GetNodeCount(result, &n);
        rig_shape(result, shape, size);
        IMFTopology_Release(result);
    }
    IMFTopology_Clear(topology);
    IMFTopology_Release(topology);
    for (i = 0; i < count + 2; ++i) IMFTopologyNode_Release(nodes[i]);
    return n;
}

/* A sink without a manager: nothing changes, D3D-aware transforms or not. */
static void test_no_manager(void)
{
    IMFStreamSink *sink = msink_create(NULL, NULL);
    struct xmft *xmfts[4];
    char shape[512];
    unsigned i;

    ok(load_chain(NULL, 0, sink, -1, shape, sizeof(shape)) == 2, "source -> sink without a manager: 2 nodes (%s)", shape);
    for (i = 0; i < 4; ++i)
    {
        xmfts[i] = xmft_create(i % 2);
        xmfts[i]->output_flags = MFT_OUTPUT_STREAM_PROVIDES_SAMPLES;
    }
    ok(load_chain(xmfts, 4, sink, DXVA_FULL, shape, sizeof(shape)) == 6,
            "four transforms, no manager: 6 nodes (%s)", shape);
    for (i = 0; i < 4; ++i)
    {
        ok(!xmfts[i]->manager_calls, "transform %u got no manager", i);
        IMFTransform_Release(&xmfts[i]->IMFTransform_iface);
    }
    IMFStreamSink_Release(sink);
}

/* Windows' d3d9/d3d11 cases: which transforms get the manager, and when the copier goes in. */
static void test_modes(IUnknown *manager, const GUID *iid, const char *what)
{
    static const int modes[3] = {DXVA_DEFAULT, DXVA_NONE, DXVA_FULL};
    /* Windows' chains: d3d9's, d3d11's two. */
    static const BOOL chains[3][4] = {{FALSE, TRUE, FALSE, TRUE}, {FALSE, FALSE, TRUE, TRUE}, {TRUE, TRUE, FALSE, FALSE}};
    static const DWORD flags[3] = {0, MFT_OUTPUT_STREAM_CAN_PROVIDE_SAMPLES, MFT_OUTPUT_STREAM_PROVIDES_SAMPLES};
    IMFStreamSink *sink = msink_create(manager, iid);
    struct xmft *xmfts[4];
    unsigned m, c, f, i;
    char shape[512];
    WORD n, expect;

    for (m = 0; m < 3; ++m)
        for (c = 0; c < 3; ++c)
            for (f = 0; f < 3; ++f)
            {
                BOOL full = modes[m] == DXVA_FULL;

                for (i = 0; i < 4; ++i) xmfts[i] = xmft_create(chains[c][i]);
                xmfts[3]->output_flags = flags[f];
                n = load_chain(xmfts, 4, sink, modes[m], shape, sizeof(shape));
                /* The copier: the last transform makes its own samples and did not take the manager. */
                expect = 6 + (flags[f] && modes[m] != DXVA_NONE && !(full && chains[c][3]));
                ok(n == expect, "%s, mode %d, chain %u, flags %#lx: %u nodes, expected %u (%s)", what, modes[m], c,
                        (unsigned long)flags[f], n, expect, shape);
                for (i = 0; i < 4; ++i)
                {
                    /* FULL: the aware run just above the sink (chain 0: T3; chain 1: T2, T3; chain 2: none). */
                    BOOL expect_manager = full && c != 2 && (i == 3 || (c == 1 && i == 2));
                    ok(xmfts[i]->manager_calls == (expect_manager ? 1u : 0u)
                            && (!expect_manager || xmfts[i]->manager == manager),
                            "%s, mode %d, chain %u: transform %u got %u managers", what, modes[m], c, i,
                            xmfts[i]->manager_calls);
                    IMFTransform_Release(&xmfts[i]->IMFTransform_iface);
                }
            }

    /* A source feeding the sink directly makes its own samples: the copier,
     * unless the mode is NONE (test_topology_loader_evr: three nodes). */
    for (m = 0; m < 3; ++m)
    {
        n = load_chain(NULL, 0, sink, modes[m], shape, sizeof(shape));
        expect = modes[m] == DXVA_NONE ? 2 : 3;
        ok(n == expect, "%s, mode %d: source -> sink, %u nodes, expected %u (%s)", what, modes[m], n, expect, shape);
        if (expect == 3)
            /* The copier's node named with mfsession's CLSID for it (Wine's copier names none). */
            ok(!strcmp(shape, "SRC[RGB32/1280x720] -> MFT{b5346462}[RGB32/1280x720] -> OUT"),
                    "%s: the copier passes the source's type, its node named: %s", what, shape);
    }
    IMFStreamSink_Release(sink);
}

static void test_managers(void)
{
    IDirect3DDeviceManager9 *d3d9 = NULL;
    IMFDXGIDeviceManager *dxgi = NULL;
    UINT token;
    HRESULT hr;

    HRESULT (WINAPI *create_d3d9_manager)(UINT *, IDirect3DDeviceManager9 **);
    HMODULE dxva2 = LoadLibraryA("dxva2.dll");

    /* No import library for dxva2 in the tests' link: looked up. */
    create_d3d9_manager = dxva2 ? (void *)GetProcAddress(dxva2, "DXVA2CreateDirect3DDeviceManager9") : NULL;
    if (!create_d3d9_manager) skip("no dxva2.dll");
    else if (FAILED(hr = create_d3d9_manager(&token, &d3d9)))
        skip("no D3D9 device manager (%#lx)", (unsigned long)hr);
    else
    {
        test_modes((IUnknown *)d3d9, &test_IID_IDirect3DDeviceManager9, "d3d9");
        IDirect3DDeviceManager9_Release(d3d9);
    }
    if (FAILED(hr = MFCreateDXGIDeviceManager(&token, &dxgi)))
        skip("no DXGI device manager (%#lx)", (unsigned long)hr);
    else
    {
        test_modes((IUnknown *)dxgi, &test_IID_IMFDXGIDeviceManager, "dxgi");
        IMFDXGIDeviceManager_Release(dxgi);
    }
}

START_TEST(loader_d3d)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    harness_watchdog(60000);
    dlog_enable(FALSE);
    rgb32 = rig_video(&MFVideoFormat_RGB32, 1280, 720);
    if (!(loader = rig_our_loader()))
    {
        ok(0, "our loader could be created");
        return;
    }
    RUN(test_no_manager);
    RUN(test_managers);
    IMFTopoLoader_Release(loader);
    IMFMediaType_Release(rgb32);
    MFShutdown();
    CoUninitialize();
}
