/*
 * sequencer.c: what the session does for the sequencer source (playlists
 * whose segments are topologies of one IMFSequencerSource), docs/SEQUENCER.md.
 *
 *  - Start with MF_TIME_FORMAT_SEGMENT_OFFSET (VT_UNKNOWN, from
 *    MFCreateSequencerSegmentOffset) or MF_TIME_FORMAT_ENTRY_RELATIVE (VT_I4)
 *    goes to the source as given: only the source can read it.  The clock then
 *    starts where the source says it started (MESourceStarted's VT_I8 value):
 *    after a skip the presentation time is the segment offset.
 *  - MEEndOfPresentationSegment ends the current segment, like
 *    MEEndOfPresentation, but the presentation goes on: the session waits for
 *    the topology the application queues on MENewPresentation (no
 *    MESessionEnded between segments) and switches to it without stopping the
 *    source.  A segment the source canceled (MF_EVENT_SOURCE_TOPOLOGY_CANCELED,
 *    a skip) gives way at once: what it still had in the pipeline is dropped.
 *  - The source starts the next segment with VT_EMPTY (it knows where);
 *    a later Start from a position (a seek inside that segment) gives the
 *    position again, and restarts the timeline there.
 */
#include "session_internal.h"

/* mfidl.h's values (Windows SDK); mingw-w64's headers lack them. */
static const GUID time_format_segment_offset =
    {0xc8b8be77, 0x869c, 0x431d, {0x81, 0x2e, 0x16, 0x96, 0x93, 0xf6, 0x5a, 0x39}};
static const GUID time_format_entry_relative =
    {0x4399f178, 0x46d3, 0x4504, {0xaf, 0xda, 0x20, 0xd3, 0x2e, 0x9b, 0xa3, 0x60}};

BOOL sequencer_time_format(const GUID *format)
{
    return IsEqualGUID(format, &time_format_segment_offset) || IsEqualGUID(format, &time_format_entry_relative);
}

/* Start's argument checks for its time format: S_OK, or the completion
 * event's status.  GUID_NULL keeps its own checks (commands.c). */
HRESULT sequencer_check_start(const GUID *format, const PROPVARIANT *pos)
{
    if (IsEqualGUID(format, &GUID_NULL)) return S_OK;
    if (IsEqualGUID(format, &time_format_segment_offset))
        return pos->vt == VT_UNKNOWN && pos->punkVal ? S_OK : MF_E_INVALIDTYPE;
    if (IsEqualGUID(format, &time_format_entry_relative))
        return pos->vt == VT_I4 ? S_OK : MF_E_INVALIDTYPE;
    return MF_E_UNSUPPORTED_TIME_FORMAT;
}

/* A source answered a Start (MESourceStarted or MESourceSeeked, before the
 * acknowledgement is counted).  A start from a position (a seek, or a start
 * from stopped) restarts the presentation timeline: the clock starts at the
 * position in the current presentation, so the current topology's samples
 * are placed at their media time from here (offset 0), and the topology
 * queued behind it follows its last sample on that timeline.  Without this,
 * a seek inside a later playlist entry kept that entry's offset: the clock
 * at the position, its samples stamped the earlier entries' length later
 * (a clock-following sink waited that long), and the next entry placed
 * after the old timeline's end.  Only the source knows where a segment
 * offset or a playlist entry begins: its answer places the clock and the
 * segment.  Under MF_SESSION_GLOBAL_TIME the topology keeps its place on
 * the project timeline. */
void sequencer_on_source_started(struct session *session, struct source *source, IMFMediaEvent *event)
{
    struct command *command = session->op.command;
    struct topology *t = source->topology;
    PROPVARIANT value;

    if (!command) return;
    if (command->type == CMD_START && !session->op.resuming && !session->global_time)
    {
        t->offset = 0;
        t->presentation_end = session->op.position;
    }
    PropVariantInit(&value);
    if (FAILED(IMFMediaEvent_GetValue(event, &value)) || value.vt != VT_I8)
    {
        PropVariantClear(&value);
        return;
    }
    if (command->type == CMD_START && sequencer_time_format(&command->time_format))
    {
        /* The presentation clock starts at the offset within the segment
         * (Sequence Presentation Times): the segment's media time is the
         * presentation time from here. */
        session->op.position = value.hVal.QuadPart;
        t->offset = 0;
        t->presentation_end = value.hVal.QuadPart;
    }
    else if (command->type == CMD_SWITCH && source->continues)
    {
        /* The segment a skip aimed at: it starts at its offset, which lands
         * where the timeline stands (the canceled segments before it played
         * nothing); MESessionNotifyPresentationTime then says it starts there. */
        t->offset = t->offset + t->start_position - value.hVal.QuadPart;
        t->start_position = value.hVal.QuadPart;
        t->presentation_end = t->offset + value.hVal.QuadPart;
    }
    PropVariantClear(&value);
}

/* MEEndOfPresentationSegment: the source's current segment is over and more follow. */
void sequencer_on_segment_end(struct session *session, struct source *source, IMFMediaEvent *event)
{
    struct topology *t = source->topology;
    UINT32 canceled = 0;

    session_forward_event(session, event);
    /* Only the segment in play can end: one announced before this segment's
     * start was answered belongs to the previous one. */
    if (source->ended || !source->started || t != session->current) return;
    source->ended = TRUE;
    source->segment_ended = TRUE;
    IMFMediaEvent_GetUINT32(event, &MF_EVENT_SOURCE_TOPOLOGY_CANCELED, &canceled);
    if (canceled)
    {
        /* Skipped: nothing more of it is played; the sinks keep their requests for the next. */
        t->canceled = TRUE;
        pipeline_flush(session, t, TRUE);
    }
    session_check_end(session);
}

/* Has the current topology ended by its sequencer source's segment end, with
 * every sink done (or the segment canceled)? */
BOOL sequencer_segment_over(struct topology *t)
{
    unsigned i;
    BOOL segment = FALSE;

    for (i = 0; i < t->source_count; ++i)
    {
        if (!t->sources[i].ended) return FALSE;
        if (t->sources[i].segment_ended) segment = TRUE;
    }
    return segment && (t->canceled || pipeline_ended(t));
}

/* Did the current topology end by a segment end?  Then there is no
 * MESessionEnded: the presentation waits for the next segment's topology. */
BOOL sequencer_waits_for_next(struct topology *t)
{
    unsigned i;
    for (i = 0; i < t->source_count; ++i)
        if (t->sources[i].segment_ended) return TRUE;
    return FALSE;
}

/* The next topology takes over: a source that played the previous segment
 * goes on into this one (Start with VT_EMPTY, no Stop in between). */
void sequencer_prepare_switch(struct topology *old, struct topology *next)
{
    unsigned i, j;

    for (i = 0; i < next->source_count; ++i)
        for (j = 0; j < old->source_count; ++j)
            if (next->sources[i].object == old->sources[j].object && old->sources[j].segment_ended)
                next->sources[i].continues = TRUE;
    /* A segment that plays nothing (canceled at once) leaves the timeline where it found it. */
    next->presentation_end = next->offset + next->start_position;
}
