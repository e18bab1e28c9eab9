/*
 * test_doubles: the transforms (dmft.c) driven directly.
 */
#include "test_doubles.h"

/* ProcessOutput into a caller-allocated sample; checks time, duration and bytes. */
static void expect_output_(const char *file, int line, IMFTransform *mft, LONGLONG time, LONGLONG duration,
        const BYTE *bytes, DWORD length)
{
    IMFSample *sample = make_sample(-1, -1, 0, DMFT_OUTPUT_BYTES);
    MFT_OUTPUT_DATA_BUFFER out = {0};
    IMFMediaBuffer *buffer;
    LONGLONG t = -1, d = -1;
    DWORD status, len = 0;
    BOOL same = FALSE;
    BYTE *data;
    HRESULT hr;

    out.pSample = sample;
    hr = IMFTransform_ProcessOutput(mft, 0, 1, &out, &status);
    IMFSample_GetSampleTime(sample, &t);
    IMFSample_GetSampleDuration(sample, &d);
    if (SUCCEEDED(IMFSample_GetBufferByIndex(sample, 0, &buffer)))
    {
        IMFMediaBuffer_Lock(buffer, &data, NULL, &len);
        same = len == length && !memcmp(data, bytes, length);
        IMFMediaBuffer_Unlock(buffer);
        IMFMediaBuffer_Release(buffer);
    }
    harness_set_location(file, line);
    harness_ok(hr == S_OK && t == time && d == duration && same,
            "2:1 output: hr %#lx, time %lld (%lld), duration %lld (%lld), %lu bytes as expected: %d",
            hr, (long long)t, (long long)time, (long long)d, (long long)duration, len, same);
    IMFSample_Release(sample);
}
#define expect_output(m, t, d, b, l) expect_output_(__FILE__, __LINE__, m, t, d, b, l)

static HRESULT process_output_null(IMFTransform *mft, IMFSample **sample)
{
    MFT_OUTPUT_DATA_BUFFER out = {0};
    DWORD status;
    HRESULT hr = IMFTransform_ProcessOutput(mft, 0, 1, &out, &status);
    *sample = out.pSample;
    return hr;
}

void test_mft_units(void)
{
    static const BYTE first[] = {1, 1, 2, 2}, last[] = {3, 3};
    IMFSample *a = make_sample(0, DUR, 1, 2), *b = make_sample(DUR, DUR, 2, 2), *c = make_sample(2 * DUR, DUR, 3, 2);
    MFT_OUTPUT_DATA_BUFFER buffer = {0};
    MFT_OUTPUT_STREAM_INFO info;
    IMFMediaType *type;
    IMFTransform *mft;
    IMFSample *out;
    DWORD flags;

    dlog_clear();
    ok_hr(S_OK, dmft_create_named(DMFT_PASSTHROUGH, "pt", &mft));
    ok_hr(S_OK, IMFTransform_GetOutputStreamInfo(mft, 0, &info));
    ok(info.dwFlags & MFT_OUTPUT_STREAM_PROVIDES_SAMPLES, "pass-through provides its output samples");
    ok_hr(S_OK, IMFTransform_GetInputCurrentType(mft, 0, &type));
    IMFMediaType_Release(type);
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, process_output_null(mft, &out));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, a, 0));
    ok_hr(S_OK, IMFTransform_GetOutputStatus(mft, &flags));
    ok(flags == MFT_OUTPUT_STATUS_SAMPLE_READY, "output ready after one input");
    ok_hr(MF_E_NOTACCEPTING, IMFTransform_ProcessInput(mft, 0, b, 0));
    ok_hr(S_OK, process_output_null(mft, &out));
    ok(out == a, "pass-through hands the input sample out");
    if (out) IMFSample_Release(out);
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, b, 0));
    ok_hr(S_OK, IMFTransform_ProcessMessage(mft, MFT_MESSAGE_COMMAND_FLUSH, 0));
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, process_output_null(mft, &out));
    ok(get_refcount(b) == 1, "FLUSH drops the held sample");
    ok(dlog_find("pt.ProcessInput(t=0)", 0) >= 0 && dlog_find("pt.ProcessOutput(t=0)", 0) > 0
            && dlog_find("pt.ProcessMessage(FLUSH)", 0) > 0, "log: ProcessInput, ProcessOutput, ProcessMessage(FLUSH)");
    ok(dmft_refcount(mft) == 1, "refcount 1");
    IMFTransform_Release(mft);

    ok_hr(S_OK, dmft_create(DMFT_TWO_TO_ONE, &mft));
    ok_hr(S_OK, IMFTransform_GetOutputStreamInfo(mft, 0, &info));
    ok(!(info.dwFlags & MFT_OUTPUT_STREAM_PROVIDES_SAMPLES) && info.cbSize == DMFT_OUTPUT_BYTES,
            "2:1: the caller allocates DMFT_OUTPUT_BYTES");
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, a, 0));
    ok_hr(S_OK, IMFTransform_GetOutputStatus(mft, &flags));
    ok(!flags, "no output after one input");
    buffer.pSample = c;
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, IMFTransform_ProcessOutput(mft, 0, 1, &buffer, &flags));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, b, 0));
    ok_hr(MF_E_NOTACCEPTING, IMFTransform_ProcessInput(mft, 0, c, 0));
    ok_hr(E_INVALIDARG, process_output_null(mft, &out));
    expect_output(mft, 0, 2 * DUR, first, sizeof(first));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, c, 0));
    ok_hr(S_OK, IMFTransform_ProcessMessage(mft, MFT_MESSAGE_COMMAND_DRAIN, 0));
    ok_hr(MF_E_NOTACCEPTING, IMFTransform_ProcessInput(mft, 0, a, 0));
    expect_output(mft, 2 * DUR, DUR, last, sizeof(last));
    buffer.pSample = a;
    ok_hr(MF_E_TRANSFORM_NEED_MORE_INPUT, IMFTransform_ProcessOutput(mft, 0, 1, &buffer, &flags));
    ok_hr(S_OK, IMFTransform_ProcessInput(mft, 0, a, 0)); /* the drain is over */
    MFCreateMediaType(&type);
    ok_hr(MF_E_INVALIDMEDIATYPE, IMFTransform_SetInputType(mft, 0, type, 0));
    IMFMediaType_Release(type);
    ok(dlog_find("mft0.ProcessMessage(DRAIN)", 0) >= 0, "log: the first unnamed transform is mft0");
    IMFTransform_Release(mft);
    ok(get_refcount(a) == 1 && get_refcount(b) == 1 && get_refcount(c) == 1, "transforms release their inputs");
    IMFSample_Release(a);
    IMFSample_Release(b);
    IMFSample_Release(c);
}
