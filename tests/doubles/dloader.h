/*
 * Doubles for the topology loader's tests: a stream sink whose media type
 * handler is configured per test (current type, a list of types, a type it
 * refuses; counts the calls Windows' loader is known to make or not make),
 * and transforms that register themselves locally (MFTRegisterLocal) as an
 * audio decoder or converter.
 */
#ifndef MFSESSION_TEST_DLOADER_H
#define MFSESSION_TEST_DLOADER_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include <mftransform.h>

/* ---- a stream sink with a configurable handler ---- */

struct dlsink_desc
{
    IMFMediaType *current;      /* current type (copied in), or NULL */
    IMFMediaType **types;       /* the handler's list; with no current type GetCurrentMediaType
                                   then answers MF_E_NOT_INITIALIZED (without a list: E_FAIL) */
    unsigned type_count;
    IMFMediaType *refuse;       /* IsMediaTypeSupported refuses types that carry all of its items */
};
/* IsMediaTypeSupported: the refused type -> MF_E_INVALIDMEDIATYPE; no
 * current type -> S_OK; else S_OK when the type carries all of the current
 * type's items.  GetMediaTypeByIndex serves the list. */
HRESULT dlsink_create(const struct dlsink_desc *desc, IMFStreamSink **out);
unsigned dlsink_enum_count(IMFStreamSink *sink);     /* GetMediaTypeByIndex calls */
unsigned dlsink_set_count(IMFStreamSink *sink);      /* SetCurrentMediaType calls */
unsigned dlsink_supported_count(IMFStreamSink *sink);/* IsMediaTypeSupported calls */

/* ---- locally registered codecs ---- */

/* The compressed audio subtype dcodec decoders take. */
extern const GUID DCODEC_SUBTYPE;

enum dcodec_kind
{
    DCODEC_DECODER,     /* DCODEC_SUBTYPE in; PCM 16-bit mono 48 kHz out */
    DCODEC_CONVERTER,   /* any PCM in; offers PCM 16-bit mono at 48 and 44.1 kHz, takes any PCM out */
};
struct dcodec_desc
{
    enum dcodec_kind kind;
    BOOL async;         /* MF_TRANSFORM_ASYNC: type calls fail with MF_E_TRANSFORM_ASYNC_LOCKED until
                           MF_TRANSFORM_ASYNC_UNLOCK is set */
    UINT32 tag;         /* told back by dcodec_tag, to see which registration was chosen */
};
/* Samples pass through unchanged (one held at a time). */
HRESULT dcodec_create(const struct dcodec_desc *desc, IMFTransform **out);
/* The tag of a dcodec (an IUnknown of it), or 0 when the object is none. */
UINT32 dcodec_tag(IUnknown *object);
/* Registers a class factory for the desc with MFTRegisterLocal in the decoder
 * or converter category; *cookie is what dcodec_unregister_local takes. */
HRESULT dcodec_register_local(const struct dcodec_desc *desc, IClassFactory **cookie);
void dcodec_unregister_local(IClassFactory *cookie);

#endif
