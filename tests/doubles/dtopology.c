/* Builds test topologies from the doubles: see dtopology_build in doubles.h. */
#include "doubles_private.h"

static HRESULT dtopology_add_node(IMFTopology *topology, MF_TOPOLOGY_TYPE type, IMFTopologyNode **node)
{
    HRESULT hr;

    if (FAILED(hr = MFCreateTopologyNode(type, node))) return hr;
    if (FAILED(hr = IMFTopology_AddNode(topology, *node)))
    {
        IMFTopologyNode_Release(*node);
        *node = NULL;
    }
    return hr;
}

/* One branch: source node -> [transform node] -> output node. */
static HRESULT dtopology_add_branch(IMFTopology *topology, struct dsource *src, IMFPresentationDescriptor *pd,
        IMFStreamDescriptor *sd, DWORD index, IMFTransform *mft, struct dsink *sink, IMFActivate *activate)
{
    IMFTopologyNode *source_node = NULL, *mft_node = NULL, *output_node = NULL, *upstream;
    IMFStreamSink *stream_sink;
    HRESULT hr;

    if (FAILED(hr = dtopology_add_node(topology, MF_TOPOLOGY_SOURCESTREAM_NODE, &source_node))) goto done;
    if (FAILED(hr = IMFTopologyNode_SetUnknown(source_node, &MF_TOPONODE_SOURCE, (IUnknown *)dsource_iface(src))))
        goto done;
    if (FAILED(hr = IMFTopologyNode_SetUnknown(source_node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR, (IUnknown *)pd)))
        goto done;
    if (FAILED(hr = IMFTopologyNode_SetUnknown(source_node, &MF_TOPONODE_STREAM_DESCRIPTOR, (IUnknown *)sd)))
        goto done;
    upstream = source_node;

    if (mft)
    {
        if (FAILED(hr = dtopology_add_node(topology, MF_TOPOLOGY_TRANSFORM_NODE, &mft_node))) goto done;
        if (FAILED(hr = IMFTopologyNode_SetObject(mft_node, (IUnknown *)mft))) goto done;
        if (FAILED(hr = IMFTopologyNode_ConnectOutput(upstream, 0, mft_node, 0))) goto done;
        upstream = mft_node;
    }

    if (FAILED(hr = dtopology_add_node(topology, MF_TOPOLOGY_OUTPUT_NODE, &output_node))) goto done;
    if (activate)
    {
        if (FAILED(hr = IMFTopologyNode_SetObject(output_node, (IUnknown *)activate))) goto done;
        if (FAILED(hr = IMFTopologyNode_SetUINT32(output_node, &MF_TOPONODE_STREAMID, index))) goto done;
    }
    else
    {
        if (!sink || !(stream_sink = dsink_stream(sink, index)))
        {
            hr = E_INVALIDARG;
            goto done;
        }
        if (FAILED(hr = IMFTopologyNode_SetObject(output_node, (IUnknown *)stream_sink))) goto done;
    }
    hr = IMFTopologyNode_ConnectOutput(upstream, 0, output_node, 0);

done:
    if (source_node) IMFTopologyNode_Release(source_node);
    if (mft_node) IMFTopologyNode_Release(mft_node);
    if (output_node) IMFTopologyNode_Release(output_node);
    return hr;
}

HRESULT dtopology_build(struct dsource *src, struct dsink *sink, IMFTransform **mfts,
        IMFActivate *activate, IMFTopology **out)
{
    IMFPresentationDescriptor *pd = NULL;
    IMFTopology *topology = NULL;
    IMFStreamDescriptor *sd;
    DWORD count, i, id;
    BOOL selected;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!src || (!sink && !activate)) return E_INVALIDARG;

    /* A clone, like CreatePresentationDescriptor's, made without calling the source. */
    if (FAILED(hr = IMFPresentationDescriptor_Clone(dsource_pd(src), &pd))) return hr;
    if (FAILED(hr = MFCreateTopology(&topology))) goto done;
    if (FAILED(hr = IMFPresentationDescriptor_GetStreamDescriptorCount(pd, &count))) goto done;
    for (i = 0; i < count; ++i)
    {
        if (FAILED(hr = IMFPresentationDescriptor_GetStreamDescriptorByIndex(pd, i, &selected, &sd))) goto done;
        if (selected && SUCCEEDED(hr = IMFStreamDescriptor_GetStreamIdentifier(sd, &id)))
            hr = dtopology_add_branch(topology, src, pd, sd, id, mfts ? mfts[id] : NULL, sink, activate);
        IMFStreamDescriptor_Release(sd);
        if (FAILED(hr)) goto done;
    }
    *out = topology;
    topology = NULL;

done:
    if (topology) IMFTopology_Release(topology);
    IMFPresentationDescriptor_Release(pd);
    return hr;
}
