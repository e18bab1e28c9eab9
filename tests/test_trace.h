/*
 * What test_trace's files share (test_trace.c, test_trace_json.c,
 * test_trace_writer.c): a trace file read into its events, the queries the
 * checks make on them, and the parts of the program.
 */
#ifndef MFSESSION_TEST_TRACE_H
#define MFSESSION_TEST_TRACE_H

#include "common.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

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

/* ---- reading a trace (test_trace_json.c) ---- */

/* The whole file as a NUL-terminated string (malloc'ed), or NULL. */
char *read_file_text(const WCHAR *path);
/* Reads and parses the file; a flush may be running on another thread, so an
 * invalid file is read again for a while before it counts as invalid. */
BOOL load_trace(const WCHAR *path, struct trace *t, const char *label);
void trace_free(struct trace *t);

/* ---- queries (test_trace_json.c) ---- */

const char *arg(const struct tev *e, const char *key);
BOOL is(const struct tev *e, const char *cat, const char *phases, const char *name);
unsigned count(const struct trace *t, const char *cat, const char *phases, const char *name);
const struct tev *find(const struct trace *t, const char *cat, const char *phases, const char *name);
const struct tev *find_metadata(const struct trace *t, const char *name, double tid);
const char *thread_name(const struct trace *t, double tid);
double track_by_name(const struct trace *t, const char *name);
const char *call_result(const struct trace *t, const char *cat, const char *name, const char *key);
BOOL check_nesting(const struct trace *t, char *why, size_t size);
BOOL check_async_pairs(const struct trace *t, const char *cat, char *why, size_t size);

/* ---- the writer itself, built into the test with small limits (test_trace_writer.c) ---- */
void test_writer(const WCHAR *path);

#endif
