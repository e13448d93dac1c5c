; One wrapper function per system call of the kernel's table (SYSCALL_LIST in syscalls.inc),
; each made by the _syscallN macro of the mechanism chosen at build time, plus syscall(2).
bits 32
%include "syscalls.inc"
%include "syscall.inc"

extern errno

section .text

; int NAME(args...) for every call: the result, or -1 with errno set.   clobbers eax, ecx, edx
%macro WRAP 5
    _syscall%4 %2, %3
%endmacro
SYSCALL_LIST WRAP

; long syscall(long nr, ...)                        clobbers eax, ecx, edx
; Makes call nr with up to six arguments; the result, or -1 with errno set.
global syscall:function
syscall:
    __syscall_any

__syscall_error_def
