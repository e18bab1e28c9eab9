/*
 * What test_stress's files share (test_stress.c, test_stress_sessions.c).
 */
#ifndef MFSESSION_TEST_STRESS_H
#define MFSESSION_TEST_STRESS_H

#include "common.h"
#include "doubles.h"
#include <propvarutil.h>
#include <stdio.h>
#include <stdlib.h>

#define SAMPLE_DURATION 100000

/* Polls until every double of a run is back to the test's reference, then
 * releases them; FALSE (and a failed check) when one is still referenced. */
BOOL release_doubles(struct dsource **sources, struct dsink **sinks, IMFTopology **topologies, unsigned count,
        const char *label);

/* test_stress_sessions.c */
void test_many_sessions(unsigned count);
void test_release_while_running(BOOL shutdown, unsigned iteration);
void test_rate_then_close(unsigned rounds);

#endif
