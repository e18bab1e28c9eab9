/*
 * shutdown_list.c: the components the session shuts down at Shutdown.
 *
 * Windows shuts the media sinks down at the session's Shutdown and never
 * before (observed in test_media_session_sink_shutdown): SetTopology with
 * CLEAR_CURRENT, ClearTopologies, Close and the end of a playlist entry leave
 * them running, MF_TOPONODE_NOSHUTDOWN_ON_REMOVE is ignored, and the sinks of
 * topologies still queued are shut down too.  Transforms that expose
 * IMFShutdown are shut down with them (test_async_transform).  So every sink
 * (with the IMFActivate it came from) and every such transform of a topology
 * the session accepted is kept here, once, until Shutdown.
 */
#include "session_internal.h"

struct shutdown_entry
{
    IUnknown *object;       /* the media sink, or the transform's IMFShutdown */
    IMFActivate *activate;  /* where the sink came from, if any */
    BOOL is_sink;
};

static struct shutdown_entry *find_entry(struct session *session, IUnknown *object)
{
    unsigned i;
    for (i = 0; i < session->shutdown_count; ++i)
        if (session->shutdown_entries[i].object == object) return &session->shutdown_entries[i];
    return NULL;
}

static void add_entry(struct session *session, IUnknown *object, IMFActivate *activate, BOOL is_sink)
{
    struct shutdown_entry *entry;

    if ((entry = find_entry(session, object)))
    {
        if (!entry->activate && activate)
        {
            entry->activate = activate;
            IMFActivate_AddRef(activate);
        }
        return;
    }
    if (session->shutdown_count == session->shutdown_size)
    {
        unsigned size = session->shutdown_size ? session->shutdown_size * 2 : 8;
        void *entries = realloc(session->shutdown_entries, size * sizeof(*session->shutdown_entries));
        if (!entries) return;
        session->shutdown_entries = entries;
        session->shutdown_size = size;
    }
    entry = &session->shutdown_entries[session->shutdown_count++];
    entry->object = object;
    IUnknown_AddRef(object);
    if ((entry->activate = activate)) IMFActivate_AddRef(activate);
    entry->is_sink = is_sink;
}

void shutdown_list_add_topology(struct session *session, struct topology *t)
{
    unsigned i;

    for (i = 0; i < t->sink_count; ++i)
        add_entry(session, (IUnknown *)t->sinks[i].object, t->sinks[i].activate, TRUE);
    for (i = 0; i < t->node_count; ++i)
    {
        IMFShutdown *shutdown;
        if (t->nodes[i].kind != PNODE_TRANSFORM || !t->nodes[i].mft) continue;
        if (FAILED(IMFTransform_QueryInterface(t->nodes[i].mft, &IID_IMFShutdown, (void **)&shutdown))) continue;
        add_entry(session, (IUnknown *)shutdown, NULL, FALSE);
        IMFShutdown_Release(shutdown);
    }
}

/* Serializer, or the thread that runs the teardown: shuts everything down
 * once, in the order the session met it, and lets go. */
void shutdown_list_run(struct session *session)
{
    struct shutdown_entry *entries = session->shutdown_entries;
    unsigned i, count = session->shutdown_count;

    session->shutdown_entries = NULL;
    session->shutdown_count = session->shutdown_size = 0;
    for (i = 0; i < count; ++i)
    {
        struct shutdown_entry *entry = &entries[i];
        if (entry->is_sink)
        {
            /* The sink first: some activates only drop their object in ShutdownObject. */
            TRACED_CALL(session, "sink.Shutdown", IMFMediaSink_Shutdown((IMFMediaSink *)entry->object));
            if (entry->activate) IMFActivate_ShutdownObject(entry->activate);
        }
        else
            TRACED_CALL(session, "transform.Shutdown", IMFShutdown_Shutdown((IMFShutdown *)entry->object));
        if (entry->activate) IMFActivate_Release(entry->activate);
        IUnknown_Release(entry->object);
    }
    free(entries);
}
