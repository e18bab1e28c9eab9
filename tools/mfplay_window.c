/*
 * mfplay: the keys and the video window.
 *
 * The window belongs to the main thread, which runs its message loop while it
 * waits for the session (window_pump): the session's events arrive on
 * work-queue threads and are only announced to the window (WM_MFPLAY_EVENT),
 * never handled there.  As in Microsoft's BasicPlayback sample, WM_SIZE places
 * the video with IMFVideoDisplayControl::SetVideoPosition (here keeping the
 * picture's aspect ratio, letterboxed) and WM_PAINT asks the renderer to
 * RepaintVideo.  Keys only queue a request; the player acts on it between
 * its waits, so a key never runs a session command inside the window
 * procedure.
 */
#include <stdio.h>
#include "mfplay.h"
#include <evr.h>

/* ---- keys ---- */

#define KEY_QUEUE 32

static CRITICAL_SECTION key_lock;
static enum key key_queue[KEY_QUEUE];
static unsigned int key_head, key_count;
static DWORD main_thread_id;

void keys_init(void)
{
    InitializeCriticalSection(&key_lock);
    main_thread_id = GetCurrentThreadId();
}

void keys_push(enum key key)
{
    EnterCriticalSection(&key_lock);
    /* A full queue drops the key: a human pressing 32 keys ahead is not waited for. */
    if (key_count < KEY_QUEUE) key_queue[(key_head + key_count++) % KEY_QUEUE] = key;
    LeaveCriticalSection(&key_lock);
    /* Wakes the main thread if it waits in its message loop (fails harmlessly without a queue). */
    if (GetCurrentThreadId() != main_thread_id) PostThreadMessageW(main_thread_id, WM_MFPLAY_EVENT, 0, 0);
}

enum key keys_pop(void)
{
    enum key key = KEY_NONE;

    EnterCriticalSection(&key_lock);
    if (key_count)
    {
        key = key_queue[key_head];
        key_head = (key_head + 1) % KEY_QUEUE;
        --key_count;
    }
    LeaveCriticalSection(&key_lock);
    return key;
}

static enum key key_from_char(WCHAR c)
{
    switch (c)
    {
    case ' ': return KEY_PAUSE;
    case ',': case '<': return KEY_BACK;
    case '.': case '>': return KEY_FORWARD;
    case 'n': case 'N': return KEY_NEXT;
    case 'q': case 'Q': case 27: return KEY_QUIT;
    default: return KEY_NONE;
    }
}

static enum key key_from_vk(WORD vk)
{
    switch (vk)
    {
    case VK_SPACE: return KEY_PAUSE;
    case VK_LEFT: return KEY_BACK;
    case VK_RIGHT: return KEY_FORWARD;
    case 'N': return KEY_NEXT;
    case 'Q': case VK_ESCAPE: return KEY_QUIT;
    default: return KEY_NONE;
    }
}

/* Standard input: a console gives key records (arrows included), anything
 * else bytes.  The thread ends at end of file; at exit it is simply left
 * blocked in its read. */
static DWORD WINAPI stdin_thread(void *arg)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    INPUT_RECORD input;
    enum key key;
    DWORD mode, count;
    char c;

    if (GetConsoleMode(in, &mode))
    {
        while (ReadConsoleInputW(in, &input, 1, &count) && count)
        {
            if (input.EventType != KEY_EVENT || !input.Event.KeyEvent.bKeyDown) continue;
            key = key_from_vk(input.Event.KeyEvent.wVirtualKeyCode);
            if (key == KEY_NONE) key = key_from_char(input.Event.KeyEvent.uChar.UnicodeChar);
            if (key != KEY_NONE) keys_push(key);
        }
        return 0;
    }
    while (ReadFile(in, &c, 1, &count, NULL) && count)
        if ((key = key_from_char((WCHAR)(unsigned char)c)) != KEY_NONE) keys_push(key);
    return 0;
}

void keys_read_stdin(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE), thread;

    if (!in || in == INVALID_HANDLE_VALUE) return;
    if ((thread = CreateThread(NULL, 0, stdin_thread, NULL, 0, NULL))) CloseHandle(thread);
}

/* ---- the window ---- */

static IMFVideoDisplayControl *window_display;  /* one video window per process */
static RECT video_rect;                          /* where the picture is, in client coordinates */

/* The largest rectangle of the picture's aspect ratio centred in the client area. */
static void layout(HWND hwnd)
{
    SIZE native = {0}, aspect = {0};
    RECT client;
    LONG w, h, width, height;

    GetClientRect(hwnd, &client);
    video_rect = client;
    if (!window_display) return;
    if (FAILED(IMFVideoDisplayControl_GetNativeVideoSize(window_display, &native, &aspect))
            || aspect.cx <= 0 || aspect.cy <= 0)
        aspect = native;
    w = client.right - client.left;
    h = client.bottom - client.top;
    if (aspect.cx > 0 && aspect.cy > 0 && w > 0 && h > 0)
    {
        /* Full width if the picture is wider than the window, else full height. */
        if ((LONGLONG)w * aspect.cy <= (LONGLONG)h * aspect.cx)
        {
            width = w;
            height = (LONG)((LONGLONG)w * aspect.cy / aspect.cx);
        }
        else
        {
            height = h;
            width = (LONG)((LONGLONG)h * aspect.cx / aspect.cy);
        }
        video_rect.left = (w - width) / 2;
        video_rect.top = (h - height) / 2;
        video_rect.right = video_rect.left + width;
        video_rect.bottom = video_rect.top + height;
    }
    IMFVideoDisplayControl_SetVideoPosition(window_display, NULL, &video_rect);
    /* Said, so that a resize can be followed (and tested) from outside. */
    out_line("video position %ld,%ld-%ld,%ld in a %ldx%ld window", video_rect.left, video_rect.top,
            video_rect.right, video_rect.bottom, w, h);
}

/* The bars around the picture in black, the picture by the renderer. */
static void paint(HWND hwnd)
{
    HBRUSH black = GetStockObject(BLACK_BRUSH);
    PAINTSTRUCT ps;
    RECT client, bar;
    HDC hdc;

    hdc = BeginPaint(hwnd, &ps);
    GetClientRect(hwnd, &client);
    if (!window_display)
        FillRect(hdc, &client, black);
    else
    {
        SetRect(&bar, client.left, client.top, client.right, video_rect.top);
        FillRect(hdc, &bar, black);
        SetRect(&bar, client.left, video_rect.bottom, client.right, client.bottom);
        FillRect(hdc, &bar, black);
        SetRect(&bar, client.left, video_rect.top, video_rect.left, video_rect.bottom);
        FillRect(hdc, &bar, black);
        SetRect(&bar, video_rect.right, video_rect.top, client.right, video_rect.bottom);
        FillRect(hdc, &bar, black);
        IMFVideoDisplayControl_RepaintVideo(window_display);
    }
    EndPaint(hwnd, &ps);
}

static LRESULT CALLBACK window_proc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    enum key key;

    switch (message)
    {
    case WM_KEYDOWN:
        if ((key = key_from_vk((WORD)wparam)) != KEY_NONE) keys_push(key);
        return 0;
    case WM_CLOSE:
        /* The player closes the session first, then destroys the window. */
        keys_push(KEY_QUIT);
        return 0;
    case WM_SIZE:
        layout(hwnd);
        InvalidateRect(hwnd, NULL, FALSE);
        return 0;
    case WM_PAINT:
        paint(hwnd);
        return 0;
    case WM_ERASEBKGND:
        return 1;   /* paint() covers every pixel: no flicker */
    case WM_MFPLAY_EVENT:
        return 0;   /* only wakes the loop: the player reads the event */
    default:
        return DefWindowProcW(hwnd, message, wparam, lparam);
    }
}

HWND window_create(const WCHAR *title, UINT32 width, UINT32 height)
{
    static const WCHAR class_name[] = L"mfplay_video";
    RECT rect = {0, 0, width ? (LONG)width : 640, height ? (LONG)height : 480};
    WNDCLASSEXW wc = {sizeof(wc)};
    HWND hwnd;

    wc.lpfnWndProc = window_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.hCursor = LoadCursorW(NULL, (const WCHAR *)IDC_ARROW);
    wc.hbrBackground = GetStockObject(BLACK_BRUSH);
    wc.lpszClassName = class_name;
    if (!RegisterClassExW(&wc) && GetLastError() != ERROR_CLASS_ALREADY_EXISTS) return NULL;
    AdjustWindowRect(&rect, WS_OVERLAPPEDWINDOW, FALSE);
    hwnd = CreateWindowExW(0, class_name, title, WS_OVERLAPPEDWINDOW | WS_VISIBLE, CW_USEDEFAULT, CW_USEDEFAULT,
            rect.right - rect.left, rect.bottom - rect.top, NULL, NULL, wc.hInstance, NULL);
    if (!hwnd) return NULL;
    UpdateWindow(hwnd);
    window_pump(0);
    return hwnd;
}

void window_set_display(HWND hwnd, IMFVideoDisplayControl *display)
{
    if (window_display) IMFVideoDisplayControl_Release(window_display);
    if ((window_display = display)) IMFVideoDisplayControl_AddRef(display);
    layout(hwnd);
    InvalidateRect(hwnd, NULL, FALSE);
}

void window_pump(DWORD timeout_ms)
{
    MSG msg;

    MsgWaitForMultipleObjectsEx(0, NULL, timeout_ms, QS_ALLINPUT, MWMO_INPUTAVAILABLE);
    while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
    {
        TranslateMessage(&msg);
        DispatchMessageW(&msg);
    }
}

void window_destroy(HWND hwnd)
{
    if (!hwnd) return;
    if (window_display) IMFVideoDisplayControl_Release(window_display);
    window_display = NULL;
    DestroyWindow(hwnd);
    window_pump(0);
}
