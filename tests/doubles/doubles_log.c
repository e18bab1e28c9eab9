/* The doubles' call log, fault switches and shared helpers: see doubles.h. */
#include "doubles_private.h"
#include "harness.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- call log -------------------------------------------------------------- */

#define DLOG_ENTRY_SIZE 96

static SRWLOCK dlog_lock = SRWLOCK_INIT;
static char (*dlog_entries)[DLOG_ENTRY_SIZE];
static int dlog_used, dlog_capacity;
volatile LONG dlog_on = 1;
volatile LONG dmft_next_id;

void dlog_clear(void)
{
    AcquireSRWLockExclusive(&dlog_lock);
    dlog_used = 0;
    ReleaseSRWLockExclusive(&dlog_lock);
    InterlockedExchange(&dmft_next_id, 0);
}

void dlog_add(const char *fmt, ...)
{
    char entry[DLOG_ENTRY_SIZE];
    va_list args;

    if (!dlog_on) return;
    va_start(args, fmt);
    vsnprintf(entry, sizeof(entry), fmt, args);
    va_end(args);

    AcquireSRWLockExclusive(&dlog_lock);
    if (dlog_used == dlog_capacity)
    {
        int capacity = dlog_capacity ? dlog_capacity * 2 : 256;
        void *grown = realloc(dlog_entries, (size_t)capacity * DLOG_ENTRY_SIZE);
        if (grown)
        {
            dlog_entries = grown;
            dlog_capacity = capacity;
        }
    }
    if (dlog_used < dlog_capacity)
        memcpy(dlog_entries[dlog_used++], entry, DLOG_ENTRY_SIZE);
    ReleaseSRWLockExclusive(&dlog_lock);
}

int dlog_find(const char *entry, int from)
{
    int i, found = -1;

    AcquireSRWLockShared(&dlog_lock);
    for (i = from < 0 ? 0 : from; i < dlog_used; ++i)
    {
        if (!strcmp(dlog_entries[i], entry))
        {
            found = i;
            break;
        }
    }
    ReleaseSRWLockShared(&dlog_lock);
    return found;
}

int dlog_count(const char *prefix)
{
    size_t len = strlen(prefix);
    int i, count = 0;

    AcquireSRWLockShared(&dlog_lock);
    for (i = 0; i < dlog_used; ++i)
        if (!strncmp(dlog_entries[i], prefix, len)) ++count;
    ReleaseSRWLockShared(&dlog_lock);
    return count;
}

int dlog_size(void)
{
    int size;
    AcquireSRWLockShared(&dlog_lock);
    size = dlog_used;
    ReleaseSRWLockShared(&dlog_lock);
    return size;
}

BOOL dlog_entry(int index, char *buf, size_t size)
{
    BOOL ret = FALSE;

    if (size) buf[0] = 0;
    AcquireSRWLockShared(&dlog_lock);
    if (index >= 0 && index < dlog_used && size)
    {
        snprintf(buf, size, "%s", dlog_entries[index]);
        ret = TRUE;
    }
    ReleaseSRWLockShared(&dlog_lock);
    return ret;
}

void dlog_dump(void)
{
    char entry[DLOG_ENTRY_SIZE];
    int i;

    diag("call log (%d entries):", dlog_size());
    for (i = 0; dlog_entry(i, entry, sizeof(entry)); ++i)
        diag("  %3d %s", i, entry);
}

void dlog_enable(BOOL enable)
{
    InterlockedExchange(&dlog_on, enable ? 1 : 0);
}

void dname_set(char *dst, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(dst, size, fmt, args);
    va_end(args);
}

/* ---- fault injection ------------------------------------------------------- */

static volatile LONG dfault_failures[DCALL_COUNT]; /* HRESULTs */
static volatile LONG dfault_counter;
static volatile LONG dfault_nth;
static volatile LONG dfault_nth_hr;

void dfault_set(enum dcall call, HRESULT hr)
{
    if ((unsigned)call < DCALL_COUNT) InterlockedExchange(&dfault_failures[call], hr);
}

void dfault_fail_nth(LONG n, HRESULT hr)
{
    InterlockedExchange(&dfault_nth_hr, hr);
    InterlockedExchange(&dfault_nth, n > 0 ? dfault_counter + n : 0);
}

void dfault_reset(void)
{
    unsigned i;
    for (i = 0; i < DCALL_COUNT; ++i) InterlockedExchange(&dfault_failures[i], S_OK);
    InterlockedExchange(&dfault_nth, 0);
    InterlockedExchange(&dfault_counter, 0);
}

LONG dfault_calls(void)
{
    return dfault_counter;
}

HRESULT dfault_check(enum dcall call)
{
    LONG n = InterlockedIncrement(&dfault_counter);
    LONG nth = dfault_nth;

    if (nth && n == nth && InterlockedCompareExchange(&dfault_nth, 0, nth) == nth)
        return dfault_nth_hr;
    return (HRESULT)dfault_failures[call];
}

const char *dcall_name(enum dcall call)
{
    static const char *const names[DCALL_COUNT] =
    {
        "SOURCE_CREATE_PD", "SOURCE_START", "SOURCE_STOP", "SOURCE_PAUSE",
        "SOURCE_GET_CHARACTERISTICS", "SOURCE_BEGIN_GET_EVENT",
        "STREAM_REQUEST_SAMPLE", "STREAM_BEGIN_GET_EVENT",
        "MFT_PROCESS_INPUT", "MFT_PROCESS_OUTPUT", "MFT_PROCESS_MESSAGE",
        "MFT_SET_INPUT_TYPE", "MFT_SET_OUTPUT_TYPE",
        "SINK_GET_STREAM_SINK", "SINK_SET_CLOCK", "SINK_GET_CHARACTERISTICS",
        "SINK_SHUTDOWN", "SINK_BEGIN_FINALIZE", "SINK_PREROLL",
        "STREAMSINK_PROCESS_SAMPLE", "STREAMSINK_PLACE_MARKER", "STREAMSINK_FLUSH",
        "STREAMSINK_GET_MEDIA_TYPE_HANDLER", "STREAMSINK_BEGIN_GET_EVENT",
        "CLOCKSINK_ON_START", "CLOCKSINK_ON_STOP", "CLOCKSINK_ON_PAUSE",
        "ACTIVATE_ACTIVATE", "ACTIVATE_SHUTDOWN",
        "SOURCE_SHUTDOWN", "SOURCE_SET_RATE",
        "SINK_ADD_STREAM_SINK", "SINK_REMOVE_STREAM_SINK", "SINK_END_FINALIZE",
        "STREAMSINK_SET_MEDIA_TYPE", "CLOCKSINK_ON_RESTART", "CLOCKSINK_ON_SET_RATE",
        "ACTIVATE_DETACH",
    };
    return (unsigned)call < DCALL_COUNT && names[call] ? names[call] : "?";
}

/* ---- media types and queues ------------------------------------------------ */

HRESULT dtype_create_pcm(IMFMediaType **out)
{
    IMFMediaType *type;
    HRESULT hr;

    *out = NULL;
    if (FAILED(hr = MFCreateMediaType(&type))) return hr;
    if (FAILED(hr = IMFMediaType_SetGUID(type, &MF_MT_MAJOR_TYPE, &MFMediaType_Audio))
            || FAILED(hr = IMFMediaType_SetGUID(type, &MF_MT_SUBTYPE, &MFAudioFormat_PCM))
            || FAILED(hr = IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_NUM_CHANNELS, 1))
            || FAILED(hr = IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_SAMPLES_PER_SECOND, 48000))
            || FAILED(hr = IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BITS_PER_SAMPLE, 16))
            || FAILED(hr = IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_BLOCK_ALIGNMENT, 2))
            || FAILED(hr = IMFMediaType_SetUINT32(type, &MF_MT_AUDIO_AVG_BYTES_PER_SECOND, 96000))
            || FAILED(hr = IMFMediaType_SetUINT32(type, &MF_MT_ALL_SAMPLES_INDEPENDENT, 1)))
    {
        IMFMediaType_Release(type);
        return hr;
    }
    *out = type;
    return S_OK;
}

BOOL dtype_is_audio(IMFMediaType *type)
{
    GUID major;
    return type && SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_MAJOR_TYPE, &major))
            && IsEqualGUID(&major, &MFMediaType_Audio);
}

BOOL dtype_is_pcm(IMFMediaType *type)
{
    GUID subtype;
    return dtype_is_audio(type) && SUCCEEDED(IMFMediaType_GetGUID(type, &MF_MT_SUBTYPE, &subtype))
            && IsEqualGUID(&subtype, &MFAudioFormat_PCM);
}

void dqueue_drain(IMFMediaEventQueue *queue)
{
    IMFMediaEvent *event;

    /* Fails at once when a subscriber is pending or the queue is shut down. */
    while (SUCCEEDED(IMFMediaEventQueue_GetEvent(queue, MF_EVENT_FLAG_NO_WAIT, &event)))
        IMFMediaEvent_Release(event);
}
