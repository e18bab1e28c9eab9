/*
 * What test_hostile's files share (test_hostile.c, test_hostile_ctx.c,
 * test_hostile_topology.c): a context holding one session and every double
 * and object it was given, so that each case can check that nothing is still
 * referenced after Shutdown + Release; and the list of malformed topologies.
 */
#ifndef MFSESSION_TEST_HOSTILE_H
#define MFSESSION_TEST_HOSTILE_H

#include "common.h"
#include "doubles.h"
#include <stdio.h>
#include <stdlib.h>

#define SAMPLE_DURATION 100000
#define MAX_TRACKED 64

/* ---- a context: one session, the doubles it was given, leak checks ---- */

struct ctx
{
    const char *label;
    IMFMediaSession *session;
    struct event_waiter *w;
    struct dsource *sources[MAX_TRACKED]; unsigned source_count;
    struct dsink *sinks[MAX_TRACKED]; unsigned sink_count;
    IUnknown *objects[MAX_TRACKED]; unsigned object_count;   /* topologies, transforms, activates ... */
    unsigned errors;
};

struct dsource *ctx_source(struct ctx *c, unsigned streams, unsigned samples, BOOL deselect1, const char *name);
struct dsink *ctx_sink(struct ctx *c, unsigned streams, BOOL rateless, const char *name);
/* The context keeps the reference; the caller's pointer stays valid. */
void *ctx_keep(struct ctx *c, void *object);
BOOL ctx_begin(struct ctx *c, const char *label);
/* Next event of `type`, others skipped; FALSE on timeout. */
BOOL wait_event(struct ctx *c, MediaEventType type, DWORD timeout, HRESULT *status);
/* Close (if not closed yet), Shutdown, Release, and nothing left referenced. */
void ctx_end(struct ctx *c, BOOL close);
/* The session is still usable: a valid topology plays to its end. */
void play_valid(struct ctx *c);
/* MFSESSION_VERBOSE=1: every event waited through, and the doubles' logs. */
extern BOOL verbose;

enum malformed
{
    /* synchronous (contract 2: structural checks) */
    M_EMPTY, M_NO_SOURCE, M_SOURCE_NOT_A_SOURCE, M_SOURCE_AS_UINT32, M_NO_PD, M_PD_NOT_A_PD, M_NO_SD, M_SD_NOT_AN_SD,
    M_NOT_SELECTED, M_SD_OF_OTHER_PD,
    M_SYNC_COUNT,
    /* in the completion event */
    M_CYCLE = M_SYNC_COUNT, M_DANGLING_TRANSFORM, M_UNCONNECTED_OUTPUT, M_OUTPUT_NO_OBJECT, M_OUTPUT_NO_OBJECT_RESOLVED,
    M_OUTPUT_WRONG_OBJECT, M_OUTPUT_WRONG_OBJECT_RESOLVED, M_TRANSFORM_NO_OBJECT, M_TRANSFORM_WRONG_OBJECT,
    M_INCOMPATIBLE_TYPES, M_DUPLICATE_IDS, M_BAD_STREAM_ID, M_UNCONNECTED_SOURCE, M_TWO_INPUTS_ONE_PORT,
    M_COUNT
};

/* test_hostile_topology.c */
void test_malformed(enum malformed m);
void test_long_chain(unsigned length, DWORD flags);
void test_many_streams(DWORD flags, unsigned SOURCES, unsigned STREAMS);

#endif
