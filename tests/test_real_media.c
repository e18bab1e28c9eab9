/*
 * Real compressed audio through our session, measured against the
 * platform's (MFCreateMediaSession) in the same run: tone.wav, tone.mp3 and
 * tone.m4a from the shared media folder (MFSESSION_MEDIA_DIR), opened with
 * the source resolver, resolved by the platform's topology loader (Wine's own
 * decoders and converters), played into a sample grabber that ignores the
 * clock.  Every audio byte must arrive, in a number of samples and sample
 * sizes within 1.5x of the platform session's.  Each session runs in a child
 * process of this test: Wine's session may hang or crash, bounded there.
 */
#include "media.h"
#include <stdio.h>
#include <stdlib.h>

#define CHILD_TIMEOUT_MS 30000
#define PLAY_TIMEOUT_MS 20000

/* What one child measured; written to a file for the parent. */
struct media_run
{
    LONGLONG bytes;
    LONGLONG duration;  /* sum of the samples' durations */
    LONG samples;
    DWORD play_ms;      /* Start to MESessionEnded */
    HRESULT open_hr, end_status;
    BOOL ended, closed, in_order;
};

static void play_file(const WCHAR *path, BOOL platform, struct media_run *run)
{
    IMFPresentationDescriptor *pd;
    IMFMediaSession *session = NULL;
    struct event_waiter *w;
    IMFMediaSource *source;
    IMFActivate *activate;
    IMFTopology *topology;
    struct grabber g;
    HRESULT status = E_FAIL;
    ULONGLONG start;

    grabber_init(&g);
    if (FAILED(run->open_hr = open_source(path, &source))) return;
    IMFMediaSource_CreatePresentationDescriptor(source, &pd);
    grabber_activate(&g, FALSE, &activate);
    topology = one_stream_topology(source, pd, activate);
    if (platform) MFCreateMediaSession(NULL, &session);
    else session = create_session();
    if (!session) return;
    w = event_waiter_create((IMFMediaEventGenerator *)session);
    IMFMediaSession_SetTopology(session, 0, topology);
    start = GetTickCount64();
    start_at(session, -1);
    run->ended = event_waiter_wait_for(w, MESessionEnded, PLAY_TIMEOUT_MS, &status, NULL);
    run->play_ms = (DWORD)(GetTickCount64() - start);
    run->end_status = status;
    run->bytes = g.bytes;
    run->duration = g.duration;
    run->samples = g.samples;
    run->in_order = !g.out_of_order;
    IMFMediaSession_Close(session);
    run->closed = event_waiter_wait_for(w, MESessionClosed, TEST_TIMEOUT, &status, NULL);
    IMFMediaSession_Shutdown(session);
    IMFMediaSource_Shutdown(source);
    event_waiter_destroy(w);
    IMFMediaSession_Release(session);
    IMFActivate_Release(activate);
    IMFTopology_Release(topology);
    IMFPresentationDescriptor_Release(pd);
    IMFMediaSource_Release(source);
}

static int child_main(const char *media, BOOL platform, const char *out_path)
{
    struct media_run run = {0};
    WCHAR path[MAX_PATH];

    MultiByteToWideChar(CP_ACP, 0, media, -1, path, MAX_PATH);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    MFStartup(MF_VERSION, MFSTARTUP_FULL);
    play_file(path, platform, &run);
    return child_write_result(out_path, &run, sizeof(run)) ? 0 : 3;
}

static BOOL run_in_child(const char *media, BOOL platform, struct media_run *run, char *why, size_t why_size)
{
    char args[MAX_PATH + 32];

    snprintf(args, sizeof(args), "\"%s\" %s", media, platform ? "platform" : "ours");
    return run_child(args, CHILD_TIMEOUT_MS, run, sizeof(*run), NULL, 0, why, why_size);
}

/* The data chunk's size of a WAV file (the bytes a PCM grabber must see), 0 if unreadable. */
static LONGLONG wav_data_bytes(const char *path)
{
    struct { char id[4]; DWORD size; } chunk;
    char wave[12];
    FILE *f = fopen(path, "rb");
    LONGLONG found = 0;

    if (!f) return 0;
    if (fread(wave, 1, 12, f) == 12 && !memcmp(wave + 8, "WAVE", 4))
        while (fread(&chunk, sizeof(chunk), 1, f) == 1)
        {
            if (!memcmp(chunk.id, "data", 4))
            {
                found = chunk.size;
                break;
            }
            if (fseek(f, (chunk.size + 1) & ~1u, SEEK_CUR)) break;
        }
    fclose(f);
    return found;
}

static BOOL within(double ours, double theirs, double factor)
{
    return theirs > 0 ? ours <= theirs * factor && ours * factor >= theirs : ours == 0;
}

/* expected_bytes: exact for PCM; 0 for compressed input, where the decoder's
 * priming decides the count and the platform's run is the reference. */
static void check_file(const char *dir, const char *name, LONGLONG expected_bytes)
{
    struct media_run ours, platform;
    char media[MAX_PATH], why[256] = "";
    BOOL have_platform;

    snprintf(media, sizeof(media), "%s/%s", dir, name);
    if (GetFileAttributesA(media) == INVALID_FILE_ATTRIBUTES)
    {
        ok(0, "[%s] the shared media folder has it (tools/make-media.sh)", name);
        return;
    }
    if (!ok(run_in_child(media, FALSE, &ours, why, sizeof(why)), "[%s] our session ran to Shutdown: %s", name, why))
        return;
    ok(SUCCEEDED(ours.open_hr), "[%s] the source resolver opens it, hr %#lx", name, ours.open_hr);
    ok(ours.ended && ours.end_status == S_OK, "[%s] MESessionEnded S_OK within %u ms (%#lx)", name,
            PLAY_TIMEOUT_MS, ours.end_status);
    ok(ours.closed, "[%s] MESessionClosed after Close", name);
    ok(ours.in_order, "[%s] samples arrive in presentation order", name);
    ok(ours.duration >= 29000000, "[%s] the whole 3 s tone arrived: %lld ms in %lld bytes", name,
            ours.duration / 10000, ours.bytes);
    if (expected_bytes)
        ok(ours.bytes == expected_bytes, "[%s] every byte of the file arrived: %lld of %lld", name, ours.bytes,
                expected_bytes);

    have_platform = run_in_child(media, TRUE, &platform, why, sizeof(why)) && platform.ended
            && platform.end_status == S_OK;
    if (!have_platform)
    {
        skip("[%s] the platform's session gave no reference run (%s)", name, *why ? why : "it did not end");
        return;
    }
    diag("[%s] ours: %lld bytes, %lld ms of audio in %ld samples, %lu ms; platform: %lld bytes, %lld ms in %ld "
            "samples, %lu ms", name, ours.bytes, ours.duration / 10000, ours.samples, ours.play_ms, platform.bytes,
            platform.duration / 10000, platform.samples, platform.play_ms);
    /* The loaders may pick different PCM formats for the grabber (the
     * platform's float at 44.1 kHz, ours 16-bit at 48 kHz): bytes compare
     * only at the same byte rate; the audio's duration always does. */
    ok(llabs(ours.duration - platform.duration) <= 250000, "[%s] all the audio arrived: %lld ms, the platform's %lld ms",
            name, ours.duration / 10000, platform.duration / 10000);
    if (ours.duration && platform.duration
            && within((double)ours.bytes / ours.duration, (double)platform.bytes / platform.duration, 1.01))
        ok(ours.bytes == platform.bytes, "[%s] every audio byte accounted for: ours %lld, the platform's %lld",
                name, ours.bytes, platform.bytes);
    else
        diag("[%s] another output format than the platform's (%lld vs %lld bytes for the same audio)", name,
                ours.bytes, platform.bytes);
    ok(within(ours.samples, platform.samples, 1.5), "[%s] sample count within 1.5x of the platform's: %ld vs %ld",
            name, ours.samples, platform.samples);
    ok(ours.samples && platform.samples && within((double)ours.duration / ours.samples,
            (double)platform.duration / platform.samples, 1.5),
            "[%s] mean sample size (its duration) within 1.5x of the platform's", name);
}

START_TEST(real_media)
{
    char dir[MAX_PATH], wav[MAX_PATH];

    if (__argc == 5 && !strcmp(__argv[1], "child"))
        ExitProcess(child_main(__argv[2], !strcmp(__argv[3], "platform"), __argv[4]));
    harness_watchdog(2 * CHILD_TIMEOUT_MS + 10000);
    if (!GetEnvironmentVariableA("MFSESSION_MEDIA_DIR", dir, sizeof(dir)))
    {
        skip("MFSESSION_MEDIA_DIR is not set (tools/run-tests.sh sets it with make_media)");
        return;
    }
    snprintf(wav, sizeof(wav), "%s/tone.wav", dir);
    check_file(dir, "tone.wav", wav_data_bytes(wav));
    harness_progress();
    check_file(dir, "tone.mp3", 0);
    harness_progress();
    check_file(dir, "tone.m4a", 0);
}
