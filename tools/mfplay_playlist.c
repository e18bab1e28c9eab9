/*
 * mfplay: several files as one gapless playlist.
 *
 * Each file gets its own source and partial topology; the topologies share
 * their sinks (media_build_topology), so when one presentation ends the
 * session switches to the next queued topology without stopping the clock
 * or the renderers (CONTRACT.md section 2: a topology set with flags 0 while
 * another is current is queued and plays when it ends; src/switch.c).  The
 * first topology is set and READY before Start; the others are queued right
 * after.  The session says which presentation plays with
 * MESessionTopologyStatus(READY), one per topology as it becomes current, in
 * queue order; a switch also sends MESessionNotifyPresentationTime with the
 * new file's offset on the presentation clock.  A seek (left/right) in a
 * later file restarts the clock at the position in that file: its
 * MESessionStarted carries offset 0, which replaces the file's offset
 * (mfplay.c seek_to), and the files after it follow on the restarted clock
 * (docs/SEQUENCER.md, "Seeking in a later entry").
 *
 * 'n' skips: SetTopology(IMMEDIATE) with the next file ends the current
 * presentation and drops the queue (the session is then stopped, with the new
 * topology current), the files after it are queued again and Start plays on.
 */
#include <stdio.h>
#include "mfplay.h"
#include <evr.h>

static const GUID mfplay_MR_VIDEO_RENDER_SERVICE =
        {0x1092a86c, 0xab1a, 0x459a, {0xa3, 0x36, 0x83, 0x1f, 0xbc, 0x4d, 0x11, 0xff}};
/* Not in mingw-w64's import libraries. */
static const GUID mfplay_IID_IMFVideoDisplayControl =
        {0xa490b1e4, 0xab84, 0x4d31, {0xa1, 0xb2, 0x18, 0x1e, 0x03, 0xb1, 0x07, 0x7a}};

static int open_entry(struct player *player, struct entry *entry)
{
    double since = now_ms();
    BOOL unsupported;
    HRESULT hr;

    hr = media_open(entry->location, &entry->source, entry->resolved, ARRAYSIZE(entry->resolved), &unsupported);
    if (FAILED(hr)) return player_open_failure(player, entry->location, hr, unsupported, FALSE);
    if (!player->phase_done[PHASE_OPEN]) player_mark_phase(player, PHASE_OPEN, since);
    if (FAILED(hr = IMFMediaSource_CreatePresentationDescriptor(entry->source, &entry->pd)))
    {
        out_error("unsupported format: %ls has no presentation descriptor: 0x%08lx %s", entry->resolved,
                (unsigned long)hr, hr_name(hr));
        return MFPLAY_FORMAT;
    }
    entry->duration = media_duration(entry->pd);
    out_line("%ls", entry->resolved);
    media_describe(entry->source, entry->pd);
    return MFPLAY_OK;
}

int playlist_open(struct player *player)
{
    const struct options *options = player->options;
    struct media_options media = options->media;
    UINT32 width = 0, height = 0;
    WCHAR title[MAX_PATH + 16];
    const WCHAR *name;
    unsigned int i;
    BOOL video = FALSE;
    HRESULT hr;
    int status;

    for (i = 0; i < options->location_count; ++i)
    {
        player->entries[i].location = options->locations[i];
        player->entry_count = i + 1;
        if ((status = open_entry(player, &player->entries[i]))) return status;
        if (!video) video = media_video_size(player->entries[i].pd, &width, &height);
    }
    /* Video goes to the EVR, in a window the size of the first file's picture. */
    if (video && !media.null_sinks)
    {
        name = wcsrchr(player->entries[0].resolved, '\\');
        swprintf(title, ARRAYSIZE(title), L"mfplay - %ls", name ? name + 1 : player->entries[0].resolved);
        if (!(player->window = window_create(title, width, height)))
        {
            out_error("cannot create the video window: error %lu (use --null to play without one)",
                    (unsigned long)GetLastError());
            return MFPLAY_USAGE;
        }
        media.video_window = player->window;
        out_line("video window %p, %ux%u", (void *)player->window, width, height);
    }
    for (i = 0; i < player->entry_count; ++i)
    {
        struct entry *entry = &player->entries[i];
        if (FAILED(hr = media_build_topology(entry->source, entry->pd, &media, &entry->topology, &player->sinks)))
            return player_open_failure(player, entry->resolved, hr, FALSE, TRUE);
    }
    if (player->entry_count > 1) out_line("playlist: %u files", player->entry_count);
    return MFPLAY_OK;
}

/* SetTopology(flags) and its MESessionTopologySet; with `ready`, also the
 * topology's MESessionTopologyStatus(READY), in either order. */
static int set_topology(struct player *player, unsigned int index, DWORD flags, BOOL ready)
{
    ULONGLONG deadline = GetTickCount64() + EVENT_TIMEOUT, now;
    struct event_record record;
    BOOL set = FALSE;
    HRESULT hr;

    if (ready) player->next_ready = index;
    if (FAILED(hr = IMFMediaSession_SetTopology(player->session, flags, player->entries[index].topology)))
        return player_topology_failure(player, hr);
    while (!set || (ready && player->current != index))
    {
        now = GetTickCount64();
        if (now >= deadline || !player_next_event(player, (DWORD)(deadline - now), &record))
            return player_wait_failed(player, listener_finished(player->listener) ? WAIT_SESSION_GONE
                    : WAIT_TIMED_OUT, ready ? "MESessionTopologyStatus(READY)" : "MESessionTopologySet",
                    EVENT_TIMEOUT);
        if (record.type == MEError || (record.type == MESessionTopologySet && FAILED(record.status)))
            return player_topology_failure(player, record.status);
        if (record.type == MESessionTopologySet) set = TRUE;
        if (record.type == MESessionEnded) player->ended = TRUE;
    }
    return MFPLAY_OK;
}

void playlist_attach_display(struct player *player, BOOL report)
{
    HRESULT hr;

    if (!player->window || player->display) return;
    if (FAILED(hr = MFGetService((IUnknown *)player->session, &mfplay_MR_VIDEO_RENDER_SERVICE,
            &mfplay_IID_IMFVideoDisplayControl, (void **)&player->display)))
    {
        player->display = NULL;
        if (report) out_error("no IMFVideoDisplayControl through MR_VIDEO_RENDER_SERVICE: 0x%08lx %s; the picture is not "
                "placed or repainted", (unsigned long)hr, hr_name(hr));
        return;
    }
    window_set_display(player->window, player->display);
}

/* The files from `from` on, queued behind the current one. */
static int queue_from(struct player *player, unsigned int from)
{
    unsigned int i;
    int status;

    for (i = from; i < player->entry_count; ++i)
        if ((status = set_topology(player, i, 0, FALSE))) return status;
    return MFPLAY_OK;
}

int playlist_set_topologies(struct player *player)
{
    double since = now_ms();
    int status;

    player->current = ~0u;
    if ((status = set_topology(player, 0, 0, TRUE))) return status;
    player_mark_phase(player, PHASE_TOPOLOGY, since);
    /* Available once the topology is READY (the EVR is its sink); tried again after Start. */
    playlist_attach_display(player, FALSE);
    return queue_from(player, 1);
}

void playlist_observe(struct player *player, const struct event_record *record)
{
    if (record->type == MESessionTopologyStatus && record->topology_status == MF_TOPOSTATUS_READY
            && player->next_ready < player->entry_count)
    {
        player->current = player->next_ready++;
        player->offset = 0;
        if (player->entry_count > 1)
            out_line("playlist: file %u of %u: %ls", player->current + 1, player->entry_count,
                    player->entries[player->current].resolved);
    }
    /* The new presentation's place on the presentation clock. */
    if (record->type == MESessionNotifyPresentationTime && record->has_offset) player->offset = record->offset;
}

int playlist_skip(struct player *player, BOOL *last)
{
    unsigned int next = player->current + 1;
    int status;

    *last = next >= player->entry_count;
    if (*last) return MFPLAY_OK;
    out_line("next: skipping to file %u of %u", next + 1, player->entry_count);
    if ((status = set_topology(player, next, MFSESSION_SETTOPOLOGY_IMMEDIATE, TRUE))) return status;
    if ((status = queue_from(player, next + 1))) return status;
    return player_start(player);
}

LONGLONG playlist_position(struct player *player)
{
    MFTIME time = 0;

    if (player->clock && FAILED(IMFPresentationClock_GetTime(player->clock, &time))) time = 0;
    return time - player->offset;
}

void playlist_release(struct player *player)
{
    unsigned int i;

    for (i = 0; i < player->entry_count; ++i)
    {
        struct entry *entry = &player->entries[i];
        if (entry->topology) IMFTopology_Release(entry->topology);
        if (entry->pd) IMFPresentationDescriptor_Release(entry->pd);
        if (entry->source) IMFMediaSource_Release(entry->source);
    }
    player->entry_count = 0;
}
