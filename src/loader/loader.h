/*
 * The topology loader's face to the rest of the DLL: a class object for
 * CLSID_MFSessionTopoLoader and a constructor.  The loader knows nothing of
 * the session; the session reaches it through IMFTopoLoader like any other.
 */
#ifndef MFSESSION_LOADER_H
#define MFSESSION_LOADER_H

#include <windows.h>
#include <mfidl.h>

/* A new loader (IMFTopoLoader), returned through riid. */
HRESULT topoloader_create(REFIID riid, void **out);
/* A new class object (IClassFactory) that creates loaders. */
HRESULT topoloader_factory_create(REFIID riid, void **out);
/* The loader a session gets for MF_SESSION_TOPOLOADER = *clsid, or without
 * the attribute (clsid NULL): see select.c. */
HRESULT topoloader_select(const GUID *clsid, IMFTopoLoader **out);

/* Provided by the DLL (main.c): every live object holds one module lock. */
void module_lock(void);
void module_unlock(void);

#endif
