/*
 * What bench.c's repetitions collect and bench_figures.c / bench_report.c
 * read: the figures with their series of values, the targets, the child
 * processes' results.  Internal to bench.exe (the workloads see bench.h only).
 *
 *   bench.c           options, the workload table, repetitions, child processes, main
 *   bench_figures.c   figures, their statistics, issue 14's and issue 12's targets
 *   bench_report.c    the machine, the table, the notes, the JSON file
 */
#ifndef MFSESSION_BENCH_REPORT_H
#define MFSESSION_BENCH_REPORT_H

#include "bench.h"
#include <stdio.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define MAX_REPS 64

/* ---- figures (bench_figures.c) ---- */

enum column { COL_OURS, COL_PLATFORM, COL_COUNT };

struct series
{
    double values[MAX_REPS];
    unsigned count;
    enum bench_status status;
    HRESULT hr;
    char what[128];
};

struct figure
{
    const char *id;
    const char *label;
    const char *unit;
    BOOL higher_is_better;
    const char *columns[COL_COUNT];     /* what each column holds, NULL: ours / platform */
    struct series s[COL_COUNT];
    BOOL used;
};

#define MAX_FIGURES 64
extern struct figure figures[MAX_FIGURES];
extern unsigned figure_count;

struct summary
{
    BOOL valid;
    double median, min, max;
};

struct figure *figure_get(const char *id, const char *label, const char *unit, BOOL higher);
struct figure *figure_find(const char *id);
void series_add(struct series *s, const struct bench_run *r, unsigned index);
struct summary summarize(const struct series *s);
double median_of(const char *id, enum column col);    /* -1: not measured */
const char *status_text(const struct series *s, char *buf, size_t size);

struct target
{
    const char *text;
    int pass;           /* 1 pass, 0 miss, -1 not measured */
    char detail[160];
};

#define MAX_TARGETS 40
extern struct target targets[MAX_TARGETS];
extern unsigned target_count;
void evaluate_targets(void);

/* ---- the child processes' results (bench.c) ---- */

/* Lifecycle memory per kind, + the baselines: an event queue with one subscription, and one work item. */
#define MEMORY_ROWS (KIND_COUNT + 2)
extern struct bench_run memory_results[MEMORY_ROWS];
extern BOOL memory_done;
extern unsigned memory_first, memory_cycles;
const char *memory_row_name(unsigned k);

/* Tracing cost: one-stream throughput of ours with MFSESSION_TRACE unset / set. */
extern struct series trace_series[2];  /* [0] off, [1] on */
extern double trace_file_bytes;
extern BOOL trace_done;
extern BOOL trace_in_parent;

/* ---- output (bench_report.c) ---- */

extern char machine_cpu[128], machine_wine[64];
extern unsigned machine_cores;
void machine_info(void);
void print_table(void);
void write_json(const char *out_path, const struct primitive *prims, unsigned nprims);

#endif
