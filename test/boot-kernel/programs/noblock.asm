; noblock: a program whose own code sits where the argument block would be (linked with
; -Ttext 0x8000), so the kernel maps no block for it, makes a call through int 0x82 anyway.
; The kernel must kill it with a message, not fault on the read-only page.
bits 32
section .text
global _start
_start:
        int 0x82
        mov eax, 1                      ; exit(0), never reached
        xor ebx, ebx
        int 0x80
