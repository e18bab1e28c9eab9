/*
 * bench_figures.c: the benchmark's figures (one series of values per kind of
 * session and repetition), their median and range, and the targets of
 * issue 14 and issue 12 evaluated on them.  See bench_report.h.
 */
#include "bench_report.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>


struct figure figures[MAX_FIGURES];
unsigned figure_count;

struct figure *figure_get(const char *id, const char *label, const char *unit, BOOL higher)
{
    unsigned i;
    for (i = 0; i < figure_count; ++i)
        if (!strcmp(figures[i].id, id)) return &figures[i];
    if (figure_count == MAX_FIGURES) abort();
    figures[figure_count].id = id;
    figures[figure_count].label = label;
    figures[figure_count].unit = unit;
    figures[figure_count].higher_is_better = higher;
    figures[figure_count].used = TRUE;
    return &figures[figure_count++];
}

struct figure *figure_find(const char *id)
{
    unsigned i;
    for (i = 0; i < figure_count; ++i)
        if (!strcmp(figures[i].id, id)) return &figures[i];
    return NULL;
}

void series_add(struct series *s, const struct bench_run *r, unsigned index)
{
    if (s->status != BENCH_OK) return;
    if (r->status != BENCH_OK)
    {
        s->status = r->status;
        s->hr = r->hr;
        snprintf(s->what, sizeof(s->what), "%s", r->what);
        return;
    }
    if (s->count < MAX_REPS) s->values[s->count++] = r->values[index];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct summary summarize(const struct series *s)
{
    struct summary sum = {0};
    double v[MAX_REPS];
    unsigned n = s->count;

    if (s->status != BENCH_OK || !n) return sum;
    memcpy(v, s->values, n * sizeof(*v));
    qsort(v, n, sizeof(*v), cmp_double);
    sum.valid = TRUE;
    sum.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    sum.min = v[0];
    sum.max = v[n - 1];
    return sum;
}

double median_of(const char *id, enum column col)
{
    struct figure *f = figure_find(id);
    struct summary s;
    if (!f) return -1;
    s = summarize(&f->s[col]);
    return s.valid ? s.median : -1;
}

const char *status_text(const struct series *s, char *buf, size_t size)
{
    if (s->status == BENCH_HUNG) snprintf(buf, size, "hung");
    else snprintf(buf, size, "failed: %#lx", (unsigned long)s->hr);
    return buf;
}

/* ---- targets ---- */

struct target targets[MAX_TARGETS];
unsigned target_count;
static void media_targets(void);

static void target_add(const char *text, int pass, const char *fmt, ...)
{
    struct target *t = &targets[target_count++];
    va_list va;
    t->text = text;
    t->pass = pass;
    va_start(va, fmt);
    vsnprintf(t->detail, sizeof(t->detail), fmt, va);
    va_end(va);
}

static void target_ratio(const char *text, const char *id, double bound, BOOL at_least, BOOL strict)
{
    struct figure *f = figure_find(id);
    double ours = median_of(id, COL_OURS), plat = median_of(id, COL_PLATFORM), ratio;
    char st[64];

    if (!f || ours < 0)
    {
        target_add(text, -1, "not measured");
        return;
    }
    if (plat < 0)
    {
        /* The platform hung or failed: ours finishing is enough. */
        target_add(text, 1, "platform %s, ours %.4g %s", status_text(&f->s[COL_PLATFORM], st, sizeof(st)), ours, f->unit);
        return;
    }
    ratio = ours / plat;
    if (at_least) target_add(text, strict ? ratio > bound : ratio >= bound, "ours/platform = %.2f (ours %.4g, platform %.4g %s)",
            ratio, ours, plat, f->unit);
    else target_add(text, strict ? ratio < bound : ratio <= bound, "ours/platform = %.2f (ours %.4g, platform %.4g %s)",
            ratio, ours, plat, f->unit);
}

/* ours (workload `id`) against a direct drive (`limit_id`), at least `bound` times it. */
static void target_limit(const char *text, const char *id, const char *limit_id, double bound)
{
    double ours = median_of(id, COL_OURS), limit = median_of(limit_id, COL_OURS);

    if (ours < 0 || limit < 0) target_add(text, -1, "not measured");
    else target_add(text, ours >= bound * limit, "ours/limit = %.2f (ours %.4g, limit %.4g samples/s = %s)",
            ours / limit, ours, limit, limit_id);
}

/* Issue 14's targets, on each Wine version. */
void evaluate_targets(void)
{
    static const char *others[] = {"tp_tee", "tp_tee_lazy"};
    static const char *faster[] = {"tp_mft", "tp_mft_lazy", "tp_8streams", "tp_8streams_lazy", "scale"};
    double ours, v;
    unsigned i;

    target_count = 0;
    target_ratio("throughput, 1 stream >= 1.5x the platform", "tp_1stream", 1.5, TRUE, FALSE);
    target_ratio("throughput, 1 stream, lazy EOS >= 1.5x the platform", "tp_1stream_lazy", 1.5, TRUE, FALSE);
    target_ratio("throughput, source answering later >= 1.5x the platform", "tp_async_lazy", 1.5, TRUE, FALSE);
    target_limit("throughput, 1 stream >= 0.9x the polling direct drive", "tp_1stream", "direct_poll", 0.9);
    target_limit("source answering later >= 0.9x its polling direct drive", "tp_async_lazy", "direct_poll_async", 0.9);
    ours = median_of("tp_1stream", COL_OURS);
    if ((v = median_of("direct_callbacks", COL_OURS)) > 0 && ours > 0)
        target_add("(for reference) throughput, 1 stream vs the callback direct drive", -1,
                "ours/direct_callbacks = %.2f", ours / v);
    for (i = 0; i < ARRAY_SIZE(faster); ++i)
    {
        static char text[ARRAY_SIZE(faster)][64];
        snprintf(text[i], sizeof(text[i]), "%s >= 1.5x the platform", faster[i]);
        target_ratio(text[i], faster[i], 1.5, TRUE, FALSE);
    }
    for (i = 0; i < ARRAY_SIZE(others); ++i)
    {
        static char text[ARRAY_SIZE(others)][64];
        snprintf(text[i], sizeof(text[i]), "%s ahead of the platform", others[i]);
        target_ratio(text[i], others[i], 1.0, TRUE, TRUE);
    }
    target_ratio("start latency p50 <= 0.7x the platform", "start_p50", 0.7, FALSE, FALSE);
    target_ratio("close latency p50, empty, no worse than the platform", "close_empty_p50", 1.0, FALSE, FALSE);
    target_ratio("close latency p50, playing, no worse than the platform", "close_running_p50", 1.0, FALSE, FALSE);
    target_ratio("CPU per second of media <= 0.6x the platform", "cpu_per_media_s", 0.6, FALSE, FALSE);
    if ((v = median_of("close_empty_p99", COL_OURS)) < 0) target_add("close latency p99, empty < 100 us", -1, "not measured");
    else target_add("close latency p99, empty < 100 us", v < 100, "ours p99 = %.1f us (median over repetitions)", v);
    if (!memory_done || memory_results[KIND_OURS].status != BENCH_OK)
        target_add("working-set growth over 18,000 lifecycle cycles <= 64 KiB", -1, "not measured");
    else
    {
        double growth = (memory_results[KIND_OURS].values[1] - memory_results[KIND_OURS].values[0]) / 1024;
        const struct bench_run *w = &memory_results[KIND_COUNT + 1];
        char base[160] = "";
        if (w->status == BENCH_OK)
        {
            /* A cycle runs two work items (the Close command, the MESessionClosed delivery). */
            double item = (w->values[1] - w->values[0]) / 1024;
            snprintf(base, sizeof(base), "; the platform's work queue alone: %+.0f KiB per %u work items, "
                    "so ours net of 2 work items/cycle: %+.0f KiB", item, memory_cycles - memory_first, growth - 2 * item);
        }
        target_add("working-set growth over 18,000 lifecycle cycles <= 64 KiB", growth <= 64,
                "ours: %+.0f KiB working set%s", growth, base);
    }
    media_targets();
}

/* Issue 12's real-media targets: no slower than the platform, at most 1.5x
 * its grabber callbacks.  Ours failing is a miss, not "not measured". */
static void media_targets(void)
{
    static const char *ids[] = {"media_mp3", "media_aac", "media_h264", "media_rawvideo"};
    static const struct { const char *suffix, *what; double bound; } rows[] =
    {
        {"_ms", "time no slower than the platform", 1.0},
        {"_callbacks", "callbacks <= 1.5x the platform's", 1.5},
    };
    static char text[ARRAY_SIZE(ids)][ARRAY_SIZE(rows)][64];
    char id[64], st[64];
    struct figure *f;
    unsigned i, k;

    for (i = 0; i < ARRAY_SIZE(ids); ++i)
        for (k = 0; k < ARRAY_SIZE(rows); ++k)
        {
            snprintf(text[i][k], sizeof(text[i][k]), "%s: %s", ids[i], rows[k].what);
            snprintf(id, sizeof(id), "%s%s", ids[i], rows[k].suffix);
            if ((f = figure_find(id)) && f->s[COL_OURS].status != BENCH_OK)
                target_add(text[i][k], 0, "ours %s: %s", status_text(&f->s[COL_OURS], st, sizeof(st)),
                        f->s[COL_OURS].what);
            else
                target_ratio(text[i][k], id, rows[k].bound, FALSE, FALSE);
        }
}
