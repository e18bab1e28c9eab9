/*
 * Helpers of the redirect's tests (test_redirect*.c): an application
 * directory holding an unmodified client and, when asked, the redirect and
 * mfsession.dll beside it, and running the client there with a timeout.
 */
#ifndef MFSESSION_TEST_REDIRECT_UTIL_H
#define MFSESSION_TEST_REDIRECT_UTIL_H

#include <windows.h>

/* The Windows path of a file named by an environment variable (a Unix path
 * is reached through Wine's Z: drive); FALSE when it is not set. */
BOOL env_path(const WCHAR *variable, WCHAR *path, DWORD size);

/* What goes into an application directory besides the client. */
enum app_files
{
    APP_CLIENT_ONLY = 0,
    APP_REDIRECT = 1,       /* build/src/redirect/mf.dll as mf.dll */
    APP_MFSESSION = 2,      /* mfsession.dll beside it */
};

struct app
{
    WCHAR dir[MAX_PATH];
    WCHAR exe[MAX_PATH];
    WCHAR trace[MAX_PATH];  /* dir\trace.json, the MFSESSION_TRACE of the run */
};

/* A fresh directory under %TEMP% with the client named by the environment
 * variable client_variable and the given files; FALSE (and a failed check)
 * when a file is missing. */
BOOL app_create(struct app *app, const WCHAR *client_variable, unsigned int files);
void app_remove(struct app *app);

/* Runs the application's client with args, MFSESSION_TRACE set to
 * app->trace and MFSESSION_REDIRECT set to redirect_value (NULL: unset);
 * returns its exit status (-1: did not start or did not end within
 * timeout_ms, then it is killed) and its output in out. */
int app_run(struct app *app, const WCHAR *args, const WCHAR *redirect_value, DWORD timeout_ms,
        char *out, DWORD size);

BOOL file_exists(const WCHAR *path);

/* A test WAV file: tone.wav of MFSESSION_MEDIA_DIR, else a 1 s tone written
 * into dir. */
void test_wav(const WCHAR *dir, WCHAR *path, DWORD size);

#endif
