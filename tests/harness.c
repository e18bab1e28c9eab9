/* The TAP harness: see harness.h. */
#include "harness.h"
#include <string.h>

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

/* ---- the watchdog ---- */

const char *volatile harness_test = "startup";
static volatile LONG harness_ticks;

void harness_progress(void)
{
    InterlockedIncrement(&harness_ticks);
}

static DWORD WINAPI watchdog_thread(void *arg)
{
    DWORD stall_ms = (DWORD)(ULONG_PTR)arg, since = GetTickCount();
    const char *test = NULL;
    LONG count = -1, ticks = -1;

    for (;;)
    {
        Sleep(250);
        if (harness_count != count || harness_ticks != ticks || harness_test != test)
        {
            count = harness_count;
            ticks = harness_ticks;
            test = harness_test;
            since = GetTickCount();
        }
        else if (GetTickCount() - since > stall_ms)
        {
            harness_ok(0, "watchdog: %s made no progress for %lu s after check %ld (hung)", test,
                    (unsigned long)(stall_ms / 1000), count);
            printf("1..%ld\n# %ld of %ld checks failed\n", harness_count, harness_failures, harness_count);
            fflush(stdout);
            TerminateProcess(GetCurrentProcess(), 1);
        }
    }
    return 0;
}

void harness_watchdog(DWORD stall_ms)
{
    HANDLE thread = CreateThread(NULL, 0, watchdog_thread, (void *)(ULONG_PTR)stall_ms, 0, NULL);
    if (thread) CloseHandle(thread);
}

/* ---- crash reporting ----
 * An unhandled exception on any thread (a test thread or a work-queue worker
 * running a callback) ends the process with the exception code as its exit
 * status, after a TAP-safe report on stdout: the faulting address and the
 * stack words that point into loaded modules (module+offset), so a crash in a
 * CI log says whose code it was in.  Wine's debugger is not started: its
 * output is not TAP and it can hold the process.  The filter takes no lock
 * and allocates nothing. */
static void crash_write(const char *text)
{
    DWORD written;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, (DWORD)strlen(text), &written, NULL);
}

static int crash_where(char *out, size_t size, const void *address)
{
    MEMORY_BASIC_INFORMATION mbi;
    char path[MAX_PATH], *name = path, *p;

    /* Only addresses inside a mapped image: no loader lock, no guess for NULL. */
    if ((ULONG_PTR)address < 0x10000 || !VirtualQuery(address, &mbi, sizeof(mbi)) || mbi.Type != MEM_IMAGE
            || !mbi.AllocationBase || !GetModuleFileNameA((HMODULE)mbi.AllocationBase, path, sizeof(path)))
        return 0;
    for (p = path; *p; ++p) if (*p == '\\' || *p == '/') name = p + 1;
    return snprintf(out, size, "%s+%#lx", name,
            (unsigned long)((const char *)address - (const char *)mbi.AllocationBase));
}

static LONG WINAPI crash_filter(EXCEPTION_POINTERS *info)
{
    char line[512], where_text[300];
    const ULONG_PTR *stack;
    unsigned int i, found = 0;
    int len;

    if (!crash_where(where_text, sizeof(where_text), info->ExceptionRecord->ExceptionAddress))
        snprintf(where_text, sizeof(where_text), "no module");
    snprintf(line, sizeof(line), "# CRASH: exception %#lx at %p (%s) on thread %#lx\n",
            (unsigned long)info->ExceptionRecord->ExceptionCode, info->ExceptionRecord->ExceptionAddress,
            where_text, GetCurrentThreadId());
    crash_write(line);
#ifdef _WIN64
    stack = (const ULONG_PTR *)info->ContextRecord->Rsp;
    len = snprintf(line, sizeof(line), "# CRASH: return addresses on the stack:");
    for (i = 0; i < 512 && found < 12; ++i)
    {
        MEMORY_BASIC_INFORMATION mbi;
        if (!VirtualQuery(&stack[i], &mbi, sizeof(mbi)) || mbi.State != MEM_COMMIT) break;
        if (!crash_where(where_text, sizeof(where_text), (const void *)stack[i])) continue;
        if (len + strlen(where_text) + 4 >= sizeof(line)) break;
        len += snprintf(line + len, sizeof(line) - len, " %s", where_text);
        ++found;
    }
    snprintf(line + len, sizeof(line) - len, "\n");
    crash_write(line);
#endif
    snprintf(line, sizeof(line), "not ok %ld - the test process crashed (exception %#lx)\n", harness_count + 1,
            (unsigned long)info->ExceptionRecord->ExceptionCode);
    crash_write(line);
    return EXCEPTION_EXECUTE_HANDLER;
}

void harness_install_crash_reporter(void)
{
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    SetUnhandledExceptionFilter(crash_filter);
}

int harness_main(void (*test)(void), const char *name)
{
    harness_install_crash_reporter();
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

/* Runs the test in a child process of the same program and reports what it
 * printed: its TAP lines are passed through and its exit status does not
 * count once it printed its plan with every check passed.  For tests of
 * Wine's GStreamer-backed media source, which can crash on the Unix side
 * while the process exits, after every check ran (about half the runs of
 * test_windows_real): meson would count such a run as failed.  A child that
 * hangs is ended after `timeout_ms`. */
int harness_main_isolated(void (*test)(void), const char *name, DWORD timeout_ms)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    char exe[MAX_PATH], path[MAX_PATH], cmd[2 * MAX_PATH + 32], line[1024];
    STARTUPINFOA si = {sizeof(si)};
    PROCESS_INFORMATION pi;
    BOOL plan = FALSE, failed = FALSE;
    DWORD code = 1;
    HANDLE out;
    FILE *log;

    /* The isolated child, and the program's own children (run_child in
     * media.c: "child NAME OUT ..."), run the test's main directly. */
    if (strstr(GetCommandLineA(), "--isolated-child") || (__argc >= 2 && !strcmp(__argv[1], "child")))
        return harness_main(test, name);
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    GetTempPathA(sizeof(path), path);
    snprintf(path + strlen(path), sizeof(path) - strlen(path), "mfsession-%s-%lu.tap", name, GetCurrentProcessId());
    snprintf(cmd, sizeof(cmd), "\"%s\" --isolated-child", exe);
    out = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, &sa, CREATE_ALWAYS, 0, NULL);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = out;
    if (out == INVALID_HANDLE_VALUE || !CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        printf("# test %s\nnot ok 1 - the test's child process did not start (error %lu)\n1..1\n", name,
                GetLastError());
        if (out != INVALID_HANDLE_VALUE) CloseHandle(out);
        return 1;
    }
    CloseHandle(out);
    if (WaitForSingleObject(pi.hProcess, timeout_ms) != WAIT_OBJECT_0)
    {
        TerminateProcess(pi.hProcess, 0xdead);
        WaitForSingleObject(pi.hProcess, 5000);
    }
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    if ((log = fopen(path, "r")))
    {
        while (fgets(line, sizeof(line), log))
        {
            if (!strncmp(line, "1..", 3)) plan = TRUE;
            if (!strncmp(line, "not ok", 6)) failed = TRUE;
            fputs(line, stdout);
        }
        fclose(log);
    }
    DeleteFileA(path);
    if (!plan)
    {
        /* It ended before its plan: a crash or a hang in the middle is a failure. */
        printf("not ok - the test's child process ended with %#lx before its plan\n1..0\n", code);
        failed = TRUE;
    }
    else if (code && !failed)
        printf("# the child exited with %#lx after every check passed (platform teardown): not counted\n", code);
    fflush(stdout);
    return failed ? 1 : 0;
}
