; catch: faults a program handles itself. Linux reports a fault on the console only when the
; signal kills by default (or is ignored); a handler the program installed takes it silently.
; `catch` dereferences NULL with a SIGSEGV handler installed, `catch int3` runs int3 with a SIGTRAP
; handler; each handler exits with the signal's number, so the status says which one ran.
bits 32
%include "libc.inc"

SIGTRAP equ 5
SIGSEGV equ 11

section .text
global main
main:
    cmp dword [esp + 4], 2          ; argc
    jae .trap
    ccall signal, SIGSEGV, on_signal
    mov eax, [0]
    ccall exit, 1
.trap:
    ccall signal, SIGTRAP, on_signal
    int3
    ccall exit, 1

; on_signal(sig): exits with sig as the status.
on_signal:
    ccall exit, dword [esp + 4]
