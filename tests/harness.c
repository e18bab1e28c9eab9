/* The TAP harness: see harness.h. */
#include "harness.h"

LONG harness_count, harness_failures;
static SRWLOCK harness_lock = SRWLOCK_INIT;
static DWORD harness_tls = TLS_OUT_OF_INDEXES;

struct location { const char *file; int line; };

void harness_set_location(const char *file, int line)
{
    struct location *loc;
    if (harness_tls == TLS_OUT_OF_INDEXES) return;
    if (!(loc = TlsGetValue(harness_tls)))
    {
        loc = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*loc));
        TlsSetValue(harness_tls, loc);
    }
    if (loc) { loc->file = file; loc->line = line; }
}

static void where(const char **file, int *line)
{
    struct location *loc = harness_tls == TLS_OUT_OF_INDEXES ? NULL : TlsGetValue(harness_tls);
    const char *f = loc && loc->file ? loc->file : "?", *p;
    for (p = f; *p; ++p) if (*p == '/' || *p == '\\') f = p + 1;
    *file = f;
    *line = loc ? loc->line : 0;
}

int harness_ok(int condition, const char *fmt, ...)
{
    char msg[1024];
    const char *file; int line; LONG n;
    va_list args;

    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    where(&file, &line);
    AcquireSRWLockExclusive(&harness_lock);
    n = ++harness_count;
    if (condition)
        printf("ok %ld - %s:%d %s\n", n, file, line, msg);
    else
    {
        ++harness_failures;
        printf("not ok %ld - %s:%d %s\n", n, file, line, msg);
    }
    fflush(stdout);
    ReleaseSRWLockExclusive(&harness_lock);
    return condition;
}

void harness_skip(const char *fmt, ...)
{
    char msg[1024];
    const char *file; int line; LONG n;
    va_list args;

    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    where(&file, &line);
    AcquireSRWLockExclusive(&harness_lock);
    n = ++harness_count;
    printf("ok %ld - %s:%d # SKIP %s\n", n, file, line, msg);
    fflush(stdout);
    ReleaseSRWLockExclusive(&harness_lock);
}

void harness_diag(const char *fmt, ...)
{
    char msg[1024];
    va_list args;

    va_start(args, fmt);
    vsnprintf(msg, sizeof(msg), fmt, args);
    va_end(args);
    AcquireSRWLockExclusive(&harness_lock);
    printf("# %s\n", msg);
    fflush(stdout);
    ReleaseSRWLockExclusive(&harness_lock);
}

int harness_main(void (*test)(void), const char *name)
{
    harness_tls = TlsAlloc();
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("# test %s\n", name);
    test();
    AcquireSRWLockExclusive(&harness_lock);
    printf("1..%ld\n", harness_count);
    if (harness_failures) printf("# %ld of %ld checks failed\n", harness_failures, harness_count);
    fflush(stdout);
    ReleaseSRWLockExclusive(&harness_lock);
    return harness_failures ? 1 : 0;
}
