/*
 * The mf.dll redirect: a DLL named mf.dll that an unmodified application
 * loads instead of the system's.  It forwards every export to the system's
 * mf.dll (forward.c, thunks.c) except MFCreateMediaSession and
 * MFCreatePMPMediaSession, which create mfsession's session (session.c).
 * It shares no code with the session, only the IDL header.
 */
#ifndef MFSESSION_REDIRECT_H
#define MFSESSION_REDIRECT_H

#include <windows.h>

/* This module (set by DllMain, nothing else happens there). */
extern HINSTANCE redirect_module;

/* Loads the system's mf.dll and fills every forward's slot, once, on the
 * first call of any forward (never in DllMain); thread-safe.  Called by the
 * thunks' first-call path with the caller's registers saved. */
void forward_init(void);

/* The system's mf.dll after forward_init, NULL when it could not be loaded. */
HMODULE forward_system_module(void);

/* One of the system's exports by name, NULL when missing. */
FARPROC forward_system_export(const char *name);

/* Why the session was not ours, said once per process: OutputDebugString,
 * and when MFSESSION_TRACE names a file, a one-event Chrome trace there
 * (our session, which would have written it, is not loaded). */
void redirect_log_fallback(const WCHAR *reason);

/* Once per process: OutputDebugString only (no trace file, so that "the
 * file exists" keeps meaning "our session played"). */
void redirect_log_note(const WCHAR *message);

#endif
