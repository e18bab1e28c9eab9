/* trace.c: tracing (MFSESSION_TRACE); nothing is recorded yet. */
#include "session_internal.h"

void trace_process_detach(void)
{
}
