/*
 * mfsession internals shared between the DLL's source files.
 */
#ifndef MFSESSION_PRIVATE_H
#define MFSESSION_PRIVATE_H

#include <windows.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mferror.h>
#include "mfsession.h"

/* main.c: the module and its single lock count. Every live object (class
 * objects included) holds one lock; IClassFactory::LockServer adds more. */
extern HINSTANCE mfsession_module;
void module_lock(void);
void module_unlock(void);

/* session.c: creates a session with the given configuration attributes (the
 * ones MFCreateMediaSession takes; NULL for the defaults). */
HRESULT session_create(IMFAttributes *config, REFIID riid, void **out);

/* trace.c */
void trace_process_detach(void);

#endif
