/*
 * sample_copy.c: a video frame written by a transform into system memory,
 * copied into a sample of the video renderer's allocator.
 *
 * The renderer presents only its own samples (Direct3D surfaces), and a
 * transform that works in system memory reaches a sample's memory through
 * IMFSample::ConvertToContiguousBuffer.  Where the renderer's samples do not
 * offer that (Wine 8's EVR answers E_NOTIMPL, so Wine's video processor
 * fails every ProcessOutput into them), the transform writes a memory sample
 * and the session copies the frame here, as Windows' sample copier does
 * between a memory source and the EVR.  The surface buffer's own Lock gives
 * the frame in its contiguous layout (top-down, rows packed; the buffer
 * writes it back to the surface on Unlock), which is the layout the
 * transform wrote for a positive or absent stride; a bottom-up frame is
 * turned over row by row through IMF2DBuffer::Lock2D.  Serializer only.
 */
#include "sample_copy.h"

/* The sample's time, duration, flags and attributes (clean point,
 * discontinuity, interlacing...) go with the frame. */
static HRESULT copy_sample_properties(IMFSample *from, IMFSample *to)
{
    PROPVARIANT value;
    LONGLONG time;
    UINT32 count = 0, i;
    DWORD flags;
    GUID key;
    HRESULT hr;

    if (SUCCEEDED(IMFSample_GetSampleTime(from, &time)) && FAILED(hr = IMFSample_SetSampleTime(to, time)))
        return hr;
    if (SUCCEEDED(IMFSample_GetSampleDuration(from, &time)) && FAILED(hr = IMFSample_SetSampleDuration(to, time)))
        return hr;
    if (SUCCEEDED(IMFSample_GetSampleFlags(from, &flags)) && FAILED(hr = IMFSample_SetSampleFlags(to, flags)))
        return hr;
    IMFSample_GetCount(from, &count);
    for (i = 0; i < count; ++i)
    {
        PropVariantInit(&value);
        if (FAILED(hr = IMFSample_GetItemByIndex(from, i, &key, &value))) return hr;
        hr = IMFSample_SetItem(to, &key, &value);
        PropVariantClear(&value);
        if (FAILED(hr)) return hr;
    }
    return S_OK;
}

/* A bottom-up frame (negative stride) into the top-down surface. */
static HRESULT copy_flipped(IMFMediaBuffer *to, const BYTE *data, DWORD length, const struct frame_layout *layout)
{
    DWORD row_bytes = (DWORD)-layout->stride, row;
    IMF2DBuffer *buffer2d;
    LONG pitch;
    BYTE *scanline0;
    HRESULT hr;

    if ((ULONGLONG)row_bytes * layout->rows > length) return MF_E_BUFFERTOOSMALL;
    if (FAILED(hr = IMFMediaBuffer_QueryInterface(to, &IID_IMF2DBuffer, (void **)&buffer2d))) return hr;
    if (SUCCEEDED(hr = IMF2DBuffer_Lock2D(buffer2d, &scanline0, &pitch)))
    {
        if ((DWORD)labs(pitch) < row_bytes)
            hr = MF_E_BUFFERTOOSMALL;
        else
            for (row = 0; row < layout->rows; ++row)
                memcpy(scanline0 + (LONG_PTR)row * pitch, data + (SIZE_T)(layout->rows - 1 - row) * row_bytes,
                        row_bytes);
        IMF2DBuffer_Unlock2D(buffer2d);
    }
    IMF2DBuffer_Release(buffer2d);
    if (SUCCEEDED(hr)) hr = IMFMediaBuffer_SetCurrentLength(to, length);
    return hr;
}

/* A frame in the contiguous layout, through the buffer's own Lock. */
static HRESULT copy_contiguous(IMFMediaBuffer *to, const BYTE *data, DWORD length)
{
    DWORD max_length = 0;
    BYTE *dst;
    HRESULT hr;

    if (FAILED(hr = IMFMediaBuffer_Lock(to, &dst, &max_length, NULL))) return hr;
    if (length > max_length) hr = MF_E_BUFFERTOOSMALL;
    else memcpy(dst, data, length);
    IMFMediaBuffer_Unlock(to);
    if (SUCCEEDED(hr)) hr = IMFMediaBuffer_SetCurrentLength(to, length);
    return hr;
}

HRESULT sample_copy_frame(IMFSample *from, IMFSample *to, const struct frame_layout *layout)
{
    IMFMediaBuffer *src, *dst;
    DWORD length = 0;
    BYTE *data;
    HRESULT hr;

    if (FAILED(hr = IMFSample_ConvertToContiguousBuffer(from, &src))) return hr;
    if (FAILED(hr = IMFSample_GetBufferByIndex(to, 0, &dst)))
    {
        IMFMediaBuffer_Release(src);
        return hr;
    }
    if (SUCCEEDED(hr = IMFMediaBuffer_Lock(src, &data, NULL, &length)))
    {
        if (layout->stride < 0 && layout->rows) hr = copy_flipped(dst, data, length, layout);
        else hr = copy_contiguous(dst, data, length);
        IMFMediaBuffer_Unlock(src);
    }
    IMFMediaBuffer_Release(dst);
    IMFMediaBuffer_Release(src);
    if (SUCCEEDED(hr)) hr = copy_sample_properties(from, to);
    return hr;
}
