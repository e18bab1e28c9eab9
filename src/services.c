/*
 * services.c: what IMFGetService::GetService reaches besides rate control:
 * the node attribute editor, local MFT registration, and the renderer
 * services that are forwarded to the media sink offering them.
 */
#include "session_internal.h"
#include <evr.h>

static struct session *impl_from_editor(IMFTopologyNodeAttributeEditor *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMFTopologyNodeAttributeEditor_iface);
}

static HRESULT WINAPI editor_QueryInterface(IMFTopologyNodeAttributeEditor *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IMFTopologyNodeAttributeEditor) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFTopologyNodeAttributeEditor_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI editor_AddRef(IMFTopologyNodeAttributeEditor *iface)
{
    return IMFMediaSession_AddRef(&impl_from_editor(iface)->IMFMediaSession_iface);
}

static ULONG WINAPI editor_Release(IMFTopologyNodeAttributeEditor *iface)
{
    return IMFMediaSession_Release(&impl_from_editor(iface)->IMFMediaSession_iface);
}

/* Applies the updates to the nodes of a topology the session knows, by id. */
static HRESULT WINAPI editor_UpdateNodeAttributes(IMFTopologyNodeAttributeEditor *iface, TOPOID id, DWORD count,
        MFTOPONODE_ATTRIBUTE_UPDATE *updates)
{
    struct session *session = impl_from_editor(iface);
    IMFTopology *topology = NULL;
    IMFTopologyNode *node;
    HRESULT hr = S_OK;
    unsigned i;

    if (count && !updates) return E_POINTER;
    EnterCriticalSection(&session->lock);
    if (session->shut_down) hr = MF_E_SHUTDOWN;
    else
    {
        if (session->current_full && (!id || session->current_full_id == id)) topology = session->current_full;
        for (i = 0; !topology && i < session->known_count; ++i)
            if (session->known[i].id == id) topology = session->known[i].object;
        if (topology) IMFTopology_AddRef(topology);
        else hr = MF_E_NOT_FOUND;
    }
    LeaveCriticalSection(&session->lock);
    if (FAILED(hr)) return hr;

    for (i = 0; i < count && SUCCEEDED(hr); ++i)
    {
        if (FAILED(hr = IMFTopology_GetNodeByID(topology, updates[i].NodeId, &node))) break;
        switch (updates[i].attrType)
        {
        case MF_ATTRIBUTE_UINT32: hr = IMFTopologyNode_SetUINT32(node, &updates[i].guidAttributeKey, updates[i].u32); break;
        case MF_ATTRIBUTE_UINT64: hr = IMFTopologyNode_SetUINT64(node, &updates[i].guidAttributeKey, updates[i].u64); break;
        case MF_ATTRIBUTE_DOUBLE: hr = IMFTopologyNode_SetDouble(node, &updates[i].guidAttributeKey, updates[i].d); break;
        default: hr = E_INVALIDARG; break;
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_Release(topology);
    if (SUCCEEDED(hr)) session_post_refresh(session);
    return hr;
}

const IMFTopologyNodeAttributeEditorVtbl session_attribute_editor_vtbl =
{
    editor_QueryInterface,
    editor_AddRef,
    editor_Release,
    editor_UpdateNodeAttributes,
};

static struct session *impl_from_local_mft(IMFLocalMFTRegistration *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMFLocalMFTRegistration_iface);
}

static HRESULT WINAPI local_mft_QueryInterface(IMFLocalMFTRegistration *iface, REFIID riid, void **out)
{
    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IMFLocalMFTRegistration) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFLocalMFTRegistration_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI local_mft_AddRef(IMFLocalMFTRegistration *iface)
{
    return IMFMediaSession_AddRef(&impl_from_local_mft(iface)->IMFMediaSession_iface);
}

static ULONG WINAPI local_mft_Release(IMFLocalMFTRegistration *iface)
{
    return IMFMediaSession_Release(&impl_from_local_mft(iface)->IMFMediaSession_iface);
}

/* Registers the transforms in the process, where the topology loader finds them. */
static HRESULT WINAPI local_mft_RegisterMFTs(IMFLocalMFTRegistration *iface, MFT_REGISTRATION_INFO *info, DWORD count)
{
    HRESULT hr = S_OK;
    DWORD i;

    if (count && !info) return E_POINTER;
    for (i = 0; i < count && SUCCEEDED(hr); ++i)
        hr = MFTRegisterLocalByCLSID(&info[i].clsid, &info[i].guidCategory, info[i].pszName, info[i].uiFlags,
                info[i].cInTypes, info[i].pInTypes, info[i].cOutTypes, info[i].pOutTypes);
    return hr;
}

const IMFLocalMFTRegistrationVtbl session_local_mft_vtbl =
{
    local_mft_QueryInterface,
    local_mft_AddRef,
    local_mft_Release,
    local_mft_RegisterMFTs,
};

/* Renderer services: asked of each media sink of the current topology. */
HRESULT services_forward(struct session *session, REFGUID service, REFIID riid, void **out)
{
    IMFTopology *topology;
    HRESULT hr = MF_E_UNSUPPORTED_SERVICE;
    WORD count = 0, i;

    EnterCriticalSection(&session->lock);
    if ((topology = session->current_full)) IMFTopology_AddRef(topology);
    LeaveCriticalSection(&session->lock);
    if (!topology) return MF_E_UNSUPPORTED_SERVICE;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count && FAILED(hr); ++i)
    {
        IMFStreamSink *stream_sink;
        IMFMediaSink *media_sink;
        IMFTopologyNode *node;
        MF_TOPOLOGY_TYPE type;
        IUnknown *object;

        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        if (SUCCEEDED(IMFTopologyNode_GetNodeType(node, &type)) && type == MF_TOPOLOGY_OUTPUT_NODE
                && SUCCEEDED(IMFTopologyNode_GetObject(node, &object)))
        {
            if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IMFStreamSink, (void **)&stream_sink)))
            {
                if (SUCCEEDED(IMFStreamSink_GetMediaSink(stream_sink, &media_sink)))
                {
                    hr = MFGetService((IUnknown *)media_sink, service, riid, out);
                    IMFMediaSink_Release(media_sink);
                }
                IMFStreamSink_Release(stream_sink);
            }
            IUnknown_Release(object);
        }
        IMFTopologyNode_Release(node);
    }
    IMFTopology_Release(topology);
    if (FAILED(hr) && hr != E_NOINTERFACE) hr = MF_E_UNSUPPORTED_SERVICE;
    return hr;
}

BOOL services_is_forwarded(REFGUID service)
{
    return IsEqualGUID(service, &MR_VIDEO_RENDER_SERVICE) || IsEqualGUID(service, &MR_POLICY_VOLUME_SERVICE)
            || IsEqualGUID(service, &MR_STREAM_VOLUME_SERVICE) || IsEqualGUID(service, &MR_AUDIO_POLICY_SERVICE);
}
