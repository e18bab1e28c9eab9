/*
 * clock.c: the presentation clock's time source and the sinks' clock.
 * The time source is the first media sink offering IMFPresentationTimeSource
 * (the audio renderer), else the session's system time source.
 */
#include "session_internal.h"

HRESULT clock_setup(struct session *session, struct topology *topology)
{
    IMFPresentationTimeSource *time_source = NULL;
    unsigned i;
    HRESULT hr;

    /* A topology taking over a running presentation keeps the running clock's source. */
    for (i = 0; i < topology->sink_count && !time_source && !topology->switching; ++i)
        if (FAILED(IMFMediaSink_QueryInterface(topology->sinks[i].object, &IID_IMFPresentationTimeSource,
                (void **)&time_source)))
            time_source = NULL;
    if (!topology->switching)
    {
        hr = IMFPresentationClock_SetTimeSource(session->clock, time_source ? time_source : session->system_time_source);
        if (time_source) IMFPresentationTimeSource_Release(time_source);
        if (FAILED(hr)) return hr;
    }

    for (i = 0; i < topology->sink_count; ++i)
        if (FAILED(hr = TRACED_CALL(session, "sink.SetPresentationClock",
                IMFMediaSink_SetPresentationClock(topology->sinks[i].object, session->clock))))
            return hr;
    return S_OK;
}

void clock_release_sinks(struct session *session, struct topology *topology)
{
    unsigned i;
    for (i = 0; i < topology->sink_count; ++i)
        IMFMediaSink_SetPresentationClock(topology->sinks[i].object, NULL);
}
