/*
 * trace.c: structured tracing in the Chrome Trace Event format (trace.h,
 * docs/TRACING.md).
 *
 * Off unless MFSESSION_TRACE or the registry names a file; then trace_enabled
 * is the only thing a hook reads.  When on, an event is formatted on the
 * caller's stack and copied under a short SRW lock into the active buffer;
 * trace_flush() swaps the active buffer with the spare one under that lock
 * and writes the spare to the file outside it, so no hook waits on I/O.
 *
 * The file is created once at init and kept open.  It always ends with a tail
 * (the "mfsession_trace" metadata event with the counts, then "]}") that the
 * next flush overwrites with the new events and a new tail, so it is valid
 * JSON after every flush.
 *
 * Failure policy: both buffers are allocated at init and never grow; an event
 * that does not fit is dropped and counted; any I/O error turns tracing off
 * for good.  Nothing here waits for anything but the short locks.
 */
#include "mfsession_private.h"
#include "trace.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Overridable for tests (tests/test_trace.c includes this file). */
#ifndef TRACE_BUFFER_LIMIT
#define TRACE_BUFFER_LIMIT (8u << 20)       /* bytes per buffer; events past it are dropped */
#endif
#ifndef TRACE_FLUSH_THRESHOLD
#define TRACE_FLUSH_THRESHOLD (1u << 20)    /* a background flush is queued past this */
#endif
#define TRACE_EVENT_MAX 2048                /* one formatted event */
#define TRACE_ARGS_MAX 1024                 /* the caller's formatted args */
#define TRACE_NAME_MAX 96                   /* name, category, track: truncated past this */
#define TRACE_MAX_SESSIONS 64
#define TRACE_MAX_TRACKS 256
#define TRACE_TRACK_NAME_MAX 32
#define TRACE_JSON_DEPTH 16
/* Synthetic thread ids for named tracks: odd, so never a real thread id
 * (Windows thread ids are multiples of 4). */
#define TRACE_TRACK_TID_BASE 0x40000001u

volatile LONG trace_enabled;

struct trace_buffer
{
    char *data;
    size_t len;
};

struct trace_session
{
    const void *session;
    unsigned index;
};

struct trace_track
{
    unsigned session;       /* index, 0 for none */
    char name[TRACE_TRACK_NAME_MAX];
    DWORD tid;
};

static INIT_ONCE trace_once = INIT_ONCE_STATIC_INIT;
static LARGE_INTEGER qpc_base, qpc_freq;
static DWORD trace_pid;
static HMODULE trace_module;

/* buffer_lock: the active buffer, the counts, flush_pending. */
static SRWLOCK buffer_lock = SRWLOCK_INIT;
static struct trace_buffer buffers[2];
static struct trace_buffer *active;
static UINT64 events_buffered, events_dropped;
static BOOL flush_pending;

/* flush_lock: the file and the spare buffer (whichever is not active). */
static SRWLOCK flush_lock = SRWLOCK_INIT;
static HANDLE trace_file = INVALID_HANDLE_VALUE;
static LONGLONG file_events_end;    /* where the next events go: the tail starts here */
static UINT64 events_written;

/* map_lock: sessions and named tracks. */
static SRWLOCK map_lock = SRWLOCK_INIT;
static struct trace_session sessions[TRACE_MAX_SESSIONS];
static unsigned session_count;
static struct trace_track tracks[TRACE_MAX_TRACKS];
static unsigned track_count;

/* ---- output into a fixed buffer ---------------------------------------------- */

struct out
{
    char *p;
    size_t len, cap;
    BOOL overflow;
};

static void out_raw(struct out *o, const char *s, size_t n)
{
    if (o->overflow || n > o->cap - o->len)
    {
        o->overflow = TRUE;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void out_str(struct out *o, const char *s)
{
    out_raw(o, s, strlen(s));
}

static void out_u64(struct out *o, UINT64 v)
{
    char digits[24];
    unsigned i = sizeof(digits);
    do digits[--i] = '0' + v % 10; while (v /= 10);
    out_raw(o, digits + i, sizeof(digits) - i);
}

static void out_hex(struct out *o, UINT64 v)
{
    char digits[20];
    unsigned i = sizeof(digits);
    do digits[--i] = "0123456789abcdef"[v & 15]; while (v >>= 4);
    out_raw(o, "0x", 2);
    out_raw(o, digits + i, sizeof(digits) - i);
}

/* Nanoseconds as microseconds with three decimals, the format's time unit. */
static void out_us(struct out *o, UINT64 ns)
{
    char frac[4];
    out_u64(o, ns / 1000);
    frac[0] = '.';
    frac[1] = '0' + ns / 100 % 10;
    frac[2] = '0' + ns / 10 % 10;
    frac[3] = '0' + ns % 10;
    out_raw(o, frac, 4);
}

/* A quoted JSON string; bytes outside ASCII become \u00XX so the file is
 * always valid UTF-8 whatever the caller passed. */
static void out_quoted(struct out *o, const char *s, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    char esc[6];
    size_t i;

    out_raw(o, "\"", 1);
    for (i = 0; s[i] && i < max; ++i)
    {
        unsigned char c = s[i];
        if (c == '"' || c == '\\')
        {
            esc[0] = '\\';
            esc[1] = c;
            out_raw(o, esc, 2);
        }
        else if (c < 0x20 || c >= 0x7f)
        {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            out_raw(o, esc, 6);
        }
        else
            out_raw(o, (const char *)&c, 1);
    }
    out_raw(o, "\"", 1);
}

/* ---- validating the caller's args ------------------------------------------- */

/* The args body comes from a printf format: a %s with a quote in it would
 * break the whole file, so it is checked before it is written. */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') ++p;
    return p;
}

static const char *json_string(const char *p)
{
    unsigned i, follow;

    if (*p++ != '"') return NULL;
    for (;;)
    {
        unsigned char c = *p++;
        if (c == '"') return p;
        if (c < 0x20) return NULL;  /* control characters and the terminator */
        if (c == '\\')
        {
            c = *p++;
            if (c == 'u')
            {
                for (i = 0; i < 4; ++i, ++p)
                    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
                        return NULL;
            }
            else if (!c || !strchr("\"\\/bfnrt", c))
                return NULL;
        }
        else if (c >= 0x80)
        {
            if (c >= 0xc2 && c <= 0xdf) follow = 1;
            else if (c >= 0xe0 && c <= 0xef) follow = 2;
            else if (c >= 0xf0 && c <= 0xf4) follow = 3;
            else return NULL;
            for (i = 0; i < follow; ++i, ++p)
                if (((unsigned char)*p & 0xc0) != 0x80) return NULL;
        }
    }
}

static const char *json_digits(const char *p)
{
    if (*p < '0' || *p > '9') return NULL;
    while (*p >= '0' && *p <= '9') ++p;
    return p;
}

static const char *json_number(const char *p)
{
    if (*p == '-') ++p;
    if (*p == '0') ++p;
    else if (!(p = json_digits(p))) return NULL;
    if (*p == '.' && !(p = json_digits(p + 1))) return NULL;
    if (*p == 'e' || *p == 'E')
    {
        ++p;
        if (*p == '+' || *p == '-') ++p;
        if (!(p = json_digits(p))) return NULL;
    }
    return p;
}

/* Members of an object up to `close` ('}' or the terminator for a bare body). */
static const char *json_members(const char *p, char close, int depth)
{
    p = json_ws(p);
    if (*p == close) return p;
    for (;;)
    {
        if (!(p = json_string(p))) return NULL;
        p = json_ws(p);
        if (*p++ != ':') return NULL;
        if (!(p = json_value(p, depth))) return NULL;
        p = json_ws(p);
        if (*p == close) return p;
        if (*p++ != ',') return NULL;
        p = json_ws(p);
    }
}

static const char *json_value(const char *p, int depth)
{
    p = json_ws(p);
    if (depth > TRACE_JSON_DEPTH) return NULL;
    switch (*p)
    {
    case '"':
        return json_string(p);
    case '{':
        if (!(p = json_members(p + 1, '}', depth + 1))) return NULL;
        return p + 1;
    case '[':
        p = json_ws(p + 1);
        if (*p == ']') return p + 1;
        for (;;)
        {
            if (!(p = json_value(p, depth + 1))) return NULL;
            p = json_ws(p);
            if (*p == ']') return p + 1;
            if (*p++ != ',') return NULL;
        }
    case 't':
        return strncmp(p, "true", 4) ? NULL : p + 4;
    case 'f':
        return strncmp(p, "false", 5) ? NULL : p + 5;
    case 'n':
        return strncmp(p, "null", 4) ? NULL : p + 4;
    default:
        return json_number(p);
    }
}

static BOOL json_args_valid(const char *body)
{
    return json_members(body, '\0', 1) != NULL;
}

/* ---- the buffer and the file ------------------------------------------------ */

static void trace_disable(void)
{
    InterlockedExchange(&trace_enabled, 0);
}

static BOOL file_write_at(LONGLONG offset, const char *data, size_t len)
{
    LARGE_INTEGER pos;
    DWORD done;

    pos.QuadPart = offset;
    if (!SetFilePointerEx(trace_file, pos, NULL, FILE_BEGIN)) return FALSE;
    while (len)
    {
        DWORD chunk = len > (1u << 30) ? (1u << 30) : (DWORD)len;
        if (!WriteFile(trace_file, data, chunk, &done, NULL) || done != chunk) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

/* The tail: the counts as a final metadata event, and the closing brackets. */
static BOOL file_write_tail(UINT64 dropped)
{
    char tail[256];
    struct out o = {tail, 0, sizeof(tail), FALSE};

    out_str(&o, ",\n{\"name\":\"mfsession_trace\",\"ph\":\"M\",\"pid\":");
    out_u64(&o, trace_pid);
    out_str(&o, ",\"tid\":0,\"args\":{\"events\":");
    out_u64(&o, events_written);
    out_str(&o, ",\"dropped_events\":");
    out_u64(&o, dropped);
    out_str(&o, ",\"buffer_limit_bytes\":");
    out_u64(&o, TRACE_BUFFER_LIMIT);
    out_str(&o, "}}\n]}\n");
    return !o.overflow && file_write_at(file_events_end, tail, o.len) && SetEndOfFile(trace_file);
}

static void CALLBACK trace_flush_callback(TP_CALLBACK_INSTANCE *instance, void *context)
{
    trace_flush();
}

/* Queues a flush on the thread pool; called without buffer_lock held.  The
 * callback environment holds the module, so the DLL cannot be unloaded under it. */
static void trace_queue_flush(void)
{
    TP_CALLBACK_ENVIRON env;

    InitializeThreadpoolEnvironment(&env);
    if (trace_module) SetThreadpoolCallbackLibrary(&env, trace_module);
    if (!TrySubmitThreadpoolCallback(trace_flush_callback, NULL, &env))
    {
        AcquireSRWLockExclusive(&buffer_lock);
        flush_pending = FALSE;
        ReleaseSRWLockExclusive(&buffer_lock);
    }
    DestroyThreadpoolEnvironment(&env);
}

static void trace_append(const char *data, size_t len, unsigned count)
{
    BOOL queue_flush = FALSE;

    AcquireSRWLockExclusive(&buffer_lock);
    if (!active || len > TRACE_BUFFER_LIMIT - active->len)
        events_dropped += count;
    else
    {
        memcpy(active->data + active->len, data, len);
        active->len += len;
        events_buffered += count;
        if (active->len >= TRACE_FLUSH_THRESHOLD && !flush_pending)
            queue_flush = flush_pending = TRUE;
    }
    ReleaseSRWLockExclusive(&buffer_lock);
    if (queue_flush) trace_queue_flush();
}

/* Writes the spare buffer; flush_lock held.  FALSE (and tracing off) on failure. */
static BOOL flush_locked(void)
{
    struct trace_buffer *spare;
    UINT64 buffered, dropped;
    BOOL ret = TRUE;

    if (trace_file == INVALID_HANDLE_VALUE) return FALSE;

    AcquireSRWLockExclusive(&buffer_lock);
    spare = active;
    active = active == &buffers[0] ? &buffers[1] : &buffers[0];
    buffered = events_buffered;
    events_buffered = 0;
    dropped = events_dropped;
    flush_pending = FALSE;
    ReleaseSRWLockExclusive(&buffer_lock);

    if (spare->len)
    {
        if (file_write_at(file_events_end, spare->data, spare->len))
        {
            file_events_end += spare->len;
            events_written += buffered;
        }
        else
            ret = FALSE;
        spare->len = 0;
    }
    /* After a failed write the old tail goes back where the events end, so
     * the file stays valid with what it had. */
    if (!file_write_tail(dropped)) ret = FALSE;
    if (!ret)
    {
        trace_disable();
        CloseHandle(trace_file);
        trace_file = INVALID_HANDLE_VALUE;
    }
    return ret;
}

void trace_flush(void)
{
    AcquireSRWLockExclusive(&flush_lock);
    flush_locked();
    ReleaseSRWLockExclusive(&flush_lock);
}

/* ---- sessions and named tracks ---------------------------------------------- */

static unsigned session_index(const void *session)
{
    unsigned i, index = 0;

    AcquireSRWLockShared(&map_lock);
    for (i = 0; i < TRACE_MAX_SESSIONS && !index; ++i)
        if (sessions[i].session == session) index = sessions[i].index;
    ReleaseSRWLockShared(&map_lock);
    if (index) return index;

    AcquireSRWLockExclusive(&map_lock);
    for (i = 0; i < TRACE_MAX_SESSIONS && !index; ++i)
        if (sessions[i].session == session) index = sessions[i].index;
    if (!index)
    {
        /* The most recent sessions are remembered; an old one's slot is reused. */
        index = ++session_count;
        sessions[(index - 1) % TRACE_MAX_SESSIONS].session = session;
        sessions[(index - 1) % TRACE_MAX_SESSIONS].index = index;
    }
    ReleaseSRWLockExclusive(&map_lock);
    return index;
}

static DWORD track_find(unsigned session, const char *name)
{
    unsigned i;
    for (i = 0; i < track_count; ++i)
        if (tracks[i].session == session && !strncmp(tracks[i].name, name, TRACE_TRACK_NAME_MAX - 1))
            return tracks[i].tid;
    return 0;
}

/* Metadata naming a new track, so viewers show "stream 0" rather than a number. */
static void track_announce(const struct trace_track *track)
{
    char event[512], label[TRACE_TRACK_NAME_MAX + 32];
    struct out o = {event, 0, sizeof(event), FALSE};

    if (track->session > 1)
        snprintf(label, sizeof(label), "%s (session %u)", track->name, track->session);
    else
        snprintf(label, sizeof(label), "%s", track->name);
    out_str(&o, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":");
    out_u64(&o, trace_pid);
    out_str(&o, ",\"tid\":");
    out_u64(&o, track->tid);
    out_str(&o, ",\"args\":{\"name\":");
    out_quoted(&o, label, sizeof(label));
    out_str(&o, "}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":");
    out_u64(&o, trace_pid);
    out_str(&o, ",\"tid\":");
    out_u64(&o, track->tid);
    out_str(&o, ",\"args\":{\"sort_index\":");
    out_u64(&o, 1000 + track->tid - TRACE_TRACK_TID_BASE);
    out_str(&o, "}}");
    if (!o.overflow) trace_append(event, o.len, 2);
}

/* A session that goes away: a new one at the same address gets a new index
 * (and its own tracks). */
void trace_forget_session(const void *session)
{
    unsigned i;

    if (!trace_enabled) return;
    AcquireSRWLockExclusive(&map_lock);
    for (i = 0; i < TRACE_MAX_SESSIONS; ++i)
        if (sessions[i].session == session) sessions[i].session = NULL;
    ReleaseSRWLockExclusive(&map_lock);
}

/* The synthetic thread id of a named track; the calling thread's when the
 * table is full. */
static DWORD track_tid(unsigned session, const char *name)
{
    struct trace_track track;
    DWORD tid;

    AcquireSRWLockShared(&map_lock);
    tid = track_find(session, name);
    ReleaseSRWLockShared(&map_lock);
    if (tid) return tid;

    AcquireSRWLockExclusive(&map_lock);
    if (!(tid = track_find(session, name)) && track_count < TRACE_MAX_TRACKS)
    {
        track.session = session;
        lstrcpynA(track.name, name, TRACE_TRACK_NAME_MAX);
        track.tid = tid = TRACE_TRACK_TID_BASE + 2 * track_count;
        tracks[track_count++] = track;
        /* Announced under map_lock, so the name precedes the track's first event. */
        track_announce(&track);
    }
    ReleaseSRWLockExclusive(&map_lock);
    return tid ? tid : GetCurrentThreadId();
}

/* ---- init -------------------------------------------------------------------- */

/* Under Wine a Unix path ("/tmp/trace.json") is what a user types; Wine's
 * kernel32 converts it to a DOS path.  Elsewhere the path is used as is. */
static BOOL resolve_path(const WCHAR *path, WCHAR *out, DWORD size)
{
    WCHAR *(CDECL *get_dos_file_name)(const char *);
    char unix_path[MAX_PATH * 3];
    WCHAR *dos;
    DWORD len;

    if (path[0] == '/' && path[1] != '/'
            && (get_dos_file_name = (void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_dos_file_name"))
            && WideCharToMultiByte(CP_UTF8, 0, path, -1, unix_path, sizeof(unix_path), NULL, NULL)
            && (dos = get_dos_file_name(unix_path)))
    {
        len = lstrlenW(dos);
        if (len < size) memcpy(out, dos, (len + 1) * sizeof(WCHAR));
        HeapFree(GetProcessHeap(), 0, dos);
        return len < size;
    }
    len = GetFullPathNameW(path, size, out, NULL);
    return len && len < size;
}

/* The configured path: the environment first (set but empty means off), then
 * HKCU, then HKLM. */
static BOOL trace_configured_path(WCHAR *path, DWORD size)
{
    static const WCHAR key[] = L"Software\\Classes\\CLSID\\{9BC800B1-C557-4289-AAE2-224DCDAE69C6}";
    static const HKEY roots[] = {HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};
    DWORD len, bytes, i;

    SetLastError(ERROR_SUCCESS);
    len = GetEnvironmentVariableW(L"MFSESSION_TRACE", path, size);
    if (len && len < size) return TRUE;
    if (len || GetLastError() != ERROR_ENVVAR_NOT_FOUND) return FALSE;

    for (i = 0; i < ARRAYSIZE(roots); ++i)
    {
        bytes = size * sizeof(WCHAR);
        if (!RegGetValueW(roots[i], key, L"Trace", RRF_RT_REG_SZ, NULL, path, &bytes))
            return path[0] != 0;
    }
    return FALSE;
}

static BOOL trace_open(void)
{
    WCHAR configured[MAX_PATH], path[MAX_PATH];
    char header[MAX_PATH * 3 + 256], exe[MAX_PATH * 3];
    struct out o = {header, 0, sizeof(header), FALSE};
    WCHAR exe_path[MAX_PATH];
    const WCHAR *exe_name;
    DWORD len;

    if (!trace_configured_path(configured, ARRAYSIZE(configured))) return FALSE;
    if (!resolve_path(configured, path, ARRAYSIZE(path))) return FALSE;
    trace_file = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
            CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (trace_file == INVALID_HANDLE_VALUE) return FALSE;

    len = GetModuleFileNameW(NULL, exe_path, ARRAYSIZE(exe_path));
    exe_path[len < ARRAYSIZE(exe_path) ? len : 0] = 0;
    for (exe_name = exe_path + lstrlenW(exe_path); exe_name > exe_path && exe_name[-1] != '\\'; --exe_name);
    if (!WideCharToMultiByte(CP_UTF8, 0, exe_name, -1, exe, sizeof(exe), NULL, NULL)) exe[0] = 0;

    /* The header holds one event, so every later event starts with a comma. */
    out_str(&o, "{\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":");
    out_u64(&o, trace_pid);
    out_str(&o, ",\"tid\":0,\"args\":{\"name\":");
    out_quoted(&o, exe[0] ? exe : "mfsession", sizeof(exe));
    out_str(&o, "}}");
    if (o.overflow || !file_write_at(0, header, o.len)) goto failed;
    file_events_end = o.len;
    if (!file_write_tail(0)) goto failed;
    return TRUE;

failed:
    CloseHandle(trace_file);
    trace_file = INVALID_HANDLE_VALUE;
    DeleteFileW(path);
    return FALSE;
}

static BOOL CALLBACK trace_init_once(INIT_ONCE *once, void *param, void **context)
{
    trace_pid = GetCurrentProcessId();
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            (const WCHAR *)trace_init_once, &trace_module))
        trace_module = NULL;
    QueryPerformanceFrequency(&qpc_freq);
    if (qpc_freq.QuadPart <= 0) return TRUE;

    buffers[0].data = VirtualAlloc(NULL, TRACE_BUFFER_LIMIT, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    buffers[1].data = VirtualAlloc(NULL, TRACE_BUFFER_LIMIT, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!buffers[0].data || !buffers[1].data || !trace_open())
    {
        if (buffers[0].data) VirtualFree(buffers[0].data, 0, MEM_RELEASE);
        if (buffers[1].data) VirtualFree(buffers[1].data, 0, MEM_RELEASE);
        buffers[0].data = buffers[1].data = NULL;
        return TRUE;
    }
    active = &buffers[0];
    QueryPerformanceCounter(&qpc_base);
    InterlockedExchange(&trace_enabled, 1);
    return TRUE;
}

void trace_init(void)
{
    InitOnceExecuteOnce(&trace_once, trace_init_once, NULL, NULL);
}

/* ---- events ------------------------------------------------------------------ */

BOOL trace_is_enabled(void)
{
    return trace_enabled != 0;
}

static UINT64 trace_now_ns(void)
{
    LARGE_INTEGER now;
    UINT64 ticks;

    QueryPerformanceCounter(&now);
    ticks = now.QuadPart > qpc_base.QuadPart ? now.QuadPart - qpc_base.QuadPart : 0;
    return ticks / qpc_freq.QuadPart * 1000000000u + ticks % qpc_freq.QuadPart * 1000000000u / qpc_freq.QuadPart;
}

/* Microseconds since tracing started: for measuring the duration an 'X'
 * event passes in `id`. */
UINT64 trace_now_us(void)
{
    return trace_enabled ? trace_now_ns() / 1000 : 0;
}

/* 'X' events: `id` is the duration in microseconds, ending now.
 * 'b'/'e'/'n': `id` pairs the events; it is combined with the session's index
 * so that two sessions' sequences never pair with each other. */
void trace_write(char phase, const char *cat, const char *name, const void *session, const char *track,
        UINT64 id, const char *args, ...)
{
    char event[TRACE_EVENT_MAX], body[TRACE_ARGS_MAX], ph[2];
    struct out o = {event, 0, sizeof(event), FALSE};
    UINT64 now, dur = 0;
    unsigned index;
    BOOL comma = FALSE;
    va_list va;
    DWORD tid;
    int n = 0;

    if (!trace_enabled) return;
    now = trace_now_ns();
    index = session ? session_index(session) : 0;
    tid = track ? track_tid(index, track) : GetCurrentThreadId();
    body[0] = 0;
    if (args)
    {
        va_start(va, args);
        n = vsnprintf(body, sizeof(body), args, va);
        va_end(va);
    }

    ph[0] = (phase >= 'A' && phase <= 'Z') || (phase >= 'a' && phase <= 'z') ? phase : '?';
    ph[1] = 0;
    out_str(&o, ",\n{\"name\":");
    out_quoted(&o, name ? name : "?", TRACE_NAME_MAX);
    out_str(&o, ",\"cat\":");
    out_quoted(&o, cat ? cat : "?", TRACE_NAME_MAX);
    out_str(&o, ",\"ph\":");
    out_quoted(&o, ph, 1);
    out_str(&o, ",\"ts\":");
    if (phase == 'X')
    {
        dur = id * 1000 < now ? id * 1000 : now;
        out_us(&o, now - dur);
        out_str(&o, ",\"dur\":");
        out_us(&o, dur);
    }
    else
        out_us(&o, now);
    out_str(&o, ",\"pid\":");
    out_u64(&o, trace_pid);
    out_str(&o, ",\"tid\":");
    out_u64(&o, tid);
    if (phase == 'b' || phase == 'e' || phase == 'n')
    {
        out_str(&o, ",\"id\":\"");
        out_hex(&o, ((UINT64)index << 40) ^ id);
        out_str(&o, "\"");
    }
    if (phase == 'i' || phase == 'I')
        out_str(&o, ",\"s\":\"t\"");
    out_str(&o, ",\"args\":{");
    /* A counter's args are its series: nothing is added to them. */
    if (phase != 'C')
    {
        if (index)
        {
            out_str(&o, "\"session\":");
            out_u64(&o, index);
            comma = TRUE;
        }
        if (track)
        {
            out_str(&o, comma ? ",\"track\":" : "\"track\":");
            out_quoted(&o, track, TRACE_TRACK_NAME_MAX - 1);
            comma = TRUE;
        }
    }
    if (n < 0 || n >= (int)sizeof(body))
        out_str(&o, comma ? ",\"args_truncated\":true" : "\"args_truncated\":true");
    else if (!json_args_valid(body))
    {
        out_str(&o, comma ? ",\"invalid_args\":" : "\"invalid_args\":");
        out_quoted(&o, body, sizeof(body));
    }
    else if (*json_ws(body))
    {
        if (comma) out_str(&o, ",");
        out_str(&o, body);
    }
    out_str(&o, "}}");

    if (o.overflow)
    {
        AcquireSRWLockExclusive(&buffer_lock);
        ++events_dropped;
        ReleaseSRWLockExclusive(&buffer_lock);
        return;
    }
    trace_append(event, o.len, 1);
}

/* DLL_PROCESS_DETACH: the last flush.  At process exit other threads are gone
 * and may have died holding a lock, so it only tries the locks and never waits. */
void trace_process_detach(void)
{
    if (!buffers[0].data) return;   /* tracing never started */
    trace_disable();
    if (!TryAcquireSRWLockExclusive(&flush_lock)) return;
    if (TryAcquireSRWLockExclusive(&buffer_lock))
    {
        ReleaseSRWLockExclusive(&buffer_lock);
        if (flush_locked())
        {
            CloseHandle(trace_file);
            trace_file = INVALID_HANDLE_VALUE;
        }
        /* Nothing runs the module's code any more (FreeLibrary or exit). */
        active = NULL;
        VirtualFree(buffers[0].data, 0, MEM_RELEASE);
        VirtualFree(buffers[1].data, 0, MEM_RELEASE);
        buffers[0].data = buffers[1].data = NULL;
    }
    ReleaseSRWLockExclusive(&flush_lock);
}
