/* trace.c: tracing (MFSESSION_TRACE); placeholder until the writer lands. */
#include "session_internal.h"

volatile LONG trace_enabled;

void trace_init(void)
{
}

void trace_write(char phase, const char *cat, const char *name, const void *session, const char *track,
        UINT64 id, const char *args, ...)
{
}

void trace_flush(void)
{
}

void trace_process_detach(void)
{
}
