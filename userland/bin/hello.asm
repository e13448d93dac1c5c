; hello: the first program. Prints one line through printf (buffered stdout, flushed at exit).
bits 32
%include "libc.inc"

section .rodata
greeting: db "Hello, world!", 10, 0

section .text
global main
main:
    ccall printf, greeting
    xor eax, eax
    ret
