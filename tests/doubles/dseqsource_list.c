/*
 * The sequencer-like double's segment list (dseqsource.h): its own segment
 * offsets, IMFSequencerSource (AppendTopology points the topology's source
 * nodes at the sequencer, in place, with MF_TOPONODE_SEQUENCE_ELEMENTID) and
 * IMFMediaSourceTopologyProvider (a segment's topology by its presentation
 * descriptor).  The source side is dseqsource.c.
 */
#include "doubles_private.h"
#include "dseqsource.h"
#include "dseqsource_private.h"
#include <stdlib.h>

/* ---- the double's segment offset ---- */

/* {6d1b5c3e-0a47-4f2e-9b8d-3c5e7f9a1b20} */
static const GUID IID_dseq_offset = {0x6d1b5c3e, 0x0a47, 0x4f2e, {0x9b, 0x8d, 0x3c, 0x5e, 0x7f, 0x9a, 0x1b, 0x20}};

struct offset
{
    IUnknown IUnknown_iface;
    LONG refcount;
    MFSequencerElementId id;
    MFTIME time;
};

static HRESULT WINAPI offset_QueryInterface(IUnknown *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IUnknown) || IsEqualIID(riid, &IID_dseq_offset))
    {
        *out = iface;
        IUnknown_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI offset_AddRef(IUnknown *iface)
{
    return InterlockedIncrement(&CONTAINING_RECORD(iface, struct offset, IUnknown_iface)->refcount);
}

static ULONG WINAPI offset_Release(IUnknown *iface)
{
    struct offset *o = CONTAINING_RECORD(iface, struct offset, IUnknown_iface);
    ULONG refcount = InterlockedDecrement(&o->refcount);
    if (!refcount) free(o);
    return refcount;
}

static const IUnknownVtbl offset_vtbl = { offset_QueryInterface, offset_AddRef, offset_Release };

HRESULT dseqsource_offset(MFSequencerElementId id, MFTIME time, PROPVARIANT *value)
{
    struct offset *o;
    if (!value) return E_POINTER;
    if (!(o = calloc(1, sizeof(*o)))) return E_OUTOFMEMORY;
    o->IUnknown_iface.lpVtbl = &offset_vtbl;
    o->refcount = 1;
    o->id = id;
    o->time = time;
    value->vt = VT_UNKNOWN;
    value->punkVal = &o->IUnknown_iface;
    return S_OK;
}

BOOL dseq_offset_read(IUnknown *unk, MFSequencerElementId *id, MFTIME *time)
{
    struct offset *o;
    if (FAILED(IUnknown_QueryInterface(unk, &IID_dseq_offset, (void **)&unk))) return FALSE;
    o = CONTAINING_RECORD(unk, struct offset, IUnknown_iface);
    *id = o->id;
    *time = o->time;
    IUnknown_Release(unk);
    return TRUE;
}

/* ---- IMFSequencerSource ---- */

static HRESULT WINAPI sequencer_QueryInterface(IMFSequencerSource *iface, REFIID riid, void **out)
{
    return IMFMediaSource_QueryInterface(&dseq_from_sequencer(iface)->IMFMediaSource_iface, riid, out);
}

static ULONG WINAPI sequencer_AddRef(IMFSequencerSource *iface)
{
    return IMFMediaSource_AddRef(&dseq_from_sequencer(iface)->IMFMediaSource_iface);
}

static ULONG WINAPI sequencer_Release(IMFSequencerSource *iface)
{
    return IMFMediaSource_Release(&dseq_from_sequencer(iface)->IMFMediaSource_iface);
}

/* Points the topology's source nodes at the sequencer; the native source and
 * descriptor of the first one name the segment. */
static HRESULT adopt_topology(struct dseqsource *seq, IMFTopology *topology, MFSequencerElementId id,
        struct segment *segment)
{
    IMFTopologyNode *node;
    WORD i, count = 0;
    HRESULT hr;

    IMFTopology_GetNodeCount(topology, &count);
    for (i = 0; i < count; ++i)
    {
        MF_TOPOLOGY_TYPE type;
        if (FAILED(IMFTopology_GetNode(topology, i, &node))) continue;
        IMFTopologyNode_GetNodeType(node, &type);
        if (type == MF_TOPOLOGY_SOURCESTREAM_NODE)
        {
            if (!segment->native)
            {
                if (FAILED(hr = IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_SOURCE, &IID_IMFMediaSource,
                        (void **)&segment->native))
                        || FAILED(hr = IMFTopologyNode_GetUnknown(node, &MF_TOPONODE_PRESENTATION_DESCRIPTOR,
                        &IID_IMFPresentationDescriptor, (void **)&segment->pd)))
                {
                    IMFTopologyNode_Release(node);
                    return hr;
                }
            }
            IMFTopologyNode_SetUnknown(node, &MF_TOPONODE_SOURCE, (IUnknown *)&seq->IMFMediaSource_iface);
            IMFTopologyNode_SetUINT32(node, &MF_TOPONODE_SEQUENCE_ELEMENTID, id);
        }
        IMFTopologyNode_Release(node);
    }
    return segment->native ? S_OK : MF_E_TOPO_MISSING_SOURCE;
}

static HRESULT WINAPI sequencer_AppendTopology(IMFSequencerSource *iface, IMFTopology *topology, DWORD flags,
        MFSequencerElementId *id)
{
    struct dseqsource *seq = dseq_from_sequencer(iface);
    struct segment *segment;
    IMFMediaSource *native;
    HRESULT hr;

    if (!topology || !id) return E_POINTER;
    EnterCriticalSection(&seq->cs);
    if (seq->shut_down || seq->count == DSEQ_MAX_SEGMENTS)
    {
        LeaveCriticalSection(&seq->cs);
        return seq->shut_down ? MF_E_SHUTDOWN : E_OUTOFMEMORY;
    }
    segment = &seq->segments[seq->count];
    memset(segment, 0, sizeof(*segment));
    segment->id = seq->count + 1;
    segment->flags = flags;
    segment->listener.IMFAsyncCallback_iface.lpVtbl = &dseq_listener_vtbl;
    segment->listener.seq = seq;
    segment->listener.index = seq->count;
    if (FAILED(hr = adopt_topology(seq, topology, segment->id, segment)))
    {
        if (segment->native) IMFMediaSource_Release(segment->native);
        if (segment->pd) IMFPresentationDescriptor_Release(segment->pd);
        memset(segment, 0, sizeof(*segment));
        LeaveCriticalSection(&seq->cs);
        return hr;
    }
    segment->topology = topology;
    IMFTopology_AddRef(topology);
    *id = segment->id;
    DLOG("seq.AppendTopology(%u)", seq->count);
    seq->count++;
    native = segment->native;
    IMFMediaSource_AddRef(native);
    LeaveCriticalSection(&seq->cs);
    hr = IMFMediaSource_BeginGetEvent(native, &segment->listener.IMFAsyncCallback_iface, NULL);
    IMFMediaSource_Release(native);
    return hr;
}

static HRESULT WINAPI sequencer_DeleteTopology(IMFSequencerSource *iface, MFSequencerElementId id)
{
    return E_NOTIMPL; /* the tests never delete a segment */
}

static HRESULT WINAPI sequencer_GetPresentationContext(IMFSequencerSource *iface, IMFPresentationDescriptor *pd,
        MFSequencerElementId *id, IMFTopology **topology)
{
    struct dseqsource *seq = dseq_from_sequencer(iface);
    HRESULT hr = MF_E_INVALIDREQUEST;
    int index;

    EnterCriticalSection(&seq->cs);
    if ((index = dseq_find_segment(seq, pd)) >= 0 && seq->segments[index].topology)
    {
        if (id) *id = seq->segments[index].id;
        if (topology)
        {
            *topology = seq->segments[index].topology;
            IMFTopology_AddRef(*topology);
        }
        hr = S_OK;
    }
    LeaveCriticalSection(&seq->cs);
    return hr;
}

static HRESULT WINAPI sequencer_UpdateTopology(IMFSequencerSource *iface, MFSequencerElementId id,
        IMFTopology *topology)
{
    return E_NOTIMPL; /* the tests never replace a segment */
}

static HRESULT WINAPI sequencer_UpdateTopologyFlags(IMFSequencerSource *iface, MFSequencerElementId id, DWORD flags)
{
    struct dseqsource *seq = dseq_from_sequencer(iface);
    HRESULT hr = E_INVALIDARG;
    int index;

    EnterCriticalSection(&seq->cs);
    if ((index = dseq_find_id(seq, id)) >= 0)
    {
        seq->segments[index].flags = flags;
        hr = S_OK;
    }
    LeaveCriticalSection(&seq->cs);
    return hr;
}

const IMFSequencerSourceVtbl dseq_sequencer_vtbl =
{
    sequencer_QueryInterface, sequencer_AddRef, sequencer_Release, sequencer_AppendTopology,
    sequencer_DeleteTopology, sequencer_GetPresentationContext, sequencer_UpdateTopology,
    sequencer_UpdateTopologyFlags,
};

/* ---- IMFMediaSourceTopologyProvider ---- */

static HRESULT WINAPI provider_QueryInterface(IMFMediaSourceTopologyProvider *iface, REFIID riid, void **out)
{
    return IMFMediaSource_QueryInterface(&dseq_from_provider(iface)->IMFMediaSource_iface, riid, out);
}

static ULONG WINAPI provider_AddRef(IMFMediaSourceTopologyProvider *iface)
{
    return IMFMediaSource_AddRef(&dseq_from_provider(iface)->IMFMediaSource_iface);
}

static ULONG WINAPI provider_Release(IMFMediaSourceTopologyProvider *iface)
{
    return IMFMediaSource_Release(&dseq_from_provider(iface)->IMFMediaSource_iface);
}

static HRESULT WINAPI provider_GetMediaSourceTopology(IMFMediaSourceTopologyProvider *iface,
        IMFPresentationDescriptor *pd, IMFTopology **topology)
{
    struct dseqsource *seq = dseq_from_provider(iface);
    if (!topology) return E_POINTER;
    return sequencer_GetPresentationContext(&seq->IMFSequencerSource_iface, pd, NULL, topology);
}

const IMFMediaSourceTopologyProviderVtbl dseq_provider_vtbl =
{
    provider_QueryInterface, provider_AddRef, provider_Release, provider_GetMediaSourceTopology,
};
