/*
 * The thunks of the forwarded exports, in assembly, one set per export:
 *
 *   <name>                  the export: jump through redirect_slot_<name>
 *   redirect_first_<name>   the slot's first value: hand the slot to
 *                           redirect_first_call
 *   redirect_missing_<name> the slot's value when the system's mf.dll lacks
 *                           the export
 *
 * A jump, not a call, because the redirect must be invisible: the arguments
 * (registers, floating-point registers, stack) reach the system's function
 * exactly as the application passed them, whatever the prototype, and the
 * system's function returns straight to the application.  Per-function C
 * wrappers would need every prototype, and 27 exports have none published.
 *
 * redirect_first_call saves what the calling convention lets the caller pass
 * in volatile registers, calls forward_init (which fills every slot), and
 * jumps through the slot it was handed.
 */
#include <windows.h>

#include "exports.h"

#define STR2(x) #x
#define STR(x) STR2(x)
#define SYM(name) STR(__USER_LABEL_PREFIX__) #name

/* HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND): a documented export the system's
 * mf.dll lacks returns it. */
#define MISSING_HR "0x8007007f"

#if defined(__x86_64__)
#define JUMP_THROUGH_SLOT(name) "jmp *" SYM(redirect_slot_##name) "(%rip)"
#define SLOT_INTO_AX(name) "leaq " SYM(redirect_slot_##name) "(%rip), %rax"
#define RETURN(bytes) "ret"
#elif defined(__i386__)
#define JUMP_THROUGH_SLOT(name) "jmp *" SYM(redirect_slot_##name)
#define SLOT_INTO_AX(name) "movl $" SYM(redirect_slot_##name) ", %eax"
/* stdcall: the stand-in pops the arguments the caller pushed. */
#define RETURN(bytes) "ret $" #bytes
#else
#error "the mf.dll redirect has thunks for x86_64 and i386 only"
#endif

/* The export and its first-call path, then the stand-in's label. */
#define THUNK(name) \
    ".text\n" \
    ".globl " SYM(name) "\n" \
    ".def " SYM(name) "; .scl 2; .type 32; .endef\n" \
    SYM(name) ":\n\t" JUMP_THROUGH_SLOT(name) "\n" \
    ".globl " SYM(redirect_first_##name) "\n" \
    SYM(redirect_first_##name) ":\n\t" SLOT_INTO_AX(name) "\n\t" \
    "jmp " SYM(redirect_first_call) "\n" \
    ".globl " SYM(redirect_missing_##name) "\n" \
    SYM(redirect_missing_##name) ":\n\t"

#define FORWARD(name, bytes) __asm__(THUNK(name) "movl $" MISSING_HR ", %eax\n\t" RETURN(bytes) "\n");
#define FORWARD_UNDOCUMENTED(name) __asm__(THUNK(name) "jmp " SYM(redirect_missing_undocumented) "\n");

#if defined(__x86_64__)

/* %rax: the slot.  On entry %rsp is 8 mod 16 (the return address); the five
 * pushes and 0x60 bytes (xmm0-3 and the callee's 32-byte home area) leave it
 * 16-aligned for the call.  Unwind data so that a debugger or an exception
 * raised inside forward_init can walk through it. */
__asm__(".text\n"
        ".def " SYM(redirect_first_call) "; .scl 3; .type 32; .endef\n"
        ".seh_proc " SYM(redirect_first_call) "\n"
        SYM(redirect_first_call) ":\n\t"
        "pushq %rax\n\t.seh_pushreg %rax\n\t"
        "pushq %rcx\n\t.seh_pushreg %rcx\n\t"
        "pushq %rdx\n\t.seh_pushreg %rdx\n\t"
        "pushq %r8\n\t.seh_pushreg %r8\n\t"
        "pushq %r9\n\t.seh_pushreg %r9\n\t"
        "subq $0x60, %rsp\n\t.seh_stackalloc 0x60\n\t"
        ".seh_endprologue\n\t"
        "movdqu %xmm0, 0x20(%rsp)\n\t"
        "movdqu %xmm1, 0x30(%rsp)\n\t"
        "movdqu %xmm2, 0x40(%rsp)\n\t"
        "movdqu %xmm3, 0x50(%rsp)\n\t"
        "call " SYM(forward_init) "\n\t"
        "movdqu 0x20(%rsp), %xmm0\n\t"
        "movdqu 0x30(%rsp), %xmm1\n\t"
        "movdqu 0x40(%rsp), %xmm2\n\t"
        "movdqu 0x50(%rsp), %xmm3\n\t"
        "addq $0x60, %rsp\n\t"
        "popq %r9\n\t"
        "popq %r8\n\t"
        "popq %rdx\n\t"
        "popq %rcx\n\t"
        "popq %r11\n\t"
        "jmp *(%r11)\n\t"
        ".seh_endproc\n");

#else

/* %eax: the slot.  The arguments are on the stack, where they stay; %ecx
 * and %edx are saved for the conventions that pass arguments in them. */
__asm__(".text\n"
        SYM(redirect_first_call) ":\n\t"
        "pushl %eax\n\t"
        "pushl %ecx\n\t"
        "pushl %edx\n\t"
        "call " SYM(forward_init) "\n\t"
        "popl %edx\n\t"
        "popl %ecx\n\t"
        "popl %eax\n\t"
        "jmp *(%eax)\n");

#endif

REDIRECT_FORWARDS
