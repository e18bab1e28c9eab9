/*
 * The sequencer-like double's insides, shared by dseqsource.c (the source)
 * and dseqsource_list.c (the segment list, offsets, topology provider).
 */
#ifndef MFSESSION_TEST_DSEQSOURCE_PRIVATE_H
#define MFSESSION_TEST_DSEQSOURCE_PRIVATE_H

enum report { REPORT_AS_IS, REPORT_EMPTY, REPORT_AT };

struct dseqsource;

struct listener
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    struct dseqsource *seq;
    unsigned index;
};

struct segment
{
    IMFTopology *topology;              /* the application's, its source nodes now pointing here */
    IMFMediaSource *native;
    IMFPresentationDescriptor *pd;      /* the native descriptor the source nodes hold: the segment's name */
    MFSequencerElementId id;
    DWORD flags;
    BOOL native_started;
    BOOL ended;                         /* its end was passed on since the native source last started */
    enum report report;                 /* how its next MESourceStarted is passed on */
    struct listener listener;
};

struct dseqsource
{
    IMFMediaSource IMFMediaSource_iface;
    IMFSequencerSource IMFSequencerSource_iface;
    IMFMediaSourceTopologyProvider IMFMediaSourceTopologyProvider_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    IMFMediaEventQueue *queue;
    struct segment segments[DSEQ_MAX_SEGMENTS];
    unsigned count;
    int active;             /* the segment in play, -1 */
    int announced;          /* MENewPresentation sent for it, not played yet, -1 */
    int target;             /* a skip's target, -1 */
    LONGLONG target_offset;
    BOOL shut_down;
    IUnknown *last_offset;
    unsigned canceled;
};

struct dseqsource *dseq_from_sequencer(IMFSequencerSource *iface);
struct dseqsource *dseq_from_provider(IMFMediaSourceTopologyProvider *iface);
int dseq_find_segment(struct dseqsource *seq, IMFPresentationDescriptor *pd); /* lock held; -1 if none */
int dseq_find_id(struct dseqsource *seq, MFSequencerElementId id);           /* lock held; -1 if none */
BOOL dseq_offset_read(IUnknown *offset, MFSequencerElementId *id, MFTIME *time); /* one of dseqsource_offset's */
extern const IMFAsyncCallbackVtbl dseq_listener_vtbl;
extern const IMFSequencerSourceVtbl dseq_sequencer_vtbl;
extern const IMFMediaSourceTopologyProviderVtbl dseq_provider_vtbl;

#endif
