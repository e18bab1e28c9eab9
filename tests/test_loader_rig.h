/*
 * Shared by test_loader and test_loader_diff: media types, partial
 * topologies for the loader, our loader and the platform's, and a textual
 * shape of a resolved topology (node kinds, transform CLSIDs and the media
 * type on every connection) that two loaders' answers can be compared by.
 */
#ifndef MFSESSION_TEST_LOADER_RIG_H
#define MFSESSION_TEST_LOADER_RIG_H

#include "common.h"
#include "dloader.h"

/* A complete audio type; bits 32 with MFAudioFormat_Float. */
IMFMediaType *rig_audio(const GUID *subtype, UINT32 channels, UINT32 rate, UINT32 bits);
/* A video type with frame size (no size when width is 0). */
IMFMediaType *rig_video(const GUID *subtype, UINT32 width, UINT32 height);
/* An audio type with only major type and subtype. */
IMFMediaType *rig_audio_bare(const GUID *subtype);

/* A source stream node: a stream descriptor listing `types` (current type
 * `current`, none when NULL) in a presentation descriptor of its own. */
IMFTopologyNode *rig_source_node(IMFMediaType **types, unsigned count, IMFMediaType *current);
/* An output node holding `object`; the connect method only when method >= 0. */
IMFTopologyNode *rig_output_node(IUnknown *object, int method);
IMFTopologyNode *rig_node(MF_TOPOLOGY_TYPE type, IUnknown *object);
/* A dlsink with the handler's current type and refused type (either NULL). */
IMFStreamSink *rig_sink(IMFMediaType *current, IMFMediaType *refuse);

/* A topology of the given nodes (added in order). */
IMFTopology *rig_topology(IMFTopologyNode **nodes, unsigned count);
/* source -> sink (method on the output node when >= 0). */
IMFTopology *rig_pair(IMFTopologyNode *source, IMFStreamSink *sink, int method, IMFTopologyNode **sink_node);

/* Our loader, through DllGetClassObject(CLSID_MFSessionTopoLoader). */
IMFTopoLoader *rig_our_loader(void);

/* The shape of a topology, e.g. "SRC[PCM/1/44100] -> MFT{f447b69e}[PCM/1/48000] -> OUT",
 * branches of a tee in braces.  Written into buf (truncated at size). */
void rig_shape(IMFTopology *topology, char *buf, size_t size);
/* Number of nodes of a kind in a topology. */
unsigned rig_count(IMFTopology *topology, MF_TOPOLOGY_TYPE type);
/* The n-th transform node met walking from the first source (NULL if none): AddRef'd. */
IMFTopologyNode *rig_transform(IMFTopology *topology, unsigned n);

/* A class object for CoRegisterClassObject, static (no reference
 * counting): CreateInstance (without aggregation) calls create(f, riid, out). */
struct rig_factory
{
    IClassFactory IClassFactory_iface;
    HRESULT (*create)(struct rig_factory *factory, REFIID riid, void **out);
    DWORD cookie;       /* CoRegisterClassObject's */
};
void rig_factory_init(struct rig_factory *factory, HRESULT (*create)(struct rig_factory *, REFIID, void **));

struct dsource;
struct dsink;
/* For a session: the first stream of `src` -> a tee -> stream sinks 0 and 1 of `sink`. */
IMFTopology *rig_session_tee(struct dsource *src, struct dsink *sink);
/* SetTopology(0, topology) and the status of MESessionTopologySet (waited for
 * with TEST_TIMEOUT; HRESULT_FROM_WIN32(WAIT_TIMEOUT) when it does not come). */
HRESULT rig_set_topology_status(IMFMediaSession *session, IMFTopology *topology);
/* Shuts down and releases what a session test made. */
void rig_session_done(IMFMediaSession *session, IMFTopology *topology, struct dsource *src, struct dsink *sink);

#endif
