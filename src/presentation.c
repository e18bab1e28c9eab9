/*
 * presentation.c: what a topology attaches to when its presentation first
 * starts.
 *
 * Windows touches the components of a topology that was set but never
 * started only to resolve it (observed in test_media_session_events): it
 * subscribes to a source's events when the Start command runs, and a source
 * whose BeginGetEvent fails is never started (the failure is
 * MESessionStarted's status); the stream sinks' events and the media sinks'
 * SetPresentationClock come only once the sources have started.  A topology
 * taking over a running presentation (a playlist) attaches everything at
 * once, in topology_make_current.
 */
#include "session_internal.h"

/* Subscribes to the events of each source not yet followed.  The first
 * subscription is made here rather than left to the idle list, so that a
 * source whose queue refuses it fails the Start before Start is called. */
HRESULT presentation_attach_sources(struct session *session, struct topology *t)
{
    unsigned i;
    HRESULT hr;

    for (i = 0; i < t->source_count; ++i)
    {
        struct source *source = &t->sources[i];
        IMFMediaEventGenerator *generator = (IMFMediaEventGenerator *)source->object;

        if (source->link) continue;
        if (FAILED(hr = event_link_create(session, LINK_SOURCE, source, generator, &source->link))) return hr;
        if (FAILED(hr = TRACED_CALL(session, "source.BeginGetEvent",
                IMFMediaEventGenerator_BeginGetEvent(generator, &source->link->IMFAsyncCallback_iface, NULL))))
        {
            event_link_detach(source->link);
            event_link_release(source->link);
            source->link = NULL;
            return hr;
        }
    }
    return S_OK;
}

/* Follows the stream sinks' events (through the idle list: a sink that
 * answers inside a call is found by polling) and gives the sinks the clock. */
HRESULT presentation_attach_sinks(struct session *session, struct topology *t)
{
    unsigned i;
    HRESULT hr;

    for (i = 0; i < t->node_count; ++i)
    {
        struct pnode *p = &t->nodes[i];
        if (p->kind != PNODE_SINK || p->sink_link) continue;
        if (FAILED(hr = event_link_create(session, LINK_STREAM_SINK, p, (IMFMediaEventGenerator *)p->stream_sink,
                &p->sink_link))) return hr;
        session_list_idle_link(session, p->sink_link);
    }
    return clock_begin_presentation(session, t);
}
