/*
 * factory.c: the class object DllGetClassObject hands out.
 */
#ifndef MFSESSION_FACTORY_H
#define MFSESSION_FACTORY_H

#include "mfsession_private.h"

/* A new class object for CLSID_MFSession (IClassFactory and IMFSessionFactory),
 * returned through riid.  It holds one module lock while alive. */
HRESULT factory_create(REFIID riid, void **out);

#endif
