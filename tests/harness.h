/*
 * A small TAP test harness for mfsession's tests.
 *
 *   START_TEST(name) { ok(cond, "fmt", ...); skip("why"); }
 *
 * Prints TAP ("ok N - ...", "not ok N - ...", "1..N") and exits non-zero when
 * any check failed.  Thread-safe: checks may be made from any thread.
 */
#ifndef MFSESSION_TEST_HARNESS_H
#define MFSESSION_TEST_HARNESS_H

#include <windows.h>
#include <stdarg.h>
#include <stdio.h>

extern LONG harness_count, harness_failures;
extern const char *harness_file;
extern int harness_line;

void harness_set_location(const char *file, int line);
int harness_ok(int condition, const char *fmt, ...);
void harness_skip(const char *fmt, ...);
void harness_diag(const char *fmt, ...);

/* ok() reports one check; it returns the condition so a test can branch on it. */
#define ok (harness_set_location(__FILE__, __LINE__), harness_ok)
#define skip (harness_set_location(__FILE__, __LINE__), harness_skip)
#define diag harness_diag

/* Exact HRESULT comparison with a readable message. */
#define ok_hr(expected, actual) harness_ok_hr((HRESULT)(expected), (HRESULT)(actual), #actual, __FILE__, __LINE__)
static inline int harness_ok_hr(HRESULT expected, HRESULT actual, const char *what, const char *file, int line)
{
    harness_set_location(file, line);
    return harness_ok(actual == expected, "%s: expected %#lx, got %#lx", what,
            (unsigned long)expected, (unsigned long)actual);
}

/* A watchdog for tests whose calls could block: once no check is made and
 * harness_progress() is not called for stall_ms, it fails a check naming
 * harness_test, prints the plan and ends the process (a hang becomes a
 * message, not a runner timeout). */
extern const char *volatile harness_test;
void harness_watchdog(DWORD stall_ms);
void harness_progress(void);
#define RUN(test) do { harness_test = #test; test(); } while (0)

/* Installed by harness_main: an unhandled exception prints a TAP-safe report
 * (address, module+offset, return addresses) and ends the process with the
 * exception code instead of starting Wine's debugger. */
void harness_install_crash_reporter(void);

int harness_main(void (*test)(void), const char *name);
/* Runs the test in a child process of the program (see harness.c). */
int harness_main_isolated(void (*test)(void), const char *name, DWORD timeout_ms);

#define START_TEST(name) \
    static void test_main_##name(void); \
    int main(void) { return harness_main(test_main_##name, #name); } \
    static void test_main_##name(void)

/* The same, the test running in a child process whose exit status does not
 * count once it passed every check (harness_main_isolated). */
#define START_TEST_ISOLATED(name, timeout_ms) \
    static void test_main_##name(void); \
    int main(void) { return harness_main_isolated(test_main_##name, #name, timeout_ms); } \
    static void test_main_##name(void)

#endif
