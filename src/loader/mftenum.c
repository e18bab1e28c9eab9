/*
 * mftenum.c: which transforms the loader tries, in which order.
 *
 * MFTEnumEx by category and input (and output) type.  Local registrations
 * (MFTRegisterLocal, the session's IMFLocalMFTRegistration) come first, as
 * Windows orders them, then the rest by MFT_CODEC_MERIT_Attribute, highest
 * first; the platform's order is kept between equals.  Hardware transforms
 * are asked for only when the topology's MF_TOPOLOGY_HARDWARE_MODE allows.
 */
#include <stdlib.h>
#include <string.h>

#include "loader_private.h"

struct ranked
{
    IMFActivate *activate;
    BOOL local;
    UINT32 merit;
    UINT32 order;
};

static int compare_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;

    if (x->local != y->local) return x->local ? -1 : 1;
    if (x->merit != y->merit) return x->merit > y->merit ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static GUID activate_clsid(IMFActivate *activate)
{
    GUID clsid = GUID_NULL;
    IMFActivate_GetGUID(activate, &MFT_TRANSFORM_CLSID_Attribute, &clsid);
    return clsid;
}

/* A transform found without MFT_ENUM_FLAG_LOCALMFT is registered for the
 * machine; one found only with it is local to this process. */
static BOOL in_list(IMFActivate **list, UINT32 count, const GUID *clsid)
{
    UINT32 i;

    if (IsEqualGUID(clsid, &GUID_NULL)) return FALSE;
    for (i = 0; i < count; ++i)
    {
        GUID other = activate_clsid(list[i]);
        if (IsEqualGUID(&other, clsid)) return TRUE;
    }
    return FALSE;
}

/* Wine's MFTEnumEx lists a registration made with MFT_ENUM_FLAG_HARDWARE
 * whatever the flags asked for (measured, test_loader_enum): the loader
 * drops those itself where the topology allows no hardware transform. */
static void drop_hardware(IMFActivate **activates, UINT32 *count)
{
    UINT32 i, kept = 0, flags;

    for (i = 0; i < *count; ++i)
    {
        if (SUCCEEDED(IMFActivate_GetUINT32(activates[i], &MF_TRANSFORM_FLAGS_Attribute, &flags))
                && (flags & MFT_ENUM_FLAG_HARDWARE))
            IMFActivate_Release(activates[i]);
        else
            activates[kept++] = activates[i];
    }
    *count = kept;
}

/* A transform's merit: its activate's MFT_CODEC_MERIT_Attribute, or for a
 * machine registration the one registered with it (Wine's activates do not
 * carry it; MFTGetInfo reads it back). */
static UINT32 activate_merit(IMFActivate *activate, const GUID *clsid, BOOL local)
{
    IMFAttributes *attributes = NULL;
    UINT32 merit = 0;

    if (SUCCEEDED(IMFActivate_GetUINT32(activate, &MFT_CODEC_MERIT_Attribute, &merit))) return merit;
    if (local || IsEqualGUID(clsid, &GUID_NULL)) return 0;
    if (SUCCEEDED(MFTGetInfo(*clsid, NULL, NULL, NULL, NULL, NULL, &attributes)) && attributes)
    {
        if (FAILED(IMFAttributes_GetUINT32(attributes, &MFT_CODEC_MERIT_Attribute, &merit))) merit = 0;
        IMFAttributes_Release(attributes);
    }
    return merit;
}

static BOOL enum_missed(const struct resolve *r, const GUID *category, const MFT_REGISTER_TYPE_INFO *in,
        const MFT_REGISTER_TYPE_INFO *out)
{
    unsigned int i;

    for (i = 0; i < r->miss_count; ++i)
    {
        const struct enum_miss *miss = &r->misses[i];
        if (miss->category == category && !memcmp(&miss->in, in, sizeof(*in)) && miss->has_out == (out != NULL)
                && (!out || !memcmp(&miss->out, out, sizeof(*out))))
            return TRUE;
    }
    return FALSE;
}

static HRESULT enum_category(struct resolve *r, const GUID *category, const MFT_REGISTER_TYPE_INFO *in,
        const MFT_REGISTER_TYPE_INFO *out, IMFActivate ***activates, UINT32 *count)
{
    IMFActivate **machine = NULL;
    UINT32 machine_count = 0, i;
    struct ranked *ranked;
    HRESULT hr;

    *activates = NULL;
    *count = 0;
    if (enum_missed(r, category, in, out)) return S_OK;
    if (FAILED(hr = MFTEnumEx(*category, r->enum_flags | MFT_ENUM_FLAG_LOCALMFT, in, out, activates, count)))
        return hr;
    if (!(r->enum_flags & MFT_ENUM_FLAG_HARDWARE)) drop_hardware(*activates, count);
    if (!*count && r->miss_count < ENUM_MISS_MAX)
    {
        struct enum_miss *miss = &r->misses[r->miss_count++];
        miss->category = category;
        miss->in = *in;
        miss->has_out = out != NULL;
        if (out) miss->out = *out;
    }
    /* Ranking needs a second enumeration: only when there is a choice. */
    if (*count <= 1) return S_OK;
    if (FAILED(MFTEnumEx(*category, r->enum_flags, in, out, &machine, &machine_count)))
        machine_count = 0;

    if (!(ranked = calloc(*count, sizeof(*ranked))))
    {
        mftenum_free(machine, machine_count);
        mftenum_free(*activates, *count);
        *activates = NULL;
        *count = 0;
        return E_OUTOFMEMORY;
    }
    for (i = 0; i < *count; ++i)
    {
        GUID clsid = activate_clsid((*activates)[i]);
        ranked[i].activate = (*activates)[i];
        ranked[i].local = !in_list(machine, machine_count, &clsid);
        ranked[i].order = i;
        ranked[i].merit = activate_merit((*activates)[i], &clsid, ranked[i].local);
    }
    qsort(ranked, *count, sizeof(*ranked), compare_ranked);
    for (i = 0; i < *count; ++i)
        (*activates)[i] = ranked[i].activate;
    free(ranked);
    mftenum_free(machine, machine_count);
    return S_OK;
}

HRESULT mftenum_find(struct resolve *r, enum mft_role role, IMFMediaType *input,
        const GUID *output_subtype, IMFActivate ***activates, UINT32 *count)
{
    MFT_REGISTER_TYPE_INFO in, out;
    const GUID *categories[2] = {NULL, NULL};
    unsigned int i;
    HRESULT hr;

    *activates = NULL;
    *count = 0;
    if (FAILED(hr = IMFMediaType_GetMajorType(input, &in.guidMajorType))) return hr;
    if (FAILED(hr = IMFMediaType_GetGUID(input, &MF_MT_SUBTYPE, &in.guidSubtype))) return hr;
    out.guidMajorType = in.guidMajorType;
    if (output_subtype) out.guidSubtype = *output_subtype;

    if (IsEqualGUID(&in.guidMajorType, &MFMediaType_Audio))
    {
        /* Audio converters (effects) take samples, PCM or float: for a
         * compressed type the answer is none without reading the registry. */
        if (role == MFT_ROLE_CONVERTER && !type_is_raw(input)) return S_OK;
        categories[0] = role == MFT_ROLE_DECODER ? &MFT_CATEGORY_AUDIO_DECODER : &MFT_CATEGORY_AUDIO_EFFECT;
    }
    else if (IsEqualGUID(&in.guidMajorType, &MFMediaType_Video))
    {
        if (role == MFT_ROLE_DECODER)
            categories[0] = &MFT_CATEGORY_VIDEO_DECODER;
        else
        {
            /* The video processor converts most; colour converters that are
             * registered as effects are the fallback, for raw frames only
             * (a subtype the platform can size): nothing there converts
             * compressed video, and each enumeration reads the registry. */
            categories[0] = &MFT_CATEGORY_VIDEO_PROCESSOR;
            if (type_is_raw(input)) categories[1] = &MFT_CATEGORY_VIDEO_EFFECT;
        }
    }
    else
        return S_OK;

    for (i = 0; i < ARRAYSIZE(categories) && categories[i] && !*count; ++i)
        if (FAILED(hr = enum_category(r, categories[i], &in, output_subtype ? &out : NULL, activates, count)))
            return hr;
    return S_OK;
}

void mftenum_free(IMFActivate **activates, UINT32 count)
{
    UINT32 i;

    if (!activates) return;
    for (i = 0; i < count; ++i)
        if (activates[i]) IMFActivate_Release(activates[i]);
    CoTaskMemFree(activates);
}

void mft_unlock(IMFTransform *mft)
{
    IMFAttributes *attributes;
    UINT32 async = 0;

    if (FAILED(IMFTransform_GetAttributes(mft, &attributes))) return;
    if (SUCCEEDED(IMFAttributes_GetUINT32(attributes, &MF_TRANSFORM_ASYNC, &async)) && async)
        IMFAttributes_SetUINT32(attributes, &MF_TRANSFORM_ASYNC_UNLOCK, 1);
    IMFAttributes_Release(attributes);
}

GUID mft_class(IMFTransform *mft)
{
    IMFAttributes *attributes;
    GUID clsid = GUID_NULL;
    IPersist *persist;

    if (SUCCEEDED(IMFTransform_QueryInterface(mft, &IID_IPersist, (void **)&persist)))
    {
        if (FAILED(IPersist_GetClassID(persist, &clsid))) clsid = GUID_NULL;
        IPersist_Release(persist);
    }
    if (IsEqualGUID(&clsid, &GUID_NULL) && SUCCEEDED(IMFTransform_GetAttributes(mft, &attributes)))
    {
        if (FAILED(IMFAttributes_GetGUID(attributes, &MFT_TRANSFORM_CLSID_Attribute, &clsid))) clsid = GUID_NULL;
        IMFAttributes_Release(attributes);
    }
    return clsid;
}

HRESULT mftenum_activate(IMFActivate *activate, IMFTransform **mft, GUID *clsid)
{
    HRESULT hr;

    *clsid = activate_clsid(activate);
    if (FAILED(hr = IMFActivate_ActivateObject(activate, &IID_IMFTransform, (void **)mft)))
        return hr;
    /* A registration by class factory (MFTRegisterLocal) names no class:
     * the transform may still name its own. */
    if (IsEqualGUID(clsid, &GUID_NULL)) *clsid = mft_class(*mft);
    mft_unlock(*mft);
    return S_OK;
}
