/* guids.c: defines the Media Foundation GUIDs the import libraries lack, and mfsession's own. */
#include <windows.h>
#include <initguid.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mftransform.h>

/* {3f0d2b62-7f0e-4a3c-9d55-5d8b7c7e1a01}: node attribute, the IMFActivate an output node's sink came from. */
DEFINE_GUID(MFSESSION_NODE_ACTIVATE, 0x3f0d2b62, 0x7f0e, 0x4a3c, 0x9d, 0x55, 0x5d, 0x8b, 0x7c, 0x7e, 0x1a, 0x01);
