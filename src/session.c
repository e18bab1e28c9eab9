/*
 * session.c: the session object and its public vtables.  The methods here are
 * thin: they check arguments, check the Close/Shutdown rules, and queue a
 * command for the serializer (commands.c).
 */
#include "session_internal.h"
#include "loader/loader.h"
#include <propvarutil.h>

static HRESULT session_check_alive(struct session *session)
{
    HRESULT hr;
    EnterCriticalSection(&session->lock);
    hr = session->shut_down ? MF_E_SHUTDOWN : S_OK;
    LeaveCriticalSection(&session->lock);
    return hr;
}

static HRESULT WINAPI session_QueryInterface(IMFMediaSession *iface, REFIID riid, void **out)
{
    struct session *session = impl_from_IMFMediaSession(iface);

    if (!out) return E_POINTER;
    if (IsEqualIID(riid, &IID_IMFMediaSession) || IsEqualIID(riid, &IID_IMFMediaEventGenerator)
            || IsEqualIID(riid, &IID_IUnknown))
        *out = &session->IMFMediaSession_iface;
    else if (IsEqualIID(riid, &IID_IMFGetService))
        *out = &session->IMFGetService_iface;
    else if (IsEqualIID(riid, &IID_IMFRateControl))
        *out = &session->IMFRateControl_iface;
    else if (IsEqualIID(riid, &IID_IMFRateSupport))
        *out = &session->IMFRateSupport_iface;
    else
    {
        *out = NULL;
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI session_AddRef(IMFMediaSession *iface)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    return InterlockedIncrement(&session->refcount);
}

BOOL session_try_addref(struct session *session)
{
    LONG count = session->refcount;
    while (count > 0)
    {
        LONG seen = InterlockedCompareExchange(&session->refcount, count + 1, count);
        if (seen == count) return TRUE;
        count = seen;
    }
    return FALSE;
}

static void session_destroy(struct session *session)
{
    /* A client may release without Shutdown: tear the pipeline down now. */
    session_shutdown_pipeline(session);
    if (session->timer_link)
    {
        event_link_detach(session->timer_link);
        event_link_release(session->timer_link);
    }
    if (session->event_queue)
    {
        IMFMediaEventQueue_Shutdown(session->event_queue);
        IMFMediaEventQueue_Release(session->event_queue);
    }
    if (session->clock)
    {
        IMFShutdown *shutdown;
        if (SUCCEEDED(IMFPresentationClock_QueryInterface(session->clock, &IID_IMFShutdown, (void **)&shutdown)))
        {
            IMFShutdown_Shutdown(shutdown);
            IMFShutdown_Release(shutdown);
        }
        IMFPresentationClock_Release(session->clock);
    }
    if (session->system_time_source) IMFPresentationTimeSource_Release(session->system_time_source);
    if (session->loader) IMFTopoLoader_Release(session->loader);
    if (session->quality_manager)
    {
        IMFQualityManager_Shutdown(session->quality_manager);
        IMFQualityManager_Release(session->quality_manager);
    }
    while (session->spare_events)
    {
        struct component_event *next = session->spare_events->next;
        mfs_free(session->spare_events);
        session->spare_events = next;
    }
    if (TRACE_ON()) trace_forget_session(session);
    DeleteCriticalSection(&session->lock);
    mfs_free(session);
    module_unlock();
}

void session_release(struct session *session)
{
    if (!InterlockedDecrement(&session->refcount))
        session_destroy(session);
}

static ULONG WINAPI session_Release(IMFMediaSession *iface)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    ULONG refcount = InterlockedDecrement(&session->refcount);
    if (!refcount) session_destroy(session);
    return refcount;
}

/* IMFMediaEventGenerator: the platform's event queue does the work. */
static HRESULT WINAPI session_GetEvent(IMFMediaSession *iface, DWORD flags, IMFMediaEvent **event)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    if (!event) return E_POINTER;
    *event = NULL;
    return IMFMediaEventQueue_GetEvent(session->event_queue, flags, event);
}

static HRESULT WINAPI session_BeginGetEvent(IMFMediaSession *iface, IMFAsyncCallback *callback, IUnknown *state)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    if (!callback) return E_INVALIDARG;
    return IMFMediaEventQueue_BeginGetEvent(session->event_queue, callback, state);
}

static HRESULT WINAPI session_EndGetEvent(IMFMediaSession *iface, IMFAsyncResult *result, IMFMediaEvent **event)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    if (!event) return E_POINTER;
    *event = NULL;
    if (!result) return E_INVALIDARG;
    return IMFMediaEventQueue_EndGetEvent(session->event_queue, result, event);
}

static HRESULT WINAPI session_QueueEvent(IMFMediaSession *iface, MediaEventType type, REFGUID ext_type,
        HRESULT status, const PROPVARIANT *value)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    return IMFMediaEventQueue_QueueEventParamVar(session->event_queue, type, ext_type ? ext_type : &GUID_NULL,
            status, value);
}

static struct command *command_new(enum command_type type)
{
    struct command *command = mfs_calloc(1, sizeof(*command));
    if (command) command->type = type;
    return command;
}

static HRESULT session_queue_simple(struct session *session, enum command_type type)
{
    struct command *command;
    HRESULT hr;

    if (!(command = command_new(type))) return E_OUTOFMEMORY;
    if (FAILED(hr = session_post_command(session, command))) command_free(command);
    return hr;
}

static HRESULT session_SetTopology_impl(IMFMediaSession *iface, DWORD flags, IMFTopology *topology)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    struct command *command;
    HRESULT hr;

    if (!topology && !(flags & MFSESSION_SETTOPOLOGY_CLEAR_CURRENT)) return E_POINTER;
    if (FAILED(hr = session_check_alive(session))) return hr;
    if (topology && !(flags & MFSESSION_SETTOPOLOGY_CLEAR_CURRENT) && FAILED(hr = topology_check(topology)))
        return hr;
    if (!(command = command_new(CMD_SET_TOPOLOGY))) return E_OUTOFMEMORY;
    command->flags = flags;
    if ((command->topology = topology)) IMFTopology_AddRef(topology);
    if (FAILED(hr = session_post_command(session, command))) command_free(command);
    return hr;
}

static HRESULT session_ClearTopologies_impl(IMFMediaSession *iface)
{
    return session_queue_simple(impl_from_IMFMediaSession(iface), CMD_CLEAR_TOPOLOGIES);
}

static HRESULT session_Start_impl(IMFMediaSession *iface, const GUID *format, const PROPVARIANT *position)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    struct command *command;
    HRESULT hr;

    if (!position) return E_POINTER;
    if (!(command = command_new(CMD_START))) return E_OUTOFMEMORY;
    command->time_format = format ? *format : GUID_NULL;
    if (FAILED(hr = PropVariantCopy(&command->position, position)))
    {
        command_free(command);
        return hr;
    }
    if (FAILED(hr = session_post_command(session, command))) command_free(command);
    return hr;
}

static HRESULT session_Pause_impl(IMFMediaSession *iface)
{
    return session_queue_simple(impl_from_IMFMediaSession(iface), CMD_PAUSE);
}

static HRESULT session_Stop_impl(IMFMediaSession *iface)
{
    return session_queue_simple(impl_from_IMFMediaSession(iface), CMD_STOP);
}

static HRESULT session_Close_impl(IMFMediaSession *iface)
{
    return session_queue_simple(impl_from_IMFMediaSession(iface), CMD_CLOSE);
}

static HRESULT session_Shutdown_impl(IMFMediaSession *iface)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    IMFShutdown *shutdown;

    EnterCriticalSection(&session->lock);
    if (session->shut_down)
    {
        LeaveCriticalSection(&session->lock);
        return MF_E_SHUTDOWN;
    }
    session->shut_down = TRUE;
    LeaveCriticalSection(&session->lock);

    IMFMediaEventQueue_Shutdown(session->event_queue);
    if (SUCCEEDED(IMFPresentationClock_QueryInterface(session->clock, &IID_IMFShutdown, (void **)&shutdown)))
    {
        IMFShutdown_Shutdown(shutdown);
        IMFShutdown_Release(shutdown);
    }
    session_shutdown_pipeline(session);
    if (session->quality_manager) IMFQualityManager_Shutdown(session->quality_manager);
    return S_OK;
}

static HRESULT session_GetClock_impl(IMFMediaSession *iface, IMFClock **clock)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    HRESULT hr;

    if (!clock) return E_POINTER;
    *clock = NULL;
    if (FAILED(hr = session_check_alive(session))) return hr;
    *clock = (IMFClock *)session->clock;
    IMFClock_AddRef(*clock);
    return S_OK;
}

static HRESULT session_GetSessionCapabilities_impl(IMFMediaSession *iface, DWORD *caps)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    HRESULT hr;

    if (!caps) return E_POINTER;
    EnterCriticalSection(&session->lock);
    if (session->shut_down) hr = MF_E_SHUTDOWN;
    else
    {
        *caps = session->caps;
        hr = S_OK;
    }
    LeaveCriticalSection(&session->lock);
    return hr;
}

static HRESULT session_GetFullTopology_impl(IMFMediaSession *iface, DWORD flags, TOPOID id, IMFTopology **topology)
{
    struct session *session = impl_from_IMFMediaSession(iface);
    HRESULT hr = MF_E_NOT_FOUND;
    unsigned i;

    if (!topology) return E_POINTER;
    *topology = NULL;
    EnterCriticalSection(&session->lock);
    if (session->shut_down) hr = MF_E_SHUTDOWN;
    else if (flags & MFSESSION_GETFULLTOPOLOGY_CURRENT)
    {
        if ((*topology = session->current_full)) hr = S_OK;
        else hr = MF_E_INVALIDREQUEST;
    }
    else
    {
        for (i = 0; i < session->known_count; ++i)
            if (session->known[i].id == id)
            {
                *topology = session->known[i].object;
                hr = S_OK;
                break;
            }
    }
    if (*topology) IMFTopology_AddRef(*topology);
    LeaveCriticalSection(&session->lock);
    return hr;
}

/* Traced entry points: every public call and its return code. */
#define TRACED_API(session, name, expr) do { \
    HRESULT hr_; \
    TRACE('B', "api", name, session, NULL, 0, NULL); \
    hr_ = (expr); \
    TRACE('E', "api", name, session, NULL, 0, "\"hr\":\"0x%08lx\"", (unsigned long)hr_); \
    return hr_; \
} while (0)

static HRESULT WINAPI session_SetTopology(IMFMediaSession *iface, DWORD flags, IMFTopology *topology)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "SetTopology", session_SetTopology_impl(iface, flags, topology));
}

static HRESULT WINAPI session_ClearTopologies(IMFMediaSession *iface)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "ClearTopologies", session_ClearTopologies_impl(iface));
}

static HRESULT WINAPI session_Start(IMFMediaSession *iface, const GUID *format, const PROPVARIANT *position)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "Start", session_Start_impl(iface, format, position));
}

static HRESULT WINAPI session_Pause(IMFMediaSession *iface)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "Pause", session_Pause_impl(iface));
}

static HRESULT WINAPI session_Stop(IMFMediaSession *iface)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "Stop", session_Stop_impl(iface));
}

static HRESULT WINAPI session_Close(IMFMediaSession *iface)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "Close", session_Close_impl(iface));
}

static HRESULT WINAPI session_Shutdown(IMFMediaSession *iface)
{
    HRESULT hr;
    TRACE('B', "api", "Shutdown", impl_from_IMFMediaSession(iface), NULL, 0, NULL);
    hr = session_Shutdown_impl(iface);
    TRACE('E', "api", "Shutdown", impl_from_IMFMediaSession(iface), NULL, 0, "\"hr\":\"0x%08lx\"", (unsigned long)hr);
    if (TRACE_ON()) trace_flush();
    return hr;
}

static HRESULT WINAPI session_GetClock(IMFMediaSession *iface, IMFClock **clock)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "GetClock", session_GetClock_impl(iface, clock));
}

static HRESULT WINAPI session_GetSessionCapabilities(IMFMediaSession *iface, DWORD *caps)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "GetSessionCapabilities", session_GetSessionCapabilities_impl(iface, caps));
}

static HRESULT WINAPI session_GetFullTopology(IMFMediaSession *iface, DWORD flags, TOPOID id, IMFTopology **topology)
{
    TRACED_API(impl_from_IMFMediaSession(iface), "GetFullTopology", session_GetFullTopology_impl(iface, flags, id, topology));
}

static const IMFMediaSessionVtbl session_vtbl =
{
    session_QueryInterface,
    session_AddRef,
    session_Release,
    session_GetEvent,
    session_BeginGetEvent,
    session_EndGetEvent,
    session_QueueEvent,
    session_SetTopology,
    session_ClearTopologies,
    session_Start,
    session_Pause,
    session_Stop,
    session_Close,
    session_Shutdown,
    session_GetClock,
    session_GetSessionCapabilities,
    session_GetFullTopology,
};

/* IMFGetService */
static struct session *impl_from_IMFGetService(IMFGetService *iface)
{
    return CONTAINING_RECORD(iface, struct session, IMFGetService_iface);
}

static HRESULT WINAPI session_gs_QueryInterface(IMFGetService *iface, REFIID riid, void **out)
{
    return session_QueryInterface(&impl_from_IMFGetService(iface)->IMFMediaSession_iface, riid, out);
}

static ULONG WINAPI session_gs_AddRef(IMFGetService *iface)
{
    return session_AddRef(&impl_from_IMFGetService(iface)->IMFMediaSession_iface);
}

static ULONG WINAPI session_gs_Release(IMFGetService *iface)
{
    return session_Release(&impl_from_IMFGetService(iface)->IMFMediaSession_iface);
}

static HRESULT WINAPI session_gs_GetService(IMFGetService *iface, REFGUID service, REFIID riid, void **out)
{
    struct session *session = impl_from_IMFGetService(iface);
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!service || !riid) return E_POINTER;
    if (FAILED(hr = session_check_alive(session))) return hr;
    if (IsEqualGUID(service, &MF_RATE_CONTROL_SERVICE))
    {
        if (IsEqualIID(riid, &IID_IMFRateControl) || IsEqualIID(riid, &IID_IMFRateSupport)
                || IsEqualIID(riid, &IID_IUnknown))
            return session_QueryInterface(&session->IMFMediaSession_iface, riid, out);
        return E_NOINTERFACE;
    }
    if (IsEqualGUID(service, &MF_TOPONODE_ATTRIBUTE_EDITOR_SERVICE))
        return IMFTopologyNodeAttributeEditor_QueryInterface(&session->IMFTopologyNodeAttributeEditor_iface, riid, out);
    if (IsEqualGUID(service, &MF_LOCAL_MFT_REGISTRATION_SERVICE))
        return IMFLocalMFTRegistration_QueryInterface(&session->IMFLocalMFTRegistration_iface, riid, out);
    if (services_is_forwarded(service)) return services_forward(session, service, riid, out);
    return E_NOINTERFACE; /* observed on Windows (Wine's session says MF_E_UNSUPPORTED_SERVICE) */
}

static const IMFGetServiceVtbl session_get_service_vtbl =
{
    session_gs_QueryInterface,
    session_gs_AddRef,
    session_gs_Release,
    session_gs_GetService,
};

/* The loader for MF_SESSION_TOPOLOADER = *clsid, or the default one (clsid
 * NULL).  One that cannot be had (unregistered, failing) must not fail the
 * session: the platform's loader stands in. */
static HRESULT loader_choose(const GUID *clsid, IMFTopoLoader **out)
{
    HRESULT hr;

    *out = NULL;
    if (SUCCEEDED(topoloader_select(clsid, out)) && *out) return S_OK;
    *out = NULL;
    if (FAILED(hr = MFCreateTopoLoader(out))) *out = NULL;
    return hr;
}

static HRESULT session_configure(struct session *session, IMFAttributes *config)
{
    GUID clsid;
    HRESULT hr;
    BOOL want_default_qm = TRUE;

    /* The loader MF_SESSION_TOPOLOADER names; without it, session_loader
     * chooses when a topology is first resolved (src/loader/select.c). */
    if (config && SUCCEEDED(IMFAttributes_GetGUID(config, &MF_SESSION_TOPOLOADER, &clsid)))
    {
        if (FAILED(hr = loader_choose(&clsid, &session->loader))) return hr;
    }

    if (config && SUCCEEDED(IMFAttributes_GetGUID(config, &MF_SESSION_QUALITY_MANAGER, &clsid)))
    {
        want_default_qm = FALSE;
        if (!IsEqualGUID(&clsid, &GUID_NULL)
                && FAILED(CoCreateInstance(&clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IMFQualityManager,
                        (void **)&session->quality_manager)))
            session->quality_manager = NULL;
    }
    if (want_default_qm && FAILED(MFCreateStandardQualityManager(&session->quality_manager)))
        session->quality_manager = NULL;

    if (config)
    {
        UINT32 value;
        if (SUCCEEDED(IMFAttributes_GetUINT32(config, &MF_SESSION_GLOBAL_TIME, &value))) session->global_time = !!value;
        if (SUCCEEDED(IMFAttributes_GetUINT32(config, &MF_LOW_LATENCY, &value))) session->low_latency = !!value;
    }
    return S_OK;
}

/* The default loader is chosen on first use, not at creation: the choice
 * reads the registry (UsePlatformLoader), two keys that cost about 0.2 ms
 * of wineserver round trips, which made creating a session six times
 * slower than the platform's.  Serializer only. */
HRESULT session_loader(struct session *session, IMFTopoLoader **out)
{
    HRESULT hr;

    if (!session->loader && FAILED(hr = loader_choose(NULL, &session->loader))) return hr;
    *out = session->loader;
    return S_OK;
}

HRESULT session_create(IMFAttributes *config, REFIID riid, void **out)
{
    struct session *session;
    HRESULT hr;

    if (!out) return E_POINTER;
    *out = NULL;
    if (!riid) return E_POINTER;
    if (!(session = mfs_calloc(1, sizeof(*session)))) return E_OUTOFMEMORY;
    session->IMFMediaSession_iface.lpVtbl = &session_vtbl;
    session->IMFGetService_iface.lpVtbl = &session_get_service_vtbl;
    session->IMFRateControl_iface.lpVtbl = &session_rate_control_vtbl;
    session->IMFRateSupport_iface.lpVtbl = &session_rate_support_vtbl;
    session->IMFTopologyNodeAttributeEditor_iface.lpVtbl = &session_attribute_editor_vtbl;
    session->IMFLocalMFTRegistration_iface.lpVtbl = &session_local_mft_vtbl;
    session->drain_callback.lpVtbl = &session_drain_vtbl;
    session->finalize_callback.lpVtbl = &session_finalize_vtbl;
    session->refcount = 1;
    trace_init();
    session->rate = 1.0f;
    session->state = STATE_EMPTY;
    InitializeCriticalSection(&session->lock);
    InitializeConditionVariable(&session->idle);
    rate_snapshot(session);
    module_lock();

    if (FAILED(hr = event_link_create(session, LINK_TIMER, NULL, NULL, &session->timer_link))) goto failed;
    if (FAILED(hr = MFCreateEventQueue(&session->event_queue))) goto failed;
    if (FAILED(hr = MFCreatePresentationClock(&session->clock))) goto failed;
    if (FAILED(hr = MFCreateSystemTimeSource(&session->system_time_source))) goto failed;
    /* No time source until a presentation starts (clock.c). */
    if (FAILED(hr = session_configure(session, config))) goto failed;

    hr = session_QueryInterface(&session->IMFMediaSession_iface, riid, out);
    session_Release(&session->IMFMediaSession_iface);
    return hr;

failed:
    session_Release(&session->IMFMediaSession_iface);
    return hr;
}
