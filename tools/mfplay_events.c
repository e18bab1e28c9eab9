/*
 * mfplay: console output (a progress line that stays in place on a terminal),
 * readable names for events and HRESULTs, creating the session and its
 * event listener.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <io.h>
#include "mfplay.h"
#include "mfsession.h"

/* ---- output ---- */

static LARGE_INTEGER start_time, frequency;
static CRITICAL_SECTION output_lock;
static const char *program_name = "mfplay";
static BOOL terminal;
static BOOL progress_shown;     /* a progress line without its newline is on screen */
static int progress_width;

void output_init(const char *program)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD mode;

    program_name = program;
    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start_time);
    InitializeCriticalSection(&output_lock);
    terminal = GetConsoleMode(out, &mode) || _isatty(_fileno(stdout));
    /* Buffered, flushed after every line: one write per line (msvcrt has no line buffering). */
    setvbuf(stdout, NULL, _IOFBF, 4096);
}

double now_ms(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return (double)(t.QuadPart - start_time.QuadPart) * 1000.0 / (double)frequency.QuadPart;
}

BOOL output_is_terminal(void)
{
    return terminal;
}

/* Called with the lock held: moves off an unfinished progress line. */
static void end_progress_locked(void)
{
    if (!progress_shown) return;
    printf("\n");
    progress_shown = FALSE;
}

void out_line(const char *fmt, ...)
{
    va_list args;

    EnterCriticalSection(&output_lock);
    end_progress_locked();
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
    LeaveCriticalSection(&output_lock);
}

void out_error(const char *fmt, ...)
{
    va_list args;

    EnterCriticalSection(&output_lock);
    end_progress_locked();
    fflush(stdout);
    fprintf(stderr, "%s: ", program_name);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fprintf(stderr, "\n");
    fflush(stderr);
    LeaveCriticalSection(&output_lock);
}

void out_progress(const char *text)
{
    int len = (int)strlen(text);

    EnterCriticalSection(&output_lock);
    if (terminal)
    {
        /* Pad with spaces so a shorter line erases the end of the previous one. */
        printf("\r%s%*s", text, progress_width > len ? progress_width - len : 0, "");
        progress_width = len;
        progress_shown = TRUE;
    }
    else
        printf("%s\n", text);
    fflush(stdout);
    LeaveCriticalSection(&output_lock);
}

void out_progress_end(void)
{
    EnterCriticalSection(&output_lock);
    end_progress_locked();
    progress_width = 0;
    fflush(stdout);
    LeaveCriticalSection(&output_lock);
}

/* ---- names ---- */

const char *event_type_name(MediaEventType type)
{
    switch (type)
    {
#define X(e) case e: return #e;
    X(MEError) X(MEExtendedType) X(MENonFatalError)
    X(MESessionUnknown) X(MESessionTopologySet) X(MESessionTopologiesCleared)
    X(MESessionStarted) X(MESessionPaused) X(MESessionStopped) X(MESessionClosed)
    X(MESessionEnded) X(MESessionRateChanged) X(MESessionScrubSampleComplete)
    X(MESessionCapabilitiesChanged) X(MESessionTopologyStatus) X(MESessionNotifyPresentationTime)
    X(MESessionStreamSinkFormatChanged)
    X(MENewPresentation) X(MEEndOfPresentation) X(MESinkInvalidated) X(MEAudioSessionDeviceRemoved)
    X(MEAudioSessionFormatChanged) X(MEAudioSessionServerShutdown) X(MEPolicyChanged)
    X(MEQualityNotify) X(MEReconnectStart) X(MEReconnectEnd) X(MEBufferingStarted) X(MEBufferingStopped)
#undef X
    default: return "(other event)";  /* printed with its number */
    }
}

const char *hr_name(HRESULT hr)
{
    switch (hr)
    {
#define X(e) case e: return #e;
    X(S_OK) X(S_FALSE) X(E_FAIL) X(E_INVALIDARG) X(E_POINTER) X(E_OUTOFMEMORY) X(E_NOINTERFACE)
    X(E_NOTIMPL) X(E_UNEXPECTED) X(E_ACCESSDENIED) X(REGDB_E_CLASSNOTREG) X(CO_E_NOTINITIALIZED)
    X(MF_E_INVALIDREQUEST) X(MF_E_SHUTDOWN) X(MF_E_SESSION_PAUSEWHILESTOPPED) X(MF_E_INVALID_POSITION)
    X(MF_E_TOPO_CODEC_NOT_FOUND) X(MF_E_TOPO_UNSUPPORTED) X(MF_E_TOPO_INVALID_OPTIONAL_NODE)
    X(MF_E_TOPO_MISSING_SOURCE) X(MF_E_TOPO_MISSING_PRESENTATION_DESCRIPTOR)
    X(MF_E_TOPO_MISSING_STREAM_DESCRIPTOR) X(MF_E_TOPO_STREAM_DESCRIPTOR_NOT_SELECTED)
    X(MF_E_INVALIDMEDIATYPE) X(MF_E_NO_MORE_TYPES) X(MF_E_INVALIDTYPE) X(MF_E_NOT_FOUND)
    X(MF_E_UNSUPPORTED_BYTESTREAM_TYPE) X(MF_E_UNSUPPORTED_SCHEME) X(MF_E_UNSUPPORTED_FORMAT)
    X(MF_E_INVALID_FILE_FORMAT) X(MF_E_SOURCERESOLVER_MUTUALLY_EXCLUSIVE_FLAGS)
    X(MF_E_UNSUPPORTED_RATE) X(MF_E_UNSUPPORTED_RATE_TRANSITION) X(MF_E_REVERSE_UNSUPPORTED)
    X(MF_E_THINNING_UNSUPPORTED) X(MF_E_UNSUPPORTED_SERVICE) X(MF_E_UNSUPPORTED_TIME_FORMAT)
    X(MF_E_NO_AUDIO_PLAYBACK_DEVICE) X(MF_E_AUDIO_PLAYBACK_DEVICE_INVALIDATED)
    X(MF_E_STREAMSINK_REMOVED) X(MF_E_NO_CLOCK) X(MF_E_CLOCK_NO_TIME_SOURCE) X(MF_E_CLOCK_STATE_ALREADY_SET)
    X(MF_E_END_OF_STREAM) X(MF_E_OPERATION_CANCELLED) X(MF_E_NOT_INITIALIZED) X(MF_E_NO_EVENTS_AVAILABLE)
    X(MF_E_MULTIPLE_SUBSCRIBERS) X(MF_E_MULTIPLE_BEGIN) X(MF_E_ATTRIBUTENOTFOUND)
    X(HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)) X(HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND))
    X(HRESULT_FROM_WIN32(ERROR_NOT_FOUND)) X(HRESULT_FROM_WIN32(ERROR_INVALID_NAME))
    X(HRESULT_FROM_WIN32(ERROR_TIMEOUT)) X(HRESULT_FROM_WIN32(ERROR_DIRECTORY))
    X(HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION)) X(HRESULT_FROM_WIN32(ERROR_BAD_NETPATH))
#undef X
    case MF_S_MULTIPLE_BEGIN: return "MF_S_MULTIPLE_BEGIN";
    default: return "";
    }
}

const char *topology_status_name(UINT32 status)
{
    switch (status)
    {
    case MF_TOPOSTATUS_INVALID: return "INVALID";
    case MF_TOPOSTATUS_READY: return "READY";
    case MF_TOPOSTATUS_STARTED_SOURCE: return "STARTED_SOURCE";
    case MF_TOPOSTATUS_DYNAMIC_CHANGED: return "DYNAMIC_CHANGED";
    case MF_TOPOSTATUS_SINK_SWITCHED: return "SINK_SWITCHED";
    case MF_TOPOSTATUS_ENDED: return "ENDED";
    default: return "?";
    }
}

/* ---- the session ---- */

/* --dll: the DLL's class object, as a client without the registry does. */
static HRESULT create_session_from_dll(const WCHAR *path, IMFMediaSession **session)
{
    HRESULT (WINAPI *get_class_object)(REFCLSID, REFIID, void **);
    IClassFactory *factory;
    HMODULE module;
    HRESULT hr;

    /* Kept loaded to the end of the process: the session's code lives there. */
    if (!(module = LoadLibraryW(path)))
    {
        hr = HRESULT_FROM_WIN32(GetLastError());
        out_error("cannot load %ls: 0x%08lx %s", path, (unsigned long)hr, hr_name(hr));
        return hr;
    }
    if (!(get_class_object = (void *)GetProcAddress(module, "DllGetClassObject")))
    {
        out_error("%ls has no DllGetClassObject", path);
        return E_FAIL;
    }
    if (FAILED(hr = get_class_object(&CLSID_MFSession, &IID_IClassFactory, (void **)&factory)))
    {
        out_error("DllGetClassObject(CLSID_MFSession) failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        return hr;
    }
    hr = IClassFactory_CreateInstance(factory, NULL, &IID_IMFMediaSession, (void **)session);
    IClassFactory_Release(factory);
    if (FAILED(hr)) out_error("CreateInstance(IMFMediaSession) failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
    return hr;
}

HRESULT session_create(BOOL platform, const WCHAR *dll, IMFMediaSession **session)
{
    HRESULT hr;

    if (platform)
    {
        if (FAILED(hr = MFCreateMediaSession(NULL, session)))
            out_error("MFCreateMediaSession failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        return hr;
    }
    if (dll) return create_session_from_dll(dll, session);
    hr = CoCreateInstance(&CLSID_MFSession, NULL, CLSCTX_INPROC_SERVER, &IID_IMFMediaSession, (void **)session);
    if (hr == REGDB_E_CLASSNOTREG)
        out_error("mfsession.dll is not registered: run regsvr32 mfsession.dll (tools/demo.sh does), "
                "or use --dll or --platform-session");
    else if (FAILED(hr))
        out_error("CoCreateInstance(CLSID_MFSession) failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
    return hr;
}

/* ---- the event listener ---- */

struct listener
{
    IMFAsyncCallback IMFAsyncCallback_iface;
    LONG refcount;
    IMFMediaSession *session;
    BOOL print_events;
    HWND notify_hwnd;           /* announced to with PostMessage, see listener_notify_window */
    UINT notify_message;
    SRWLOCK lock;
    CONDITION_VARIABLE changed;
    struct event_record *events;
    unsigned int count, capacity;
    BOOL finished;              /* no more events will come */
};

static struct listener *impl_from_IMFAsyncCallback(IMFAsyncCallback *iface)
{
    return CONTAINING_RECORD(iface, struct listener, IMFAsyncCallback_iface);
}

static HRESULT WINAPI listener_QueryInterface(IMFAsyncCallback *iface, REFIID riid, void **out)
{
    if (IsEqualIID(riid, &IID_IMFAsyncCallback) || IsEqualIID(riid, &IID_IUnknown))
    {
        *out = iface;
        IMFAsyncCallback_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI listener_AddRef(IMFAsyncCallback *iface)
{
    return InterlockedIncrement(&impl_from_IMFAsyncCallback(iface)->refcount);
}

static ULONG WINAPI listener_Release(IMFAsyncCallback *iface)
{
    struct listener *listener = impl_from_IMFAsyncCallback(iface);
    ULONG refcount = InterlockedDecrement(&listener->refcount);

    if (!refcount)
    {
        if (listener->session) IMFMediaSession_Release(listener->session);
        free(listener->events);
        free(listener);
    }
    return refcount;
}

static HRESULT WINAPI listener_GetParameters(IMFAsyncCallback *iface, DWORD *flags, DWORD *queue)
{
    return E_NOTIMPL;
}

static void listener_finish(struct listener *listener)
{
    HWND hwnd;
    UINT message;

    AcquireSRWLockExclusive(&listener->lock);
    listener->finished = TRUE;
    hwnd = listener->notify_hwnd;
    message = listener->notify_message;
    ReleaseSRWLockExclusive(&listener->lock);
    WakeAllConditionVariable(&listener->changed);
    if (hwnd) PostMessageW(hwnd, message, 0, 0);
}

static void print_event(const struct event_record *record)
{
    char detail[64] = "";

    if (record->type == MESessionTopologyStatus)
        snprintf(detail, sizeof(detail), " %s", topology_status_name(record->topology_status));
    else if (record->has_offset)
        snprintf(detail, sizeof(detail), " offset %.3f s", record->offset / 1e7);
    if (!strcmp(event_type_name(record->type), "(other event)"))
        snprintf(detail, sizeof(detail), " %lu", (unsigned long)record->type);
    out_line("[%9.1f ms] event %s%s  status 0x%08lx %s", record->time_ms, event_type_name(record->type), detail,
            (unsigned long)record->status, hr_name(record->status));
}

static HRESULT WINAPI listener_Invoke(IMFAsyncCallback *iface, IMFAsyncResult *result)
{
    struct listener *listener = impl_from_IMFAsyncCallback(iface);
    struct event_record record = {0};
    IMFMediaEvent *event;
    UINT message;
    HWND hwnd;
    HRESULT hr;

    if (FAILED(hr = IMFMediaSession_EndGetEvent(listener->session, result, &event)))
    {
        /* MF_E_SHUTDOWN after Shutdown is the normal end; anything else is worth a line. */
        if (hr != MF_E_SHUTDOWN)
            out_error("EndGetEvent failed: 0x%08lx %s", (unsigned long)hr, hr_name(hr));
        listener_finish(listener);
        return S_OK;
    }
    record.time_ms = now_ms();
    IMFMediaEvent_GetType(event, &record.type);
    IMFMediaEvent_GetStatus(event, &record.status);
    IMFMediaEvent_GetUINT32(event, &MF_EVENT_TOPOLOGY_STATUS, &record.topology_status);
    record.has_offset = SUCCEEDED(IMFMediaEvent_GetUINT64(event, &MF_EVENT_PRESENTATION_TIME_OFFSET,
            (UINT64 *)&record.offset));
    IMFMediaEvent_Release(event);
    if (listener->print_events) print_event(&record);

    AcquireSRWLockExclusive(&listener->lock);
    if (listener->count == listener->capacity)
    {
        unsigned int capacity = listener->capacity ? listener->capacity * 2 : 64;
        struct event_record *events = realloc(listener->events, capacity * sizeof(*events));
        if (events)
        {
            listener->events = events;
            listener->capacity = capacity;
        }
    }
    if (listener->count < listener->capacity)
        listener->events[listener->count++] = record;
    hwnd = listener->notify_hwnd;
    message = listener->notify_message;
    ReleaseSRWLockExclusive(&listener->lock);
    WakeAllConditionVariable(&listener->changed);
    /* Only an announcement: the window's thread reads the record itself. */
    if (hwnd) PostMessageW(hwnd, message, 0, 0);

    /* MESessionClosed is the last event the session queues (CONTRACT.md section 2). */
    if (record.type == MESessionClosed
            || FAILED(IMFMediaSession_BeginGetEvent(listener->session, iface, NULL)))
        listener_finish(listener);
    return S_OK;
}

static const IMFAsyncCallbackVtbl listener_vtbl =
{
    listener_QueryInterface,
    listener_AddRef,
    listener_Release,
    listener_GetParameters,
    listener_Invoke,
};

struct listener *listener_create(IMFMediaSession *session, BOOL print_events)
{
    struct listener *listener = calloc(1, sizeof(*listener));

    if (!listener) return NULL;
    listener->IMFAsyncCallback_iface.lpVtbl = &listener_vtbl;
    listener->refcount = 1;
    listener->session = session;
    IMFMediaSession_AddRef(session);
    listener->print_events = print_events;
    InitializeSRWLock(&listener->lock);
    InitializeConditionVariable(&listener->changed);
    return listener;
}

HRESULT listener_start(struct listener *listener)
{
    return IMFMediaSession_BeginGetEvent(listener->session, &listener->IMFAsyncCallback_iface, NULL);
}

BOOL listener_next(struct listener *listener, unsigned int *cursor, DWORD timeout_ms, struct event_record *record)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms, now;
    BOOL found = FALSE;

    AcquireSRWLockExclusive(&listener->lock);
    for (;;)
    {
        if (*cursor < listener->count)
        {
            *record = listener->events[(*cursor)++];
            found = TRUE;
            break;
        }
        if (listener->finished) break;
        now = GetTickCount64();
        if (now >= deadline
                || !SleepConditionVariableSRW(&listener->changed, &listener->lock, (DWORD)(deadline - now), 0))
            break;
    }
    ReleaseSRWLockExclusive(&listener->lock);
    return found;
}

void listener_notify_window(struct listener *listener, HWND hwnd, UINT message)
{
    AcquireSRWLockExclusive(&listener->lock);
    listener->notify_hwnd = hwnd;
    listener->notify_message = message;
    ReleaseSRWLockExclusive(&listener->lock);
}

BOOL listener_finished(struct listener *listener)
{
    BOOL finished;

    AcquireSRWLockShared(&listener->lock);
    finished = listener->finished;
    ReleaseSRWLockShared(&listener->lock);
    return finished;
}

void listener_release(struct listener *listener)
{
    if (listener) IMFAsyncCallback_Release(&listener->IMFAsyncCallback_iface);
}
