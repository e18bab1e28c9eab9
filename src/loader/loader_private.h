/*
 * Shared between the loader's files: the resolution context, branch
 * resolution (branch.c) and transform enumeration (mftenum.c).
 */
#ifndef MFSESSION_LOADER_PRIVATE_H
#define MFSESSION_LOADER_PRIVATE_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include <mftransform.h>

#include "loader.h"

/* An enumeration that found nothing (mftenum.c): within one Load it is not
 * asked again (a failing branch retries the same types per candidate). */
struct enum_miss
{
    const GUID *category;
    MFT_REGISTER_TYPE_INFO in, out;
    BOOL has_out;
};
#define ENUM_MISS_MAX 32

/* One Load call: the output topology being resolved and its options. */
struct resolve
{
    struct enum_miss misses[ENUM_MISS_MAX];
    unsigned int miss_count;
    IMFTopology *topology;      /* the copy being resolved */
    DWORD enum_flags;           /* MFTEnumEx flags (hardware only when the topology allows it) */
    BOOL enumerate_source_types;/* MF_TOPOLOGY_ENUMERATE_SOURCE_TYPES */
    UINT32 dxva_mode;           /* MF_TOPOLOGY_DXVA_MODE (MFTOPOLOGY_DXVA_DEFAULT when unset) */
};

/* MF_TOPOLOGY_DXVA_MODE (renderer.c): not every import library defines it,
 * and the headers declare its values for Windows 7 and later only. */
extern const GUID loader_MF_TOPOLOGY_DXVA_MODE;
enum { LOADER_DXVA_DEFAULT = 0, LOADER_DXVA_NONE = 1, LOADER_DXVA_FULL = 2 };

/* branch.c: connects output `output` of `up` to whatever is connected there,
 * inserting a converter and/or decoder as the downstream node's connect
 * method allows.  S_OK, or the code Windows reports for the failure. */
HRESULT branch_resolve(struct resolve *r, IMFTopologyNode *up, DWORD output);

/* The type a node hands out at one output once resolved (a tee's is its
 * upstream's); depth bounds the walk up through tees. */
HRESULT node_output_type(IMFTopologyNode *node, DWORD output, IMFMediaType **type, unsigned int depth);

/* types.c: `candidate` completed (a new type) from `from` when it is a raw
 * video type or a partial audio type (no rate), else `candidate` itself
 * AddRef'd. */
HRESULT type_complete(IMFMediaType *candidate, IMFMediaType *from, IMFMediaType **out);
/* Whether a type is uncompressed by its subtype (PCM or float audio, a
 * video subtype MFCalculateImageSize sizes), whatever its other items say
 * (IsCompressedFormat answers TRUE for a PCM type without
 * MF_MT_ALL_SAMPLES_INDEPENDENT, which sent every such tee through a
 * decoder enumeration). */
BOOL type_is_raw(IMFMediaType *type);

/* renderer.c: after every branch is connected, the Direct3D device manager
 * of surface sinks (the EVR's) handed up their branches and the sample
 * copier inserted where a node feeding one makes its own samples, as
 * MF_TOPOLOGY_DXVA_MODE says. */
HRESULT renderer_resolve(struct resolve *r);
/* Whether an output node's stream sink hands out a device manager. */
BOOL renderer_surface_sink(IMFTopologyNode *out);
/* How a surface sink ranks a type: 0 RGB32, 1 ARGB32 (its render-target
 * formats), 2 any other. */
unsigned int renderer_target_rank(IMFMediaType *type);

/* The connect method of a node (MF_TOPONODE_CONNECT_METHOD, default
 * MF_CONNECT_ALLOW_DECODER). */
UINT32 node_connect_method(IMFTopologyNode *node);

/* mftenum.c: transforms of a category that take `input` (and produce a type
 * of `output_subtype` when not NULL), local registrations first, then by
 * merit.  *activates is CoTaskMemAlloc'd; release each and free it with
 * mftenum_free. */
enum mft_role { MFT_ROLE_CONVERTER, MFT_ROLE_DECODER };
HRESULT mftenum_find(struct resolve *r, enum mft_role role, IMFMediaType *input,
        const GUID *output_subtype, IMFActivate ***activates, UINT32 *count);
void mftenum_free(IMFActivate **activates, UINT32 count);
/* Creates the transform of an activate and unlocks it if asynchronous;
 * *clsid is its MFT_TRANSFORM_CLSID_Attribute (GUID_NULL if none). */
HRESULT mftenum_activate(IMFActivate *activate, IMFTransform **mft, GUID *clsid);
/* The class a transform names itself (IPersist::GetClassID, else its
 * MFT_TRANSFORM_CLSID_Attribute); GUID_NULL when it names none. */
GUID mft_class(IMFTransform *mft);
/* Unlocks an asynchronous transform (MF_TRANSFORM_ASYNC_UNLOCK) so that its
 * type methods may be called; nothing for a synchronous one. */
void mft_unlock(IMFTransform *mft);

#endif
