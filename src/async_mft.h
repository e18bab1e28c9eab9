/*
 * async_mft.h: asynchronous transforms (MF_TRANSFORM_ASYNC), the pipeline's
 * event-driven transform node.  See docs/ASYNC-TRANSFORMS.md.
 *
 * A transform node whose transform says MF_TRANSFORM_ASYNC = TRUE carries a
 * `struct async_mft` (pnode->async).  The pipeline then hands it samples and
 * requests through the calls below instead of pumping the transform; its
 * events (METransformNeedInput, METransformHaveOutput,
 * METransformDrainComplete, METransformMarker) arrive through a weak
 * LINK_TRANSFORM event link and drive ProcessInput and ProcessOutput.
 * Everything but async_mft_unlock and async_mft_release runs on the
 * serializer (those two run where the topology is built and destroyed).
 */
#ifndef MFSESSION_ASYNC_MFT_H
#define MFSESSION_ASYNC_MFT_H

#include "session_internal.h"

struct async_mft
{
    IMFMediaEventGenerator *events; /* the transform's event generator */
    struct event_link *link;        /* LINK_TRANSFORM, while its topology is current or was */
    LONG *need_input;               /* per input: METransformNeedInput not yet answered by ProcessInput */
    DWORD input_count;
    unsigned output_ready;          /* METransformHaveOutput kept until downstream asks */
    UINT64 next_marker;             /* last MFT_MESSAGE_COMMAND_MARKER context sent */
    UINT64 awaited_marker;          /* events before its METransformMarker predate a flush; 0: none awaited */
    BOOL draining;                  /* COMMAND_DRAIN sent, until the outputs ended */
    BOOL drain_done;                /* METransformDrainComplete came; offers still to take first */
};

/* topology.c, right after the transform object is obtained and before any
 * other call on it: an asynchronous transform is unlocked
 * (MF_TRANSFORM_ASYNC_UNLOCK) and gets its node state.  S_OK and nothing
 * done for a synchronous transform. */
HRESULT async_mft_unlock(struct pnode *node);

/* topology.c, before the topology loader sees a partial topology: its
 * asynchronous transforms are unlocked, as the loader calls their type
 * methods (the transforms are shared with the client's topology). */
void async_mft_unlock_topology(IMFTopology *topology);

/* topology.c, when the topology becomes current: subscribes to the events of
 * its asynchronous transforms. */
HRESULT async_mft_attach(struct session *session, struct topology *topology);

/* topology.c, when a transform node is destroyed: cuts the event link and
 * frees the node state (IMFShutdown is shutdown_list.c's, at Shutdown). */
void async_mft_release(struct pnode *node);

/* pipeline.c: a sample (or the end of the stream, NULL) for input `input`. */
void async_mft_receive(struct session *session, struct pnode *node, DWORD input, IMFSample *sample);
/* pipeline.c: downstream asks for output. */
void async_mft_request(struct session *session, struct pnode *node);
/* pipeline.c: COMMAND_FLUSH was sent (stop, seek): what was asked and offered before is void. */
void async_mft_flushed(struct session *session, struct pnode *node);

/* operation.c: an event from the transform's queue. */
void async_mft_on_event(struct session *session, struct pnode *node, IMFMediaEvent *event,
        MediaEventType type, HRESULT status);

/* pipeline.c, for async_mft.c: the edge operations and the output allocation
 * the synchronous pump uses. */
void pipeline_edge_request(struct session *session, struct edge *edge);
void pipeline_edge_push(struct session *session, struct edge *edge, IMFSample *sample);
HRESULT pipeline_alloc_output(struct pnode *node, DWORD output, IMFSample **out);

#endif
