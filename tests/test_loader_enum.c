/*
 * test_loader_enum: which transforms our loader inserts, in which order,
 * and how it marks them.
 *
 * Windows' order (MFTEnumEx's documentation, and what Windows' loader
 * does with it): process-local registrations first (MFTRegisterLocal,
 * MFTRegisterLocalByCLSID, the session's IMFLocalMFTRegistration), then
 * machine registrations by MFT_CODEC_MERIT_Attribute, highest first;
 * hardware transforms only where the topology's MF_TOPOLOGY_HARDWARE_MODE
 * allows them; an asynchronous transform unlocked (MF_TRANSFORM_ASYNC_UNLOCK)
 * before its types are set.  Every inserted node carries
 * MF_TOPONODE_TRANSFORM_OBJECTID (its class; GUID_NULL for a registration
 * by class factory, which names none), decoders MF_TOPONODE_DECODER.
 *
 * The decoders are dcodec doubles for a subtype nothing else decodes, so
 * that machine registrations made here (MFTRegister in the test's own
 * prefix, the class objects registered in this process only) change no
 * other test's resolution: elsewhere they cannot be created and are
 * passed over.
 */
#include <stdio.h>
#include <string.h>

#include "test_loader_rig.h"
#include "doubles.h"

/* Classes of the machine-registered and CLSID-local decoders (this test's own). */
static const GUID CLSID_merit5 = {0x5b1c4a71, 0x1f0e, 0x4d6b, {0x9a, 0x51, 0x3e, 0x0c, 0x7d, 0x21, 0x55, 0x05}};
static const GUID CLSID_merit9 = {0x5b1c4a71, 0x1f0e, 0x4d6b, {0x9a, 0x51, 0x3e, 0x0c, 0x7d, 0x21, 0x55, 0x09}};
static const GUID CLSID_hardware = {0x5b1c4a71, 0x1f0e, 0x4d6b, {0x9a, 0x51, 0x3e, 0x0c, 0x7d, 0x21, 0x55, 0x15}};
static const GUID CLSID_session_local = {0x5b1c4a71, 0x1f0e, 0x4d6b, {0x9a, 0x51, 0x3e, 0x0c, 0x7d, 0x21, 0x55, 0x31}};

/* MF_TOPOLOGY_HARDWARE_MODE's values (mfidl.h declares them for Windows 7 and later only). */
enum { HWMODE_SOFTWARE_ONLY = 0, HWMODE_USE_HARDWARE = 1 };

enum { TAG_MERIT5 = 5, TAG_MERIT9 = 9, TAG_HARDWARE = 15, TAG_SESSION_LOCAL = 31, TAG_FACTORY_LOCAL = 41 };

static IMFTopoLoader *loader;
static IMFMediaType *pcm44, *pcm48, *coded;

/* ---- class objects for dcodecs, registered in this process (CoRegisterClassObject) ---- */

struct factory
{
    struct rig_factory base;
    struct dcodec_desc desc;
};

static HRESULT create_dcodec(struct rig_factory *base, REFIID riid, void **out)
{
    struct factory *factory = CONTAINING_RECORD(base, struct factory, base);
    IMFTransform *mft;
    HRESULT hr;

    if (FAILED(hr = dcodec_create(&factory->desc, &mft))) return hr;
    hr = IMFTransform_QueryInterface(mft, riid, out);
    IMFTransform_Release(mft);
    return hr;
}

static struct factory factories[] =
{
    {{{NULL}}, {DCODEC_DECODER, FALSE, TAG_MERIT5}},
    {{{NULL}}, {DCODEC_DECODER, FALSE, TAG_MERIT9}},
    {{{NULL}}, {DCODEC_DECODER, TRUE, TAG_HARDWARE}},
    {{{NULL}}, {DCODEC_DECODER, FALSE, TAG_SESSION_LOCAL}},
};
static const GUID *const factory_clsids[ARRAYSIZE(factories)] =
{
    &CLSID_merit5, &CLSID_merit9, &CLSID_hardware, &CLSID_session_local,
};

static void register_class_objects(BOOL on)
{
    unsigned i;

    for (i = 0; i < ARRAYSIZE(factories); ++i)
    {
        struct rig_factory *f = &factories[i].base;

        if (on)
        {
            rig_factory_init(f, create_dcodec);
            ok_hr(S_OK, CoRegisterClassObject(factory_clsids[i], (IUnknown *)&f->IClassFactory_iface,
                    CLSCTX_INPROC_SERVER, REGCLS_MULTIPLEUSE, &f->cookie));
        }
        else if (f->cookie)
            CoRevokeClassObject(f->cookie);
    }
}

/* A machine registration (this prefix's registry) of a dcodec decoder. */
static HRESULT register_machine(const GUID *clsid, UINT32 merit, UINT32 flags)
{
    MFT_REGISTER_TYPE_INFO in = {MFMediaType_Audio, DCODEC_SUBTYPE}, out = {MFMediaType_Audio, MFAudioFormat_PCM};
    IMFAttributes *attributes;
    HRESULT hr;

    MFCreateAttributes(&attributes, 1);
    IMFAttributes_SetUINT32(attributes, &MFT_CODEC_MERIT_Attribute, merit);
    hr = MFTRegister(*clsid, MFT_CATEGORY_AUDIO_DECODER, (WCHAR *)L"mfsession test_loader_enum decoder", flags,
            1, &in, 1, &out, attributes);
    IMFAttributes_Release(attributes);
    return hr;
}

/* ---- resolving source (coded) -> sink (PCM 48 kHz mono) ---- */

struct inserted
{
    UINT32 tag;         /* dcodec_tag of the first inserted transform (0: none inserted) */
    HRESULT class_hr;   /* MF_TOPONODE_TRANSFORM_OBJECTID present? */
    GUID clsid;
    UINT32 decoder;
};

static HRESULT resolve_coded(UINT32 hardware_mode, struct inserted *ins)
{
    IMFTopologyNode *src = rig_source_node(&coded, 1, coded), *out, *node;
    IMFStreamSink *sink = rig_sink(pcm48, NULL);
    IMFTopology *topology, *result = NULL;
    IUnknown *object;
    HRESULT hr;

    memset(ins, 0, sizeof(*ins));
    ins->class_hr = E_FAIL;
    topology = rig_pair(src, sink, -1, &out);
    if (hardware_mode != ~0u) IMFTopology_SetUINT32(topology, &MF_TOPOLOGY_HARDWARE_MODE, hardware_mode);
    if (SUCCEEDED(hr = IMFTopoLoader_Load(loader, topology, &result, NULL)) && (node = rig_transform(result, 0)))
    {
        if (SUCCEEDED(IMFTopologyNode_GetObject(node, &object)))
        {
            ins->tag = dcodec_tag(object);
            IUnknown_Release(object);
        }
        ins->class_hr = IMFTopologyNode_GetItem(node, &MF_TOPONODE_TRANSFORM_OBJECTID, NULL);
        IMFTopologyNode_GetGUID(node, &MF_TOPONODE_TRANSFORM_OBJECTID, &ins->clsid);
        IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_DECODER, &ins->decoder);
        IMFTopologyNode_Release(node);
    }
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);
    return hr;
}

static void check_inserted(const struct inserted *ins, UINT32 tag, const GUID *clsid, const char *what)
{
    ok(ins->tag == tag, "%s: the decoder tagged %u was chosen (got %u)", what, tag, ins->tag);
    ok(ins->class_hr == S_OK, "%s: the inserted node carries MF_TOPONODE_TRANSFORM_OBJECTID (%#lx)", what,
            (unsigned long)ins->class_hr);
    ok(IsEqualGUID(&ins->clsid, clsid), "%s: MF_TOPONODE_TRANSFORM_OBJECTID is the decoder's class (%08lx)", what,
            (unsigned long)ins->clsid.Data1);
    ok(ins->decoder == 1, "%s: MF_TOPONODE_DECODER = 1", what);
}

/* Whether MFTEnumEx lists a class for the coded subtype with `flags`. */
static BOOL enumerated(const GUID *clsid, UINT32 flags)
{
    MFT_REGISTER_TYPE_INFO in = {MFMediaType_Audio, DCODEC_SUBTYPE};
    IMFActivate **activates;
    UINT32 count = 0, i;
    BOOL found = FALSE;
    GUID other;

    if (FAILED(MFTEnumEx(MFT_CATEGORY_AUDIO_DECODER, flags, &in, NULL, &activates, &count))) return FALSE;
    for (i = 0; i < count; ++i)
    {
        if (SUCCEEDED(IMFActivate_GetGUID(activates[i], &MFT_TRANSFORM_CLSID_Attribute, &other))
                && IsEqualGUID(&other, clsid))
            found = TRUE;
        IMFActivate_Release(activates[i]);
    }
    CoTaskMemFree(activates);
    return found;
}

/* What the platform's enumeration tells of each registration (recorded). */
static void probe(void)
{
    MFT_REGISTER_TYPE_INFO in = {MFMediaType_Audio, DCODEC_SUBTYPE};
    IMFAttributes *attributes;
    IMFActivate **activates;
    UINT32 count = 0, i, merit, flags, info_merit, n;
    GUID clsid;

    if (FAILED(MFTEnumEx(MFT_CATEGORY_AUDIO_DECODER, MFT_ENUM_FLAG_ALL, &in, NULL, &activates, &count))) return;
    for (i = 0; i < count; ++i)
    {
        clsid = GUID_NULL;
        merit = flags = info_merit = ~0u;
        IMFActivate_GetGUID(activates[i], &MFT_TRANSFORM_CLSID_Attribute, &clsid);
        IMFActivate_GetUINT32(activates[i], &MFT_CODEC_MERIT_Attribute, &merit);
        IMFActivate_GetUINT32(activates[i], &MF_TRANSFORM_FLAGS_Attribute, &flags);
        IMFActivate_GetCount(activates[i], &n);
        attributes = NULL;
        if (SUCCEEDED(MFTGetInfo(clsid, NULL, NULL, NULL, NULL, NULL, &attributes)) && attributes)
        {
            IMFAttributes_GetUINT32(attributes, &MFT_CODEC_MERIT_Attribute, &info_merit);
            IMFAttributes_Release(attributes);
        }
        diag("MFTEnumEx(ALL) %u: class %08lx, %u attributes, merit %#x, flags %#x, MFTGetInfo merit %#x", i,
                (unsigned long)clsid.Data1, n, merit, flags, info_merit);
        IMFActivate_Release(activates[i]);
    }
    CoTaskMemFree(activates);
}

/* Machine registrations: by merit; the hardware one only with MF_TOPOLOGY_HARDWARE_MODE. */
static void test_merit_and_hardware(void)
{
    struct inserted ins;

    /* In the order that would win without the ranking: the lower merit first. */
    ok_hr(S_OK, register_machine(&CLSID_merit5, 5, MFT_ENUM_FLAG_SYNCMFT));
    ok_hr(S_OK, register_machine(&CLSID_merit9, 9, MFT_ENUM_FLAG_SYNCMFT));
    ok_hr(S_OK, register_machine(&CLSID_hardware, 100, MFT_ENUM_FLAG_HARDWARE | MFT_ENUM_FLAG_ASYNCMFT));

    probe();
    ok_hr(S_OK, resolve_coded(~0u, &ins));
    check_inserted(&ins, TAG_MERIT9, &CLSID_merit9, "machine decoders, merits 5 and 9");
    ok_hr(S_OK, resolve_coded(HWMODE_SOFTWARE_ONLY, &ins));
    check_inserted(&ins, TAG_MERIT9, &CLSID_merit9, "MFTOPOLOGY_HWMODE_SOFTWARE_ONLY");

    /* Hardware allowed: the hardware decoder (merit 100, asynchronous: it
     * refuses type calls until unlocked). */
    if (!enumerated(&CLSID_hardware, MFT_ENUM_FLAG_HARDWARE | MFT_ENUM_FLAG_ASYNCMFT | MFT_ENUM_FLAG_SYNCMFT))
        skip("this platform's MFTEnumEx lists no hardware registration made with MFTRegister");
    else
    {
        ok_hr(S_OK, resolve_coded(HWMODE_USE_HARDWARE, &ins));
        check_inserted(&ins, TAG_HARDWARE, &CLSID_hardware, "MFTOPOLOGY_HWMODE_USE_HARDWARE");
    }
    /* Recorded: Wine 8's MFTEnumEx lists it without MFT_ENUM_FLAG_HARDWARE
     * too; the loader drops it by its MF_TRANSFORM_FLAGS_Attribute (above). */
    diag("MFTEnumEx without MFT_ENUM_FLAG_HARDWARE %s the hardware registration",
            enumerated(&CLSID_hardware, MFT_ENUM_FLAG_ASYNCMFT | MFT_ENUM_FLAG_SYNCMFT | MFT_ENUM_FLAG_LOCALMFT)
            ? "lists" : "does not list");

    MFTUnregister(CLSID_hardware);
    MFTUnregister(CLSID_merit9);
    /* Merit 5 alone. */
    ok_hr(S_OK, resolve_coded(~0u, &ins));
    check_inserted(&ins, TAG_MERIT5, &CLSID_merit5, "machine decoder, merit 5 alone");
}

/* Process-local registrations go before every machine one, whatever its merit. */
static void test_local_first(void)
{
    struct dcodec_desc factory_local = {DCODEC_DECODER, FALSE, TAG_FACTORY_LOCAL};
    MFT_REGISTER_TYPE_INFO in = {MFMediaType_Audio, DCODEC_SUBTYPE}, out = {MFMediaType_Audio, MFAudioFormat_PCM};
    MFT_REGISTRATION_INFO info = {0};
    IMFLocalMFTRegistration *local = NULL;
    IMFMediaSession *session;
    IClassFactory *cookie;
    struct inserted ins;

    ok_hr(S_OK, register_machine(&CLSID_merit9, 9, MFT_ENUM_FLAG_SYNCMFT));

    /* Through the session's IMFLocalMFTRegistration (MFTRegisterLocalByCLSID). */
    if (!(session = create_session())) return;
    ok_hr(S_OK, MFGetService((IUnknown *)session, &MF_LOCAL_MFT_REGISTRATION_SERVICE, &IID_IMFLocalMFTRegistration,
            (void **)&local));
    info.clsid = CLSID_session_local;
    info.guidCategory = MFT_CATEGORY_AUDIO_DECODER;
    info.uiFlags = MFT_ENUM_FLAG_SYNCMFT;
    info.pszName = (WCHAR *)L"mfsession test_loader_enum session-local decoder";
    info.cInTypes = 1;
    info.pInTypes = &in;
    info.cOutTypes = 1;
    info.pOutTypes = &out;
    if (local)
    {
        ok_hr(S_OK, IMFLocalMFTRegistration_RegisterMFTs(local, &info, 1));
        IMFLocalMFTRegistration_Release(local);
    }
    ok_hr(S_OK, resolve_coded(~0u, &ins));
    check_inserted(&ins, TAG_SESSION_LOCAL, &CLSID_session_local,
            "registered through the session's IMFLocalMFTRegistration, before merit 9");
    MFTUnregisterLocalByCLSID(CLSID_session_local);
    IMFMediaSession_Shutdown(session);
    IMFMediaSession_Release(session);

    /* By class factory (MFTRegisterLocal): no class to name, GUID_NULL. */
    ok_hr(S_OK, dcodec_register_local(&factory_local, &cookie));
    ok_hr(S_OK, resolve_coded(~0u, &ins));
    check_inserted(&ins, TAG_FACTORY_LOCAL, &GUID_NULL, "registered by class factory, before merit 9");
    dcodec_unregister_local(cookie);

    ok_hr(S_OK, resolve_coded(~0u, &ins));
    check_inserted(&ins, TAG_MERIT9, &CLSID_merit9, "the local registrations withdrawn");
    MFTUnregister(CLSID_merit9);
}

/* Local transforms, asynchronous ones, decoder + converter. */
static void test_local_transforms(void)
{
    struct dcodec_desc converter = {DCODEC_CONVERTER, FALSE, 7}, decoder = {DCODEC_DECODER, FALSE, 9};
    struct dcodec_desc async_decoder = {DCODEC_DECODER, TRUE, 11};
    IMFTopologyNode *src, *out, *node, *src2, *out2;
    IMFTopology *topology, *result, *topology2;
    IClassFactory *cookie, *cookie2;
    IMFStreamSink *sink, *sink2;
    char shape[512];
    IUnknown *object;
    UINT32 flag = 0;
    HRESULT hr;

    /* A local converter goes before the platform's resampler. */
    ok_hr(S_OK, dcodec_register_local(&converter, &cookie));
    src = rig_source_node(&pcm44, 1, NULL);
    sink = rig_sink(pcm48, NULL);
    topology = rig_pair(src, sink, -1, &out);
    ok_hr(S_OK, IMFTopoLoader_Load(loader, topology, &result, NULL));
    if ((node = rig_transform(result, 0)))
    {
        IMFTopologyNode_GetObject(node, &object);
        ok(dcodec_tag(object) == 7, "the local converter was chosen (tag %u)", dcodec_tag(object));
        ok_hr(S_OK, IMFTopologyNode_GetItem(node, &MF_TOPONODE_TRANSFORM_OBJECTID, NULL));
        ok(FAILED(IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_DECODER, &flag)), "a converter is not a decoder");
        IUnknown_Release(object);
        IMFTopologyNode_Release(node);
    }
    else ok(0, "a converter was inserted");
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);
    dcodec_unregister_local(cookie);

    /* A local decoder for a subtype nothing else decodes. */
    ok_hr(S_OK, dcodec_register_local(&decoder, &cookie));
    src = rig_source_node(&coded, 1, coded);
    sink = rig_sink(pcm48, NULL);
    topology = rig_pair(src, sink, -1, &out);
    ok_hr(S_OK, IMFTopoLoader_Load(loader, topology, &result, NULL));
    if ((node = rig_transform(result, 0)))
    {
        IMFTopologyNode_GetObject(node, &object);
        ok(dcodec_tag(object) == 9, "the local decoder was chosen (tag %u)", dcodec_tag(object));
        ok_hr(S_OK, IMFTopologyNode_GetUINT32(node, &MF_TOPONODE_DECODER, &flag));
        ok(flag == 1, "marked as a decoder");
        IUnknown_Release(object);
        IMFTopologyNode_Release(node);
    }
    else ok(0, "a decoder was inserted");
    if (result) IMFTopology_Release(result);

    /* The decoder's output is not the sink's: a converter after it, both named. */
    sink2 = rig_sink(pcm44, NULL);
    src2 = rig_source_node(&coded, 1, coded);
    topology2 = rig_pair(src2, sink2, -1, &out2);
    ok_hr(S_OK, IMFTopoLoader_Load(loader, topology2, &result, NULL));
    rig_shape(result, shape, sizeof(shape));
    ok(!strcmp(shape, "SRC[DCODEC/0/0/0] -> DEC{00000000}[PCM/1/48000/16] -> MFT{f447b69e}[PCM/1/44100/16] -> OUT"),
            "decoder and converter: %s", shape);
    if ((node = rig_transform(result, 0)))
    {
        ok_hr(S_OK, IMFTopologyNode_GetItem(node, &MF_TOPONODE_TRANSFORM_OBJECTID, NULL));
        IMFTopologyNode_Release(node);
    }
    if (result) IMFTopology_Release(result);
    IMFTopology_Release(topology2);
    IMFTopologyNode_Release(src2);
    IMFTopologyNode_Release(out2);
    IMFStreamSink_Release(sink2);
    dcodec_unregister_local(cookie);

    /* Nothing decodes it any more: Windows' code for a missing decoder. */
    ok_hr(MF_E_TOPO_CODEC_NOT_FOUND, IMFTopoLoader_Load(loader, topology, &result, NULL));

    /* An asynchronous decoder is unlocked before its types are set (it
     * refuses type calls with MF_E_TRANSFORM_ASYNC_LOCKED until then). */
    ok_hr(S_OK, dcodec_register_local(&async_decoder, &cookie2));
    hr = IMFTopoLoader_Load(loader, topology, &result, NULL);
    ok_hr(S_OK, hr);
    if (SUCCEEDED(hr) && (node = rig_transform(result, 0)))
    {
        IMFTopologyNode_GetObject(node, &object);
        ok(dcodec_tag(object) == 11, "the asynchronous decoder was chosen");
        IUnknown_Release(object);
        IMFTopologyNode_Release(node);
    }
    if (SUCCEEDED(hr)) IMFTopology_Release(result);
    dcodec_unregister_local(cookie2);
    IMFTopology_Release(topology);
    IMFTopologyNode_Release(src);
    IMFTopologyNode_Release(out);
    IMFStreamSink_Release(sink);
}

START_TEST(loader_enum)
{
    unsigned i;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    harness_watchdog(60000);
    pcm44 = rig_audio(&MFAudioFormat_PCM, 1, 44100, 16);
    pcm48 = rig_audio(&MFAudioFormat_PCM, 1, 48000, 16);
    coded = rig_audio_bare(&DCODEC_SUBTYPE);
    /* A run that crashed may have left its registrations behind. */
    for (i = 0; i < ARRAYSIZE(factory_clsids); ++i) MFTUnregister(*factory_clsids[i]);
    register_class_objects(TRUE);

    if (!(loader = rig_our_loader()))
    {
        ok(0, "our loader could be created");
        return;
    }
    RUN(test_local_transforms);
    RUN(test_merit_and_hardware);
    RUN(test_local_first);
    IMFTopoLoader_Release(loader);

    for (i = 0; i < ARRAYSIZE(factory_clsids); ++i) MFTUnregister(*factory_clsids[i]);
    register_class_objects(FALSE);
    IMFMediaType_Release(pcm44);
    IMFMediaType_Release(pcm48);
    IMFMediaType_Release(coded);
    MFShutdown();
    CoUninitialize();
}
