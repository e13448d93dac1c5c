; false: does nothing, unsuccessfully (exit status 1).
bits 32
section .text
global main
main:
    mov eax, 1
    ret
