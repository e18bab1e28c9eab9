/*
 * test_sequencer's shared pieces (test_sequencer.c, test_sequencer_real.c):
 * the sequencer client's event loop and the platform probe's answer.
 */
#ifndef MFSESSION_TEST_SEQUENCER_H
#define MFSESSION_TEST_SEQUENCER_H

#include "common.h"
#include "doubles.h"
#include "dseqsource.h"
#include "media.h"
#include <propvarutil.h>
#include <stdio.h>
#include <string.h>

HRESULT WINAPI MFCreateSequencerSegmentOffset(MFSequencerElementId id, MFTIME offset, PROPVARIANT *value);

#define DUR ONE_STREAM_SAMPLE_DURATION  /* the doubles' sample duration: 10 ms */
#define SEGMENTS 3

/* The application: records every event; answers MENewPresentation with its segment's topology. */
#define MAX_SEEN 512
struct seen
{
    MediaEventType type;
    HRESULT status;
    UINT32 topo_status;     /* MESessionTopologyStatus */
    IUnknown *value;        /* VT_UNKNOWN value, identity only */
    UINT32 canceled;        /* MEEndOfPresentationSegment: MF_EVENT_SOURCE_TOPOLOGY_CANCELED */
    BOOL has_offset;        /* MF_EVENT_PRESENTATION_TIME_OFFSET present (MESessionStarted, MESessionNotifyPresentationTime) */
    UINT64 offset;          /* its value */
    UINT64 start;           /* MESessionNotifyPresentationTime: MF_EVENT_START_PRESENTATION_TIME */
};

struct app
{
    IMFMediaSession *session;
    struct event_waiter *w;
    IMFMediaSourceTopologyProvider *provider;
    unsigned queued;            /* topologies set on MENewPresentation */
    HRESULT queue_hr;           /* the first failure doing so */
    unsigned count;
    struct seen seen[MAX_SEEN];
};

BOOL app_init(struct app *a, IMFSequencerSource *seq);             /* seq NULL: queued topologies only */
HRESULT app_set_first(struct app *a, IMFSequencerSource *seq);   /* the first segment's topology, set */
BOOL app_run(struct app *a, MediaEventType last, DWORD timeout_ms); /* until `last`, or FALSE on timeout */
BOOL app_run_until(struct app *a, MediaEventType last, MediaEventType or_last, DWORD timeout_ms); /* either */
unsigned app_count(const struct app *a, MediaEventType type, UINT32 topo_status);
int app_find(const struct app *a, MediaEventType type, UINT32 topo_status, unsigned n, unsigned from);
void app_dump(const struct app *a);
void app_close(struct app *a);                                    /* Close, MESessionClosed, Shutdown */
HRESULT start_with(IMFMediaSession *session, const GUID *format, const PROPVARIANT *pos);
void expect_started(struct app *a, HRESULT expected, const char *rule);

/* Three doubles' sources as the segments of a sequencer-like double, into one
 * rateless sink that keeps its samples' times (request_limit: dsink_desc). */
struct playlist
{
    IMFSequencerSource *seq;
    struct dsource *srcs[SEGMENTS];
    IMFTopology *topologies[SEGMENTS];
    MFSequencerElementId ids[SEGMENTS];
    IMFPresentationDescriptor *pds[SEGMENTS]; /* the segments' names (identity only) */
    struct dsink *sink;
};
BOOL playlist_make(struct playlist *p, const unsigned *samples, unsigned request_limit);
void playlist_free(struct playlist *p);
/* The first sample kept at or after `from` whose time is `time`, or -1. */
int sample_at(struct dsink *sink, unsigned from, LONGLONG time);

/* Can the platform make segment offsets (asked in a child: Wine 8's raises an exception)? */
extern BOOL platform_offsets;
extern char platform_offsets_why[160];

/* test_sequencer_seek.c */
void test_seek_later_entry(void);

/* test_sequencer_real.c */
/* Played to the end, with a skip 400 ms into the second file while the
 * first plays, or back 1 s into the first while the second plays. */
enum real_seek { REAL_PLAY, REAL_SEEK_FORWARD, REAL_SEEK_BACK };
void test_real_files(BOOL platform, enum real_seek seek);
void test_real_queued_seek(void);                     /* in a child (test_real_seek_child) */
void test_real_seek_child(const char *scenario);      /* "sequencer", "back" or "queued" */

#endif
