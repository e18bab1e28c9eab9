/*
 * A sequencer-like source for the sequencer tests (test_sequencer.c): what
 * Windows' sequencer source does, where Wine's MFCreateSequencerSource cannot
 * (docs/SEQUENCER.md).  It aggregates the native sources of the topologies
 * appended to it, each a segment, and behaves as the sequencer's documentation
 * says: MENewPresentation (value: the next segment's presentation descriptor)
 * once a segment started, MEEndOfPresentationSegment when a segment that is
 * followed by another ended, MEEndOfPresentation after the last, skips with
 * MF_TIME_FORMAT_SEGMENT_OFFSET (its own offsets, dseqsource_offset) and
 * MF_TIME_FORMAT_ENTRY_RELATIVE, the segments in between canceled
 * (MEEndOfPresentationSegment with MF_EVENT_SOURCE_TOPOLOGY_CANCELED).
 *
 * Log entries (doubles' call log): "seq.AppendTopology(i)",
 * "seq.Start(i,null,empty)", "seq.Start(i,null,<t>)",
 * "seq.Start(i,segment,<id>:<t>)", "seq.Start(i,segment,foreign)",
 * "seq.Start(i,entry,<n>)", "seq.Stop", "seq.Pause", "seq.Shutdown",
 * "seq.NewPresentation(i)", "seq.EndOfSegment(i)", "seq.Cancel(i)",
 * "seq.EndOfPresentation(i)"; i is the segment's index (0-based).
 */
#ifndef MFSESSION_TEST_DSEQSOURCE_H
#define MFSESSION_TEST_DSEQSOURCE_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>

/* mfidl.h's values (Windows SDK); mingw-w64's headers lack them. */
static const GUID DSEQ_TIME_FORMAT_SEGMENT_OFFSET =
    {0xc8b8be77, 0x869c, 0x431d, {0x81, 0x2e, 0x16, 0x96, 0x93, 0xf6, 0x5a, 0x39}};
static const GUID DSEQ_TIME_FORMAT_ENTRY_RELATIVE =
    {0x4399f178, 0x46d3, 0x4504, {0xaf, 0xda, 0x20, 0xd3, 0x2e, 0x9b, 0xa3, 0x60}};

#define DSEQ_MAX_SEGMENTS 8

/* Also answers QueryInterface for IMFMediaSource and IMFMediaSourceTopologyProvider. */
HRESULT dseqsource_create(IMFSequencerSource **out);
/* The double's own segment offset (VT_UNKNOWN), as MFCreateSequencerSegmentOffset makes Windows'. */
HRESULT dseqsource_offset(MFSequencerElementId id, MFTIME offset, PROPVARIANT *value);
/* The VT_UNKNOWN the last Start with MF_TIME_FORMAT_SEGMENT_OFFSET carried (identity only). */
IUnknown *dseqsource_last_offset(IMFSequencerSource *source);
/* Segments canceled so far. */
unsigned dseqsource_canceled(IMFSequencerSource *source);

#endif
