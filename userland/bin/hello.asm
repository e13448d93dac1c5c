; hello: the first program. Prints one line through printf (buffered stdout, flushed at exit).
bits 32
%include "libc.inc"

section .rodata
greeting:   db "Hello, world!", 10, 0
usage:      db "usage: hello", 10, 0

section .text
global main
main:
    cmp dword [esp + 4], 1
    jne .usage
    ccall printf, greeting
    xor eax, eax
    ret
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
    ret
