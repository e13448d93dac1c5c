; clock: reads the clocks. clock_gettime through the system call for the real-time and the
; monotonic clock, then the monotonic clock again through the vDSO's __vdso_clock_gettime,
; which reads a page the kernel keeps up to date and makes no system call at all.
bits 32
%include "libc.inc"

CLOCK_REALTIME  equ 0
CLOCK_MONOTONIC equ 1

section .rodata
usage:      db "usage: clock", 10, 0
row_fmt:    db "%-10s %10u.%09u  %s", 10, 0
absent_fmt: db "%-10s %20s  %s", 10, 0
n_real:     db "realtime", 0
n_mono:     db "monotonic", 0
by_syscall: db "clock_gettime, system call", 0
by_vdso:    db "__vdso_clock_gettime, no system call", 0
absent:     db "-", 0
vdso_name:  db "__vdso_clock_gettime", 0
fail_name:  db "clock: clock_gettime", 0

section .bss
now:        resd 2              ; struct timespec { seconds, nanoseconds }

section .text
global main
main:
    push ebx
    cmp dword [esp + 8], 1
    jne .usage
    ccall clock_gettime, CLOCK_REALTIME, now
    test eax, eax
    jnz .failed
    ccall printf, row_fmt, n_real, [now], [now + 4], by_syscall
    ccall clock_gettime, CLOCK_MONOTONIC, now
    test eax, eax
    jnz .failed
    ccall printf, row_fmt, n_mono, [now], [now + 4], by_syscall
    ccall vdso_sym, vdso_name
    test eax, eax
    jz .no_vdso
    ccall eax, CLOCK_MONOTONIC, now
    test eax, eax
    jnz .failed
    ccall printf, row_fmt, n_mono, [now], [now + 4], by_vdso
    jmp .done
.no_vdso:
    ccall printf, absent_fmt, n_mono, absent, by_vdso
.done:
    xor eax, eax
    pop ebx
    ret
.failed:
    ccall perror, fail_name
    mov eax, 1
    pop ebx
    ret
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
    pop ebx
    ret
