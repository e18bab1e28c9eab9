#!/bin/bash
# Creates the shared test media in DIR (default: media), each file only when
# it is missing, with GStreamer's gst-launch-1.0:
#
#   tone.wav   3 s, 440 Hz sine, 44.1 kHz stereo S16LE PCM
#   tone.mp3   the same tone, MP3 (LAME, 128 kbit/s CBR, with a Xing header)
#   tone.m4a   the same tone, AAC-LC in MP4
#   bars.avi   3 s SMPTE colour bars, 320x240, 30 fps, uncompressed I420,
#              with the 440 Hz tone as a PCM track
#   bars.mp4   3 s SMPTE colour bars, 320x240, 30 fps, H.264 constrained
#              baseline (yuv420p), with the tone as AAC-LC
#
#   tools/make-media.sh [DIR]
#
# Each file is written to a temporary name and renamed when complete, so an
# interrupted run leaves no half file behind and the next run redoes it.
# Exits non-zero, saying which element is missing, when GStreamer or one of
# its plugins is not installed (Debian: gstreamer1.0-tools and
# gstreamer1.0-plugins-{base,good,bad,ugly}, gstreamer1.0-libav).
set -euo pipefail

dir=${1:-media}

die() { printf 'make-media: %s\n' "$*" >&2; exit 1; }

command -v gst-launch-1.0 >/dev/null 2>&1 ||
    die "gst-launch-1.0 not found (apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav)"

# Every element a pipeline below uses, with the Debian package that has it:
# checked up front so a missing plugin is named instead of a pipeline error.
elements="audiotestsrc:gstreamer1.0-plugins-base videotestsrc:gstreamer1.0-plugins-base
audioconvert:gstreamer1.0-plugins-base videoconvert:gstreamer1.0-plugins-base
wavenc:gstreamer1.0-plugins-good avimux:gstreamer1.0-plugins-good mp4mux:gstreamer1.0-plugins-good
lamemp3enc:gstreamer1.0-plugins-good xingmux:gstreamer1.0-plugins-ugly x264enc:gstreamer1.0-plugins-ugly
h264parse:gstreamer1.0-plugins-bad aacparse:gstreamer1.0-plugins-good avenc_aac:gstreamer1.0-libav"
missing=""
for entry in $elements; do
    gst-inspect-1.0 --exists "${entry%%:*}" 2>/dev/null || missing="$missing ${entry%%:*} (${entry#*:})"
done
[ -z "$missing" ] || die "missing GStreamer elements:$missing"

mkdir -p "$dir"

# The 3 s tone as raw S16LE audio (an encoder wanting another format gets its
# own audioconvert): 30 buffers of 4410 frames (0.1 s), or 90 buffers
# of 1470 frames (one video frame's worth) where it is muxed with video.
tone() {
    printf 'audiotestsrc wave=sine freq=440 volume=0.5 samplesperbuffer=%s num-buffers=%s ! audioconvert ! audio/x-raw,format=S16LE,layout=interleaved,rate=44100,channels=2' "$1" "$2"
}
tone_long=$(tone 4410 30)
tone_video=$(tone 1470 90)
bars='videotestsrc pattern=smpte num-buffers=90 ! video/x-raw,format=I420,width=320,height=240,framerate=30/1'

# make NAME PIPELINE-WITHOUT-SINK: runs the pipeline into NAME's temporary
# file unless NAME exists.  The pipeline ends where "filesink" is appended.
make() {
    local name=$1 pipeline=$2 tmp
    [ -s "$dir/$name" ] && return 0
    tmp="$dir/.$name.partial"
    rm -f "$tmp"
    printf 'make-media: %s\n' "$dir/$name" >&2
    # shellcheck disable=SC2086 # gst-launch takes the pipeline as words
    if ! gst-launch-1.0 -q $pipeline filesink location="$tmp" >/dev/null; then
        rm -f "$tmp"
        die "gst-launch-1.0 failed for $name"
    fi
    [ -s "$tmp" ] || die "gst-launch-1.0 wrote nothing for $name"
    mv -f "$tmp" "$dir/$name"
}

make tone.wav "$tone_long ! wavenc !"
make tone.mp3 "$tone_long ! lamemp3enc target=bitrate bitrate=128 cbr=true ! xingmux !"
make tone.m4a "$tone_long ! audioconvert ! avenc_aac bitrate=128000 ! aacparse ! mp4mux !"
make bars.avi "$bars ! avimux name=mux $tone_video ! mux. mux. !"
make bars.mp4 "$bars ! x264enc speed-preset=ultrafast key-int-max=30 bframes=0 ! video/x-h264,profile=constrained-baseline ! h264parse ! mux.
  $tone_video ! audioconvert ! avenc_aac bitrate=128000 ! aacparse ! mux. mp4mux name=mux faststart=true mux. !"
