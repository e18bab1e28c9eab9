/*
 * clock.c: the presentation clock's time source and the sinks' clock.
 *
 * Windows gives the clock a time source and the media sinks the clock when
 * a presentation starts, not when its topology is set (observed): until the
 * first Start, GetClock's clock has no time source (GetProperties and its
 * SetRate fail with MF_E_CLOCK_NO_TIME_SOURCE).  The time source is the
 * first media sink offering IMFPresentationTimeSource (the audio renderer),
 * else the session's system time source.
 */
#include "session_internal.h"

/* Gives each sink of `topology` the clock.  A sink that refuses it
 * (E_NOTIMPL, observed) is traced and playback goes on without it. */
static void attach_sinks(struct session *session, struct topology *topology)
{
    unsigned i, j;
    for (i = 0; i < topology->sink_count; ++i)
    {
        IMFMediaSink *sink = topology->sinks[i].object;
        if (SUCCEEDED(TRACED_CALL(session, "sink.SetPresentationClock",
                IMFMediaSink_SetPresentationClock(sink, session->clock))))
            continue;
        /* Its stream sinks never hear the clock: no MEStreamSinkStarted to wait for. */
        for (j = 0; j < topology->node_count; ++j)
            if (topology->nodes[j].kind == PNODE_SINK && topology->nodes[j].media_sink == sink)
                topology->nodes[j].clock_refused = TRUE;
    }
    topology->clock_attached = TRUE;
}

HRESULT clock_begin_presentation(struct session *session, struct topology *topology)
{
    IMFPresentationTimeSource *time_source = NULL;
    IMFRateControl *control;
    unsigned i;
    HRESULT hr;

    if (topology->clock_attached) return S_OK;
    /* A topology taking over a running presentation (a playlist): its sinks
     * join the running clock, whose time source stays. */
    if (topology->switching)
    {
        attach_sinks(session, topology);
        return S_OK;
    }
    for (i = 0; i < topology->sink_count && !time_source; ++i)
        if (FAILED(IMFMediaSink_QueryInterface(topology->sinks[i].object, &IID_IMFPresentationTimeSource,
                (void **)&time_source)))
            time_source = NULL;
    hr = IMFPresentationClock_SetTimeSource(session->clock, time_source ? time_source : session->system_time_source);
    if (time_source) IMFPresentationTimeSource_Release(time_source);
    if (FAILED(hr)) return hr;
    session->clock_has_source = TRUE;
    attach_sinks(session, topology);
    /* A rate set before the first start reaches the clock (and the sinks) now. */
    if ((session->rate != 1.0f || session->thin)
            && SUCCEEDED(IMFPresentationClock_QueryInterface(session->clock, &IID_IMFRateControl, (void **)&control)))
    {
        IMFRateControl_SetRate(control, session->thin, session->rate);
        IMFRateControl_Release(control);
    }
    return S_OK;
}

void clock_release_sinks(struct session *session, struct topology *topology)
{
    unsigned i;
    if (!topology->clock_attached) return;
    for (i = 0; i < topology->sink_count; ++i)
        IMFMediaSink_SetPresentationClock(topology->sinks[i].object, NULL);
    topology->clock_attached = FALSE;
}
