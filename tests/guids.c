/* guids.c: the Media Foundation GUIDs the import libraries lack, for the tests (selectany). */
#include <windows.h>
#include <initguid.h>
#include <mfapi.h>
#include <mfidl.h>
#include <mftransform.h>
