/*
 * Tracing (docs/TRACING.md):
 *  - a traced playback writes a Chrome Trace Event file, valid JSON, with the
 *    command spans, API calls, event markers, state changes, component calls
 *    and per-stream sample markers on named tracks;
 *  - with tracing off nothing is written (a child process of this test, run
 *    without MFSESSION_TRACE, in an empty directory);
 *  - the writer itself, built into this test with small limits (this file
 *    includes src/trace.c): escaping, args checking, sessions and tracks, the
 *    bounded buffer and its dropped count, the background flush, and an I/O
 *    error turning tracing off.
 *
 * MFSESSION_TEST_KEEP_TRACE=1 keeps the trace files and prints their paths
 * (e.g. for tools/trace-summary.py).
 */
#define TRACE_BUFFER_LIMIT (64u << 10)
#define TRACE_FLUSH_THRESHOLD (16u << 10)
#include "../src/trace.c"

#include "common.h"
#include "doubles.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define SAMPLE_DURATION 100000
#define SAMPLES 10
#define CHILD_TIMEOUT 60000

/* ---- reading a trace: a JSON checker that keeps the events ------------------- */

struct targ
{
    char key[32];
    char value[256];
};

struct tev
{
    char name[128], cat[32], ph[4], id[48];
    double ts, dur, pid, tid;
    BOOL has_ts, has_dur, has_pid, has_tid;
    unsigned nargs;
    struct targ args[8];
};

struct trace
{
    struct tev *ev;
    unsigned count, cap;
    const char *error;      /* why the text is not a valid trace, or NULL */
    size_t error_at;
};

struct parser
{
    const char *start, *p;
    const char *error;
};

static BOOL p_fail(struct parser *ps, const char *what)
{
    if (!ps->error) ps->error = what;
    return FALSE;
}

static void p_ws(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ++ps->p;
}

static BOOL p_char(struct parser *ps, char c)
{
    p_ws(ps);
    if (*ps->p != c) return p_fail(ps, "unexpected character");
    ++ps->p;
    return TRUE;
}

static void put_utf8(char *out, size_t size, size_t *len, unsigned cp)
{
    char bytes[3];
    unsigned n, i;
    if (cp < 0x80) { bytes[0] = cp; n = 1; }
    else if (cp < 0x800) { bytes[0] = 0xc0 | cp >> 6; bytes[1] = 0x80 | (cp & 0x3f); n = 2; }
    else { bytes[0] = 0xe0 | cp >> 12; bytes[1] = 0x80 | (cp >> 6 & 0x3f); bytes[2] = 0x80 | (cp & 0x3f); n = 3; }
    for (i = 0; i < n; ++i)
        if (out && *len + 1 < size) out[(*len)++] = bytes[i];
}

/* A string, unescaped into out (truncated to size). */
static BOOL p_string(struct parser *ps, char *out, size_t size)
{
    size_t len = 0;
    unsigned cp, i;

    p_ws(ps);
    if (*ps->p != '"') return p_fail(ps, "expected a string");
    ++ps->p;
    for (;;)
    {
        unsigned char c = *ps->p++;
        if (c == '"') break;
        if (c < 0x20) return p_fail(ps, "control character or end of text in a string");
        if (c == '\\')
        {
            c = *ps->p++;
            switch (c)
            {
            case '"': case '\\': case '/': cp = c; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
                for (i = 0, cp = 0; i < 4; ++i, ++ps->p)
                {
                    char h = *ps->p;
                    if (h >= '0' && h <= '9') cp = cp * 16 + h - '0';
                    else if (h >= 'a' && h <= 'f') cp = cp * 16 + h - 'a' + 10;
                    else if (h >= 'A' && h <= 'F') cp = cp * 16 + h - 'A' + 10;
                    else return p_fail(ps, "bad \\u escape");
                }
                break;
            default:
                return p_fail(ps, "bad escape");
            }
            put_utf8(out, size, &len, cp);
        }
        else if (out && len + 1 < size)
            out[len++] = c;
    }
    if (out && size) out[len] = 0;
    return TRUE;
}

static BOOL p_digits(struct parser *ps)
{
    if (*ps->p < '0' || *ps->p > '9') return p_fail(ps, "expected a digit");
    while (*ps->p >= '0' && *ps->p <= '9') ++ps->p;
    return TRUE;
}

static BOOL p_number(struct parser *ps, double *value, char *text, size_t size)
{
    const char *begin;
    size_t len;

    p_ws(ps);
    begin = ps->p;
    if (*ps->p == '-') ++ps->p;
    if (*ps->p == '0') ++ps->p;
    else if (!p_digits(ps)) return FALSE;
    if (*ps->p == '.' && (++ps->p, !p_digits(ps))) return FALSE;
    if (*ps->p == 'e' || *ps->p == 'E')
    {
        ++ps->p;
        if (*ps->p == '+' || *ps->p == '-') ++ps->p;
        if (!p_digits(ps)) return FALSE;
    }
    if (value) *value = strtod(begin, NULL);
    if (text && size)
    {
        len = ps->p - begin < (ptrdiff_t)size - 1 ? (size_t)(ps->p - begin) : size - 1;
        memcpy(text, begin, len);
        text[len] = 0;
    }
    return TRUE;
}

/* Any value; a scalar's text (unescaped string, number, literal) into text. */
static BOOL p_value(struct parser *ps, int depth, char *text, size_t size)
{
    static const char *literals[] = {"true", "false", "null"};
    unsigned i;

    if (text && size) text[0] = 0;
    if (depth > 32) return p_fail(ps, "nested too deep");
    p_ws(ps);
    switch (*ps->p)
    {
    case '"':
        return p_string(ps, text, size);
    case '{':
        ++ps->p;
        p_ws(ps);
        if (*ps->p == '}') { ++ps->p; return TRUE; }
        for (;;)
        {
            if (!p_string(ps, NULL, 0) || !p_char(ps, ':') || !p_value(ps, depth + 1, NULL, 0)) return FALSE;
            p_ws(ps);
            if (*ps->p == '}') { ++ps->p; return TRUE; }
            if (!p_char(ps, ',')) return FALSE;
        }
    case '[':
        ++ps->p;
        p_ws(ps);
        if (*ps->p == ']') { ++ps->p; return TRUE; }
        for (;;)
        {
            if (!p_value(ps, depth + 1, NULL, 0)) return FALSE;
            p_ws(ps);
            if (*ps->p == ']') { ++ps->p; return TRUE; }
            if (!p_char(ps, ',')) return FALSE;
        }
    default:
        for (i = 0; i < ARRAYSIZE(literals); ++i)
            if (!strncmp(ps->p, literals[i], strlen(literals[i])))
            {
                ps->p += strlen(literals[i]);
                if (text && size) snprintf(text, size, "%s", literals[i]);
                return TRUE;
            }
        return p_number(ps, NULL, text, size);
    }
}

static BOOL p_event(struct parser *ps, struct tev *e)
{
    char key[32], text[64];

    memset(e, 0, sizeof(*e));
    if (!p_char(ps, '{')) return FALSE;
    p_ws(ps);
    if (*ps->p == '}') { ++ps->p; return TRUE; }
    for (;;)
    {
        if (!p_string(ps, key, sizeof(key)) || !p_char(ps, ':')) return FALSE;
        p_ws(ps);
        if (!strcmp(key, "name")) { if (!p_value(ps, 2, e->name, sizeof(e->name))) return FALSE; }
        else if (!strcmp(key, "cat")) { if (!p_value(ps, 2, e->cat, sizeof(e->cat))) return FALSE; }
        else if (!strcmp(key, "ph")) { if (!p_value(ps, 2, e->ph, sizeof(e->ph))) return FALSE; }
        else if (!strcmp(key, "id")) { if (!p_value(ps, 2, e->id, sizeof(e->id))) return FALSE; }
        else if (!strcmp(key, "ts")) { if (!p_number(ps, &e->ts, text, sizeof(text))) return FALSE; e->has_ts = TRUE; }
        else if (!strcmp(key, "dur")) { if (!p_number(ps, &e->dur, text, sizeof(text))) return FALSE; e->has_dur = TRUE; }
        else if (!strcmp(key, "pid")) { if (!p_number(ps, &e->pid, text, sizeof(text))) return FALSE; e->has_pid = TRUE; }
        else if (!strcmp(key, "tid")) { if (!p_number(ps, &e->tid, text, sizeof(text))) return FALSE; e->has_tid = TRUE; }
        else if (!strcmp(key, "args") && *ps->p == '{')
        {
            ++ps->p;
            p_ws(ps);
            if (*ps->p == '}') ++ps->p;
            else for (;;)
            {
                struct targ *a = e->nargs < ARRAYSIZE(e->args) ? &e->args[e->nargs++] : NULL;
                if (!p_string(ps, a ? a->key : NULL, sizeof(a->key)) || !p_char(ps, ':')
                        || !p_value(ps, 3, a ? a->value : NULL, sizeof(a->value)))
                    return FALSE;
                p_ws(ps);
                if (*ps->p == '}') { ++ps->p; break; }
                if (!p_char(ps, ',')) return FALSE;
            }
        }
        else if (!p_value(ps, 2, NULL, 0)) return FALSE;
        p_ws(ps);
        if (*ps->p == '}') { ++ps->p; return TRUE; }
        if (!p_char(ps, ',')) return FALSE;
    }
}

/* The whole file: {"traceEvents":[ events ]} and nothing else. */
static BOOL parse_trace(const char *text, struct trace *t)
{
    static const char prefix[] = "{\"traceEvents\":[";
    struct parser ps = {text, text, NULL};
    size_t len = strlen(text);
    struct tev e;

    memset(t, 0, sizeof(*t));
    while (len && strchr(" \t\r\n", text[len - 1])) --len;
    if (strncmp(text, prefix, strlen(prefix))) t->error = "does not start with {\"traceEvents\":[";
    else if (len < 2 || strncmp(text + len - 2, "]}", 2)) t->error = "does not end with ]}";
    if (t->error) return FALSE;
    ps.p += strlen(prefix);
    p_ws(&ps);
    if (*ps.p == ']') ++ps.p;
    else for (;;)
    {
        if (!p_event(&ps, &e)) break;
        if (t->count == t->cap)
        {
            struct tev *grown = realloc(t->ev, (t->cap = t->cap ? 2 * t->cap : 256) * sizeof(*grown));
            if (!grown) { ps.error = "out of memory"; break; }
            t->ev = grown;
        }
        t->ev[t->count++] = e;
        p_ws(&ps);
        if (*ps.p == ']') { ++ps.p; break; }
        if (!p_char(&ps, ',')) break;
    }
    if (!ps.error && p_char(&ps, '}'))
    {
        p_ws(&ps);
        if (*ps.p) ps.error = "text after the closing brace";
    }
    t->error = ps.error;
    t->error_at = ps.p - text;
    return !t->error;
}

static char *read_file_text(const WCHAR *path)
{
    HANDLE file;
    LARGE_INTEGER size;
    DWORD done = 0;
    char *text = NULL;

    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
            OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return NULL;
    if (GetFileSizeEx(file, &size) && size.QuadPart < (64 << 20) && (text = malloc(size.QuadPart + 1)))
    {
        if (!ReadFile(file, text, size.LowPart, &done, NULL)) done = 0;
        text[done] = 0;
    }
    CloseHandle(file);
    return text;
}

/* Reads and parses the file; a flush may be running on another thread, so an
 * invalid file is read again for a while before it counts as invalid. */
static BOOL load_trace(const WCHAR *path, struct trace *t, const char *label)
{
    DWORD start = GetTickCount();
    char *text;
    BOOL valid;

    for (;;)
    {
        memset(t, 0, sizeof(*t));
        if (!(text = read_file_text(path)))
        {
            ok(0, "[%s] the trace file %ls exists", label, path);
            return FALSE;
        }
        valid = parse_trace(text, t);
        if (valid || GetTickCount() - start > 2000) break;
        free(t->ev);
        free(text);
        Sleep(50);
    }
    ok(valid, "[%s] the trace is valid JSON {\"traceEvents\":[...]}%s%s at byte %lu", label,
            valid ? "" : ": ", valid ? "" : t->error, (unsigned long)t->error_at);
    if (!valid) diag("text near the error: %.80s", text + (t->error_at > 40 ? t->error_at - 40 : 0));
    free(text);
    return valid;
}

static void trace_free(struct trace *t)
{
    free(t->ev);
    memset(t, 0, sizeof(*t));
}

/* ---- queries --------------------------------------------------------------- */

static const char *arg(const struct tev *e, const char *key)
{
    unsigned i;
    for (i = 0; i < e->nargs; ++i)
        if (!strcmp(e->args[i].key, key)) return e->args[i].value;
    return NULL;
}

/* NULL matches anything; phases is a set of phase letters. */
static BOOL is(const struct tev *e, const char *cat, const char *phases, const char *name)
{
    return (!cat || !strcmp(e->cat, cat)) && (!phases || (e->ph[0] && strchr(phases, e->ph[0])))
            && (!name || !strcmp(e->name, name));
}

static unsigned count(const struct trace *t, const char *cat, const char *phases, const char *name)
{
    unsigned i, n = 0;
    for (i = 0; i < t->count; ++i) n += is(&t->ev[i], cat, phases, name);
    return n;
}

static const struct tev *find(const struct trace *t, const char *cat, const char *phases, const char *name)
{
    unsigned i;
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], cat, phases, name)) return &t->ev[i];
    return NULL;
}

static const struct tev *find_metadata(const struct trace *t, const char *name, double tid)
{
    unsigned i;
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], NULL, "M", name) && (tid < 0 || t->ev[i].tid == tid)) return &t->ev[i];
    return NULL;
}

static const char *thread_name(const struct trace *t, double tid)
{
    const struct tev *m = find_metadata(t, "thread_name", tid);
    return m ? arg(m, "name") : NULL;
}

/* The tid of the track named `name`, or -1. */
static double track_by_name(const struct trace *t, const char *name)
{
    unsigned i;
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], NULL, "M", "thread_name") && arg(&t->ev[i], "name") && !strcmp(arg(&t->ev[i], "name"), name))
            return t->ev[i].tid;
    return -1;
}

/* A completed call: an 'X' event, or the 'E' closing a 'B'; its result arg. */
static const char *call_result(const struct trace *t, const char *cat, const char *name, const char *key)
{
    const struct tev *e = find(t, cat, "X", name);
    if (!e && find(t, cat, "B", name)) e = find(t, cat, "E", name);
    return e ? arg(e, key) : NULL;
}

/* Every 'E' closes the innermost open 'B' of its track with the same name. */
static BOOL check_nesting(const struct trace *t, char *why, size_t size)
{
    struct { double tid; unsigned depth; const char *open[32]; } stacks[64];
    unsigned nstacks = 0, i, k;

    for (i = 0; i < t->count; ++i)
    {
        const struct tev *e = &t->ev[i];
        if (e->ph[0] != 'B' && e->ph[0] != 'E') continue;
        for (k = 0; k < nstacks && stacks[k].tid != e->tid; ++k);
        if (k == nstacks)
        {
            if (nstacks == ARRAYSIZE(stacks)) continue;
            stacks[nstacks].tid = e->tid;
            stacks[nstacks++].depth = 0;
        }
        if (e->ph[0] == 'B')
        {
            if (stacks[k].depth < ARRAYSIZE(stacks[k].open)) stacks[k].open[stacks[k].depth] = e->name;
            ++stacks[k].depth;
        }
        else if (!stacks[k].depth || (stacks[k].depth <= ARRAYSIZE(stacks[k].open)
                && strcmp(stacks[k].open[stacks[k].depth - 1], e->name)))
        {
            snprintf(why, size, "'E' %s (event %u) does not close the open 'B' %s", e->name, i,
                    stacks[k].depth ? stacks[k].open[stacks[k].depth - 1] : "(none)");
            return FALSE;
        }
        else
            --stacks[k].depth;
    }
    return TRUE;
}

/* Every async 'b' has its 'e' (same category, name and id) after it. */
static BOOL check_async_pairs(const struct trace *t, const char *cat, char *why, size_t size)
{
    unsigned i, j;
    for (i = 0; i < t->count; ++i)
    {
        const struct tev *b = &t->ev[i];
        BOOL closed = FALSE;
        if (!is(b, cat, "b", NULL)) continue;
        for (j = i + 1; j < t->count && !closed; ++j)
            closed = is(&t->ev[j], cat, "e", b->name) && !strcmp(t->ev[j].id, b->id) && t->ev[j].ts >= b->ts;
        if (!closed)
        {
            snprintf(why, size, "'b' %s id %s has no 'e'", b->name, b->id);
            return FALSE;
        }
    }
    return TRUE;
}

/* ---- playing with the doubles -------------------------------------------- */

struct play
{
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *src;
    struct dsink *sink;
    IMFTopology *topology;
};

static BOOL play_to_end(struct play *p, unsigned streams, unsigned samples, const char *label)
{
    struct dsource_desc sdesc = {0};
    struct dsink_desc kdesc = {0};
    PROPVARIANT position;
    HRESULT status = E_FAIL;

    memset(p, 0, sizeof(*p));
    sdesc.stream_count = streams;
    sdesc.samples_per_stream = samples;
    sdesc.sample_duration = SAMPLE_DURATION;
    sdesc.sample_bytes = 4;
    sdesc.seekable = TRUE;
    sdesc.can_pause = TRUE;
    kdesc.stream_count = streams;
    kdesc.rateless = TRUE;
    kdesc.request_depth = 2;
    if (!(p->session = create_session())) return FALSE;
    p->w = event_waiter_create((IMFMediaEventGenerator *)p->session);
    if (!ok_hr(S_OK, dsource_create(&sdesc, &p->src)) || !ok_hr(S_OK, dsink_create(&kdesc, &p->sink))
            || !ok_hr(S_OK, dtopology_build(p->src, p->sink, NULL, NULL, &p->topology)))
        return FALSE;
    ok_hr(S_OK, IMFMediaSession_SetTopology(p->session, 0, p->topology));
    PropVariantInit(&position);
    ok_hr(S_OK, IMFMediaSession_Start(p->session, &GUID_NULL, &position));
    if (!event_waiter_wait_for(p->w, MESessionStarted, TEST_TIMEOUT, &status, NULL)) status = E_FAIL;
    ok(status == S_OK, "[%s] MESessionStarted, status %#lx", label, status);
    if (!event_waiter_wait_for(p->w, MESessionEnded, TEST_TIMEOUT, &status, NULL)) status = E_FAIL;
    ok(status == S_OK, "[%s] MESessionEnded, status %#lx", label, status);
    ok(dsink_received(p->sink, 0) == samples, "[%s] stream 0: %u samples played, got %u", label, samples,
            dsink_received(p->sink, 0));
    return TRUE;
}

static void play_close(struct play *p, const char *label)
{
    HRESULT status = E_FAIL;
    ok_hr(S_OK, IMFMediaSession_Close(p->session));
    if (!event_waiter_wait_for(p->w, MESessionClosed, TEST_TIMEOUT, &status, NULL)) status = E_FAIL;
    ok(status == S_OK, "[%s] MESessionClosed, status %#lx", label, status);
    ok_hr(S_OK, IMFMediaSession_Shutdown(p->session));
}

static void play_release(struct play *p)
{
    DWORD start = GetTickCount();

    if (p->w) event_waiter_destroy(p->w);
    if (p->session) IMFMediaSession_Release(p->session);
    if (p->topology) IMFTopology_Release(p->topology);
    while (p->src && p->sink && (dsource_refcount(p->src) != 1 || dsink_refcount(p->sink) != 1)
            && GetTickCount() - start < 2000)
        Sleep(10);
    if (p->src)
    {
        IMFMediaSource_Shutdown(dsource_iface(p->src));
        dsource_release(p->src);
    }
    if (p->sink) dsink_release(p->sink);
    memset(p, 0, sizeof(*p));
}

/* ---- the traced playback ---------------------------------------------------- */

static void check_stream_samples(const struct trace *t, const char *track, const char *label)
{
    double tid = track_by_name(t, track);
    unsigned i, requested = 0, delivered = 0;
    BOOL in_order = TRUE, have_time = TRUE, on_track = TRUE;
    LONGLONG last = -1;

    ok(tid >= 0, "[%s] a track named \"%s\" (thread_name metadata)", label, track);
    for (i = 0; i < t->count; ++i)
    {
        const struct tev *e = &t->ev[i];
        const char *time;
        if (!is(e, "sample", "i", NULL) || !arg(e, "track") || strcmp(arg(e, "track"), track)) continue;
        if (e->tid != tid) on_track = FALSE;
        if (!strcmp(e->name, "requested")) ++requested;
        if (strcmp(e->name, "delivered")) continue;
        ++delivered;
        if (!(time = arg(e, "time"))) { have_time = FALSE; continue; }
        if (_atoi64(time) <= last) in_order = FALSE;
        last = _atoi64(time);
    }
    ok(delivered == SAMPLES, "[%s] %s: a \"delivered\" sample marker per sample: %u of %u", label, track,
            delivered, SAMPLES);
    ok(have_time && in_order, "[%s] %s: each \"delivered\" marker has the sample's time, in order", label, track);
    ok(last == (LONGLONG)(SAMPLES - 1) * SAMPLE_DURATION, "[%s] %s: the last delivered time is %d, got %lld",
            label, track, (SAMPLES - 1) * SAMPLE_DURATION, (long long)last);
    ok(requested >= delivered, "[%s] %s: \"requested\" markers (%u) for the samples delivered (%u)", label, track,
            requested, delivered);
    ok(on_track, "[%s] %s: the sample markers are on the stream's track", label, track);
}

static void check_playback_trace(const struct trace *t, const char *label)
{
    static const char *commands[] = {"SetTopology", "Start", "Close"};
    static const char *apis[] = {"SetTopology", "Start", "Close", "Shutdown"};
    static const char *calls[] = {"source.Start", "stream.RequestSample", "sink.ProcessSample", "clock.Start"};
    static const char *markers[] = {"MESessionTopologySet", "MESessionStarted", "MESessionEnded", "MESessionClosed"};
    const struct tev *e, *meta, *last_event = NULL;
    BOOL fields = TRUE, state_args = TRUE, started = FALSE;
    char why[160] = "";
    const char *value;
    unsigned i;

    for (i = 0; i < t->count; ++i)
    {
        e = &t->ev[i];
        if (!e->ph[0] || !e->has_pid || !e->has_tid || (e->ph[0] != 'M' && (!e->has_ts || e->ts < 0))
                || (e->ph[0] == 'X' && (!e->has_dur || e->dur < 0)))
        {
            if (fields) diag("event %u (%s) lacks ph, pid, tid, ts or dur", i, e->name);
            fields = FALSE;
        }
    }
    ok(fields, "[%s] every event has ph, pid, tid, and a ts (and 'X' a dur) >= 0", label);
    ok(find_metadata(t, "process_name", -1) != NULL, "[%s] process_name metadata", label);

    for (i = 0; i < ARRAYSIZE(commands); ++i)
    {
        ok(count(t, "command", "b", commands[i]) >= 1 && count(t, "command", "e", commands[i]) >= 1,
                "[%s] the %s command is a span ('b' and 'e', category \"command\")", label, commands[i]);
        e = find(t, "command", "e", commands[i]);
        value = e ? arg(e, "status") : NULL;
        ok(value && !strcmp(value, "0x00000000"), "[%s] the %s span ends with its status 0x00000000, got %s",
                label, commands[i], value ? value : "none");
    }
    ok(check_async_pairs(t, "command", why, sizeof(why)), "[%s] every command span that began ended: %s", label, why);
    ok(count(t, "command", "i", "queued") >= ARRAYSIZE(commands), "[%s] a \"queued\" marker per command, got %u",
            label, count(t, "command", "i", "queued"));

    for (i = 0; i < ARRAYSIZE(apis); ++i)
    {
        value = call_result(t, "api", apis[i], "hr");
        ok(value && !strcmp(value, "0x00000000"), "[%s] the public call %s is recorded with its result 0x00000000, got %s",
                label, apis[i], value ? value : "nothing");
    }
    for (i = 0; i < ARRAYSIZE(calls); ++i)
    {
        value = call_result(t, "call", calls[i], "hr");
        ok(value && !strcmp(value, "0x00000000"), "[%s] the call %s is recorded with its result 0x00000000, got %s",
                label, calls[i], value ? value : "nothing");
    }
    why[0] = 0;
    ok(check_nesting(t, why, sizeof(why)), "[%s] 'B'/'E' spans nest on every track: %s", label, why);

    for (i = 0; i < ARRAYSIZE(markers); ++i)
    {
        e = find(t, "event", "i", markers[i]);
        value = e ? arg(e, "status") : NULL;
        ok(value && !strcmp(value, "0x00000000"), "[%s] the event %s sent to the client is a marker with status 0x00000000, got %s",
                label, markers[i], value ? value : "nothing");
    }
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], "event", "i", NULL) && (!last_event || t->ev[i].ts >= last_event->ts)) last_event = &t->ev[i];
    ok(last_event && !strcmp(last_event->name, "MESessionClosed"), "[%s] MESessionClosed is the last event marker, got %s",
            label, last_event ? last_event->name : "none");

    for (i = 0; i < t->count; ++i)
    {
        if (!is(&t->ev[i], "state", "i", "state")) continue;
        if (!arg(&t->ev[i], "from") || !arg(&t->ev[i], "to") || !strcmp(arg(&t->ev[i], "from"), arg(&t->ev[i], "to")))
            state_args = FALSE;
        else if (!strcmp(arg(&t->ev[i], "to"), "started"))
            started = TRUE;
    }
    ok(count(t, "state", "i", "state") >= 2 && state_args, "[%s] state changes are markers with from and to, got %u",
            label, count(t, "state", "i", "state"));
    ok(started, "[%s] a state change to \"started\"", label);

    check_stream_samples(t, "stream 0", label);
    check_stream_samples(t, "stream 1", label);

    meta = find_metadata(t, "mfsession_trace", -1);
    ok(meta && arg(meta, "dropped_events") && !strcmp(arg(meta, "dropped_events"), "0"),
            "[%s] the final metadata event reports 0 dropped events, got %s", label,
            meta && arg(meta, "dropped_events") ? arg(meta, "dropped_events") : "none");
    ok(meta == &t->ev[t->count - 1], "[%s] the metadata event is the last event", label);
    ok(meta && arg(meta, "events") && (unsigned)atoi(arg(meta, "events")) == t->count - 2,
            "[%s] the metadata counts the events written: %s of %u", label,
            meta && arg(meta, "events") ? arg(meta, "events") : "none", t->count - 2);
}

static void test_traced_playback(const WCHAR *path)
{
    struct play p, q;
    struct trace t;
    unsigned i;
    BOOL second = FALSE;

    if (!play_to_end(&p, 2, SAMPLES, "traced"))
    {
        play_release(&p);
        return;
    }
    play_close(&p, "traced");
    /* Close and Shutdown flush: everything is in the file now. */
    if (load_trace(path, &t, "traced"))
        check_playback_trace(&t, "traced");
    trace_free(&t);

    /* A second session (the first is still alive, so at another address):
     * the file grows, stays valid, and the new session has its own tracks. */
    if (play_to_end(&q, 1, SAMPLES, "traced, second session"))
    {
        play_close(&q, "traced, second session");
        if (load_trace(path, &t, "traced, second session"))
        {
            ok(count(&t, "event", "i", "MESessionClosed") == 2, "[second session] both sessions' MESessionClosed, got %u",
                    count(&t, "event", "i", "MESessionClosed"));
            for (i = 0; i < t.count && !second; ++i)
                second = is(&t.ev[i], "event", "i", "MESessionClosed") && arg(&t.ev[i], "session")
                        && !strcmp(arg(&t.ev[i], "session"), "2");
            ok(second, "[second session] its events carry \"session\":2");
            ok(track_by_name(&t, "stream 0 (session 2)") >= 0, "[second session] its stream track is \"stream 0 (session 2)\"");
        }
        trace_free(&t);
    }
    play_release(&q);
    play_release(&p);
}

/* ---- tracing off: a child process ------------------------------------------ */

static BOOL directory_empty(const WCHAR *dir)
{
    WIN32_FIND_DATAW data;
    WCHAR pattern[MAX_PATH];
    HANDLE find;
    BOOL empty = TRUE;

    swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", dir);
    if ((find = FindFirstFileW(pattern, &data)) == INVALID_HANDLE_VALUE) return TRUE;
    do
        if (wcscmp(data.cFileName, L".") && wcscmp(data.cFileName, L".."))
        {
            diag("found %ls", data.cFileName);
            empty = FALSE;
        }
    while (FindNextFileW(find, &data));
    FindClose(find);
    return empty;
}

/* Child: plays with MFSESSION_TRACE unset, in the empty directory `dir`. */
static void child_off(const WCHAR *dir)
{
    static const WCHAR key[] = L"Software\\Classes\\CLSID\\{9BC800B1-C557-4289-AAE2-224DCDAE69C6}";
    WCHAR value[MAX_PATH];
    DWORD size = sizeof(value);
    struct play p;

    SetLastError(0);
    ok(!GetEnvironmentVariableW(L"MFSESSION_TRACE", value, ARRAYSIZE(value))
            && GetLastError() == ERROR_ENVVAR_NOT_FOUND, "[off] MFSESSION_TRACE is not set");
    if (!RegGetValueW(HKEY_CURRENT_USER, key, L"Trace", RRF_RT_ANY, NULL, value, &size)
            || (size = sizeof(value), !RegGetValueW(HKEY_LOCAL_MACHINE, key, L"Trace", RRF_RT_ANY, NULL, value, &size)))
    {
        skip("[off] the registry value Trace is set in this prefix: tracing is on");
        return;
    }
    if (play_to_end(&p, 2, SAMPLES, "off")) play_close(&p, "off");
    play_release(&p);
    ok(directory_empty(dir), "[off] nothing written in the current directory");
}

static WCHAR *environment_without(const WCHAR *name)
{
    WCHAR *all = GetEnvironmentStringsW(), *p, *out, *q;
    size_t total = 2, n = wcslen(name);

    for (p = all; *p; p += wcslen(p) + 1) total += wcslen(p) + 1;
    if ((q = out = malloc(total * sizeof(WCHAR))))
    {
        for (p = all; *p; p += wcslen(p) + 1)
            if (_wcsnicmp(p, name, n) || p[n] != '=')
            {
                wcscpy(q, p);
                q += wcslen(p) + 1;
            }
        q[0] = q[1] = 0;
    }
    FreeEnvironmentStringsW(all);
    return out;
}

static void test_off(const WCHAR *temp)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    WCHAR exe[MAX_PATH], dir[MAX_PATH], log[MAX_PATH], cmd[3 * MAX_PATH], *env;
    PROCESS_INFORMATION pi;
    STARTUPINFOW si = {0};
    DWORD code = 1;
    HANDLE out;
    char *text, *line, *next;
    BOOL ran = FALSE;

    GetModuleFileNameW(NULL, exe, ARRAYSIZE(exe));
    swprintf(dir, ARRAYSIZE(dir), L"%lsmfsession-trace-off-%lu", temp, GetCurrentProcessId());
    swprintf(log, ARRAYSIZE(log), L"%lsmfsession-trace-off-%lu.log", temp, GetCurrentProcessId());
    swprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" off \"%ls\"", exe, dir);
    CreateDirectoryW(dir, NULL);
    out = CreateFileW(log, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    env = environment_without(L"MFSESSION_TRACE");
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = out;
    if (!ok(out != INVALID_HANDLE_VALUE && env && CreateProcessW(exe, cmd, NULL, NULL, TRUE,
            CREATE_UNICODE_ENVIRONMENT, env, dir, &si, &pi), "[off] the child starts, error %lu", GetLastError()))
        goto done;
    CloseHandle(out);
    out = INVALID_HANDLE_VALUE;
    if (!wait_handle(pi.hProcess, CHILD_TIMEOUT, "the child"))
        TerminateProcess(pi.hProcess, 1);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);

    if ((text = read_file_text(log)))
    {
        for (line = text; *line; line = next)
        {
            if ((next = strchr(line, '\n'))) *next++ = 0;
            else next = line + strlen(line);
            if (!strncmp(line, "1..", 3) && atoi(line + 3) > 0) ran = TRUE;
            if (strncmp(line, "ok ", 3)) diag("child: %s", line);
        }
        free(text);
    }
    ok(code == 0 && ran, "[off] the child played a session without tracing and passed its checks, exit code %lu", code);
    ok(directory_empty(dir), "[off] a session with tracing off writes nothing");
done:
    if (out != INVALID_HANDLE_VALUE) CloseHandle(out);
    free(env);
    DeleteFileW(log);
    RemoveDirectoryW(dir);
}

/* ---- the writer itself ------------------------------------------------------ */

static BOOL flushed_since(UINT64 before)
{
    BOOL grown;
    AcquireSRWLockShared(&flush_lock);
    grown = events_written > before;
    ReleaseSRWLockShared(&flush_lock);
    return grown;
}

static void test_writer(const WCHAR *path)
{
    static char session1, session2;
    char long_args[1500], why[160] = "";
    const struct tev *e, *b1, *b2, *meta;
    unsigned i, attempted, in_file;
    double stream_tid;
    struct trace t;
    UINT64 before;
    HANDLE readonly;

    trace_init();
    ok(trace_is_enabled(), "[writer] MFSESSION_TRACE=path switches tracing on");
    if (!trace_is_enabled()) return;
    if (load_trace(path, &t, "writer, at start"))
        ok(t.count == 2, "[writer] a new file holds process_name and the final metadata, got %u events", t.count);
    trace_free(&t);

    Sleep(5);
    memset(long_args, 'a', sizeof(long_args) - 1);
    long_args[sizeof(long_args) - 1] = 0;
    trace_write('i', "unit", "instant", NULL, NULL, 0, NULL);
    trace_write('X', "unit", "complete", &session1, NULL, 1000, "\"hr\":\"0x%08lx\"", 0x80004005ul);
    trace_write('b', "unit", "span", &session1, "commands", 7, NULL);
    trace_write('e', "unit", "span", &session1, "commands", 7, "\"status\":\"0x%08lx\"", 0ul);
    trace_write('b', "unit", "span", &session2, "commands", 7, NULL);
    trace_write('e', "unit", "span", &session2, "commands", 7, NULL);
    trace_write('i', "unit", "on track", &session1, "stream 0", 0, "\"time\":%d", 42);
    trace_write('i', "unit", "other session", &session2, "stream 0", 0, NULL);
    trace_write('i', "unit", "q\"b\\n\nl\xe9", NULL, NULL, 0, NULL);
    trace_write('i', "unit", "bad args", NULL, NULL, 0, "\"x\":%s", "\"unterminated");
    trace_write('i', "unit", "long args", NULL, NULL, 0, "\"x\":\"%s\"", long_args);
    trace_write('C', "unit", "counter", &session1, NULL, 0, "\"queued\":%d", 3);
    trace_forget_session(&session1);
    trace_write('i', "unit", "forgotten", &session1, NULL, 0, NULL);
    trace_flush();

    if (load_trace(path, &t, "writer"))
    {
        e = find(&t, "unit", "i", "instant");
        ok(e && e->tid == GetCurrentThreadId() && e->nargs == 0, "[writer] an instant without a track is on the calling thread");
        e = find(&t, "unit", "X", "complete");
        ok(e && e->has_dur && e->dur == 1000.0 && e->ts >= 0, "[writer] 'X': id is the duration in microseconds, ending now");
        ok(e && arg(e, "session") && !strcmp(arg(e, "session"), "1") && arg(e, "hr") && !strcmp(arg(e, "hr"), "0x80004005"),
                "[writer] args: the session's index, then the caller's");
        b1 = find(&t, "unit", "b", "span");
        for (i = 0, b2 = NULL; i < t.count; ++i)
            if (is(&t.ev[i], "unit", "b", "span") && &t.ev[i] != b1) b2 = &t.ev[i];
        ok(b1 && b2 && b1->id[0] && strcmp(b1->id, b2->id), "[writer] async ids of two sessions never pair: %s, %s",
                b1 ? b1->id : "", b2 ? b2->id : "");
        ok(check_async_pairs(&t, "unit", why, sizeof(why)), "[writer] async spans pair: %s", why);
        e = find(&t, "unit", "i", "on track");
        stream_tid = track_by_name(&t, "stream 0");
        ok(e && stream_tid >= 0 && e->tid == stream_tid && ((DWORD)stream_tid & 3),
                "[writer] a named track gets a synthetic tid (never a real thread id) and thread_name metadata");
        ok(e && arg(e, "track") && !strcmp(arg(e, "track"), "stream 0") && arg(e, "time") && !strcmp(arg(e, "time"), "42"),
                "[writer] the event names its track in args");
        e = find(&t, "unit", "i", "other session");
        ok(e && e->tid != stream_tid && thread_name(&t, e->tid) && !strcmp(thread_name(&t, e->tid), "stream 0 (session 2)"),
                "[writer] another session's track of the same name is its own: %s", e ? thread_name(&t, e->tid) : "");
        ok(find(&t, "unit", "i", "q\"b\\n\nl\xc3\xa9") != NULL, "[writer] names are escaped (quote, backslash, newline, non-ASCII)");
        e = find(&t, "unit", "i", "bad args");
        ok(e && arg(e, "invalid_args") && !strcmp(arg(e, "invalid_args"), "\"x\":\"unterminated"),
                "[writer] args that are not valid JSON are kept as a string, the file stays valid");
        e = find(&t, "unit", "i", "long args");
        ok(e && arg(e, "args_truncated") && !strcmp(arg(e, "args_truncated"), "true"), "[writer] overlong args are replaced");
        e = find(&t, "unit", "C", "counter");
        ok(e && e->nargs == 1 && arg(e, "queued"), "[writer] a counter's args are its series only");
        e = find(&t, "unit", "i", "forgotten");
        ok(e && arg(e, "session") && !strcmp(arg(e, "session"), "3"), "[writer] a forgotten session's address gets a new index");
        meta = find_metadata(&t, "mfsession_trace", -1);
        ok(meta && arg(meta, "events") && (unsigned)atoi(arg(meta, "events")) == t.count - 2,
                "[writer] the final metadata counts the events: %s of %u", meta ? arg(meta, "events") : "none", t.count - 2);
    }
    trace_free(&t);

    /* Bounded: with the writer stuck (flush_lock held), events past the
     * buffer are dropped and counted, and the hooks never wait. */
    AcquireSRWLockExclusive(&flush_lock);
    for (attempted = 0; attempted < 20000 && !events_dropped; ++attempted)
        trace_write('i', "unit", "flood", NULL, NULL, 0, "\"n\":%u", attempted);
    ReleaseSRWLockExclusive(&flush_lock);
    ok(events_dropped == 1, "[writer] the buffer is bounded (%u bytes): an event past it is dropped, got %llu dropped after %u",
            TRACE_BUFFER_LIMIT, (unsigned long long)events_dropped, attempted);
    trace_flush();
    if (load_trace(path, &t, "writer, dropped"))
    {
        in_file = count(&t, "unit", "i", "flood");
        meta = find_metadata(&t, "mfsession_trace", -1);
        ok(meta && arg(meta, "dropped_events") && in_file + atoi(arg(meta, "dropped_events")) == attempted,
                "[writer] the final metadata reports the dropped events: %u written + %s dropped of %u", in_file,
                meta && arg(meta, "dropped_events") ? arg(meta, "dropped_events") : "?", attempted);
    }
    trace_free(&t);

    /* Past the threshold a flush runs on the thread pool by itself. */
    AcquireSRWLockShared(&flush_lock);
    before = events_written;
    ReleaseSRWLockShared(&flush_lock);
    for (i = 0; i < TRACE_FLUSH_THRESHOLD / 64; ++i)
        trace_write('i', "unit", "background", NULL, NULL, 0, NULL);
    for (i = 0; i < 200 && !flushed_since(before); ++i) Sleep(10);
    ok(flushed_since(before), "[writer] past %u buffered bytes a background flush writes the file", TRACE_FLUSH_THRESHOLD);
    if (load_trace(path, &t, "writer, background"))
        ok(count(&t, "unit", "i", "background") > 0, "[writer] the background flush wrote the events");
    trace_free(&t);

    /* An I/O error turns tracing off; the file keeps what it had, valid. */
    AcquireSRWLockExclusive(&flush_lock);
    readonly = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
            OPEN_EXISTING, 0, NULL);
    CloseHandle(trace_file);
    trace_file = readonly;
    ReleaseSRWLockExclusive(&flush_lock);
    trace_write('i', "unit", "lost", NULL, NULL, 0, NULL);
    trace_flush();
    ok(!trace_is_enabled(), "[writer] a write error turns tracing off");
    before = events_buffered;
    trace_write('i', "unit", "after", NULL, NULL, 0, NULL);
    ok(events_buffered == before, "[writer] once off, a hook records nothing");
    trace_flush();
    if (load_trace(path, &t, "writer, after an error"))
        ok(!find(&t, "unit", "i", "lost") && find(&t, "unit", "i", "background"),
                "[writer] the file keeps the events flushed before the error");
    trace_free(&t);
}

/* ---- main ----------------------------------------------------------------------- */

START_TEST(trace)
{
    WCHAR temp[MAX_PATH], dll_path[MAX_PATH], unit_path[MAX_PATH], arg[MAX_PATH];
    BOOL keep = GetEnvironmentVariableA("MFSESSION_TEST_KEEP_TRACE", NULL, 0) > 0;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    if (__argc >= 3 && !strcmp(__argv[1], "off"))
    {
        MultiByteToWideChar(CP_ACP, 0, __argv[2], -1, arg, ARRAYSIZE(arg));
        child_off(arg);
        MFShutdown();
        return;
    }

    GetTempPathW(ARRAYSIZE(temp), temp);
    swprintf(dll_path, ARRAYSIZE(dll_path), L"%lsmfsession-trace-%lu.json", temp, GetCurrentProcessId());
    swprintf(unit_path, ARRAYSIZE(unit_path), L"%lsmfsession-trace-unit-%lu.json", temp, GetCurrentProcessId());

    /* Tracing is process-wide and read once, when the first session is created. */
    SetEnvironmentVariableW(L"MFSESSION_TRACE", unit_path);
    test_writer(unit_path);
    SetEnvironmentVariableW(L"MFSESSION_TRACE", dll_path);
    test_traced_playback(dll_path);
    test_off(temp);

    if (keep)
        diag("trace files kept: %ls %ls", dll_path, unit_path);
    else
    {
        DeleteFileW(unit_path);
        DeleteFileW(dll_path);
    }
    MFShutdown();
}
