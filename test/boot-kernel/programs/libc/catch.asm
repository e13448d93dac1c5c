; catch: faults a program handles itself. Linux reports a fault on the console only when the
; signal kills by default (or is ignored); a handler the program installed takes it silently.
; `catch` dereferences NULL with a SIGSEGV handler installed, `catch int3` runs int3 with a SIGTRAP
; handler. The handler (SA_SIGINFO) prints what its frame says, from the siginfo (si_code, si_addr)
; and the sigcontext (trapno, err, cr2), and exits with the signal's number.
bits 32
%include "libc.inc"

SIGTRAP     equ 5
SIGSEGV     equ 11
SI_CODE     equ 8               ; siginfo: si_signo, si_errno, si_code, then si_addr
SI_ADDR     equ 12
SIGCONTEXT  equ 20              ; ucontext: uc_flags, uc_link, uc_stack (12), then the sigcontext
SC_TRAPNO   equ 48
SC_ERR      equ 52
SC_CR2      equ 84

section .rodata
report: db "catch: signal %d si_code %d si_addr %x trapno %d err %x cr2 %x", 10, 0

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

; on_signal(sig, siginfo *info, ucontext *uc): prints the frame's account, exits with sig.
on_signal:
    mov ecx, [esp + 4]              ; read before ccall's pushes move esp
    mov eax, [esp + 8]
    mov edx, [esp + 12]
    ccall printf, report, ecx, [eax + SI_CODE], [eax + SI_ADDR], [edx + SIGCONTEXT + SC_TRAPNO], [edx + SIGCONTEXT + SC_ERR], [edx + SIGCONTEXT + SC_CR2]
    ccall exit, dword [esp + 4]
