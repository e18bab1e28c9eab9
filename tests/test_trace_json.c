/*
 * test_trace: reading a trace file with a JSON checker that keeps the events
 * (declared in test_trace.h), and the queries the checks make on them.
 */
#include "test_trace.h"

/* ---- reading a trace: a JSON checker that keeps the events ------------------- */

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

char *read_file_text(const WCHAR *path)
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

BOOL load_trace(const WCHAR *path, struct trace *t, const char *label)
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

void trace_free(struct trace *t)
{
    free(t->ev);
    memset(t, 0, sizeof(*t));
}

/* ---- queries --------------------------------------------------------------- */

const char *arg(const struct tev *e, const char *key)
{
    unsigned i;
    for (i = 0; i < e->nargs; ++i)
        if (!strcmp(e->args[i].key, key)) return e->args[i].value;
    return NULL;
}

/* NULL matches anything; phases is a set of phase letters. */
BOOL is(const struct tev *e, const char *cat, const char *phases, const char *name)
{
    return (!cat || !strcmp(e->cat, cat)) && (!phases || (e->ph[0] && strchr(phases, e->ph[0])))
            && (!name || !strcmp(e->name, name));
}

unsigned count(const struct trace *t, const char *cat, const char *phases, const char *name)
{
    unsigned i, n = 0;
    for (i = 0; i < t->count; ++i) n += is(&t->ev[i], cat, phases, name);
    return n;
}

const struct tev *find(const struct trace *t, const char *cat, const char *phases, const char *name)
{
    unsigned i;
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], cat, phases, name)) return &t->ev[i];
    return NULL;
}

const struct tev *find_metadata(const struct trace *t, const char *name, double tid)
{
    unsigned i;
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], NULL, "M", name) && (tid < 0 || t->ev[i].tid == tid)) return &t->ev[i];
    return NULL;
}

const char *thread_name(const struct trace *t, double tid)
{
    const struct tev *m = find_metadata(t, "thread_name", tid);
    return m ? arg(m, "name") : NULL;
}

/* The tid of the track named `name`, or -1. */
double track_by_name(const struct trace *t, const char *name)
{
    unsigned i;
    for (i = 0; i < t->count; ++i)
        if (is(&t->ev[i], NULL, "M", "thread_name") && arg(&t->ev[i], "name") && !strcmp(arg(&t->ev[i], "name"), name))
            return t->ev[i].tid;
    return -1;
}

/* A completed call: an 'X' event, or the 'E' closing a 'B'; its result arg. */
const char *call_result(const struct trace *t, const char *cat, const char *name, const char *key)
{
    const struct tev *e = find(t, cat, "X", name);
    if (!e && find(t, cat, "B", name)) e = find(t, cat, "E", name);
    return e ? arg(e, key) : NULL;
}

/* Every 'E' closes the innermost open 'B' of its track with the same name. */
BOOL check_nesting(const struct trace *t, char *why, size_t size)
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
BOOL check_async_pairs(const struct trace *t, const char *cat, char *why, size_t size)
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
