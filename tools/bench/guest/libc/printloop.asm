; printloop N: N lines of formatted output through printf, then exit status 0: the console
; path's throughput for `make bench` (tools/bench/console.ts), every character through the
; libc's stdout buffer, write(), the kernel's console and its VGA writer.
bits 32
%include "libc.inc"

section .rodata
usage:      db "usage: printloop N", 10, 0
line_fmt:   db "%6d %-20s %08x the quick brown fox jumps over the lazy dog", 10, 0
what:       db "printf throughput", 0

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    cmp dword [ebp + 8], 2
    jne .usage
    mov eax, [ebp + 12]
    ccall atoi, [eax + 4]
    test eax, eax
    jl .usage
    mov esi, eax
    xor ebx, ebx
.line:
    cmp ebx, esi
    jge .done
    ccall printf, line_fmt, ebx, what, ebx
    inc ebx
    jmp .line
.done:
    xor eax, eax
    jmp .return
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop esi
    pop ebx
    pop ebp
    ret
