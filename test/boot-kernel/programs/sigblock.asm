; sigblock: a signal handler that makes its own call through the argument block must not change
; what the interrupted code finds there. The program sends itself SIGUSR1 with kill() through
; the block; the signal is delivered as the call returns, and the handler calls getppid() through
; the same block. Back in the main line the block must still say kill, with kill's result 0:
; the kernel saved the block when it entered the handler and put it back at rt_sigreturn.
; Exit status: 0, or bits for what went wrong (1 the result, 2 the function, 4 no handler ran).
bits 32

NR_EXIT equ 1
NR_GETPID equ 20
NR_KILL equ 37
NR_GETPPID equ 64
NR_RT_SIGRETURN equ 173
NR_RT_SIGACTION equ 174
SIGUSR1 equ 10
SA_RESTORER equ 0x04000000
ARG_BLOCK equ 0x8000
AB_FUNCTION equ 0
AB_ARG1 equ 4
AB_ARG2 equ 8
AB_RESULT equ 16

section .data
action:     dd on_signal, SA_RESTORER, restorer, 0, 0
handled:    dd 0

section .text
global _start
_start:
        mov eax, NR_RT_SIGACTION
        mov ebx, SIGUSR1
        mov ecx, action
        xor edx, edx
        mov esi, 8
        int 0x80
        mov eax, NR_GETPID
        int 0x80
        mov dword [ARG_BLOCK + AB_FUNCTION], NR_KILL
        mov [ARG_BLOCK + AB_ARG1], eax
        mov dword [ARG_BLOCK + AB_ARG2], SIGUSR1
        mov dword [ARG_BLOCK + AB_RESULT], -1
        int 0x82
        xor ebx, ebx
        cmp dword [ARG_BLOCK + AB_RESULT], 0
        je .result_ok
        or ebx, 1
.result_ok:
        cmp dword [ARG_BLOCK + AB_FUNCTION], NR_KILL
        je .function_ok
        or ebx, 2
.function_ok:
        cmp dword [handled], 1
        je .exit
        or ebx, 4
.exit:
        mov eax, NR_EXIT
        int 0x80

on_signal:
        mov dword [ARG_BLOCK + AB_FUNCTION], NR_GETPPID
        int 0x82
        inc dword [handled]
        ret

restorer:
        mov eax, NR_RT_SIGRETURN
        int 0x80
