; roundtrip CALL N: N calls of CALL in a loop, then exit status 0. The mechanism benchmark
; (tools/bench/mechanisms.ts) runs it and counts what one pass of the loop executes. CALL is
;   getpid      the libc wrapper, so the system call goes through the mechanism this program
;               was linked for
;   vdso-time   clock_gettime(CLOCK_MONOTONIC) through the vDSO's __vdso_clock_gettime: no trap
; Exit status 3 when the kernel maps no vDSO (no vdso-time here), 2 for bad arguments.
bits 32
%include "libc.inc"

CLOCK_MONOTONIC equ 1

section .rodata
usage:      db "usage: roundtrip getpid|vdso-time N", 10, 0
n_getpid:   db "getpid", 0
n_time:     db "vdso-time", 0
vdso_name:  db "__vdso_clock_gettime", 0

section .bss
now:        resd 2              ; struct timespec

section .text
global main, getpid_loop, vdso_time_loop
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    cmp dword [ebp + 8], 3
    jne .usage
    mov ebx, [ebp + 12]
    ccall atoi, [ebx + 8]
    mov esi, eax                ; N
    test esi, esi
    jl .usage
    ccall strcmp, [ebx + 4], n_getpid
    test eax, eax
    jz .getpid
    ccall strcmp, [ebx + 4], n_time
    test eax, eax
    jnz .usage
    ccall vdso_sym, vdso_name
    test eax, eax
    jz .no_vdso
    ccall vdso_time_calls, eax, esi
    jmp .done
.getpid:
    ccall getpid_calls, esi
.done:
    xor eax, eax
    jmp .return
.no_vdso:
    mov eax, 3
    jmp .return
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop esi
    pop ebx
    pop ebp
    ret

; void getpid_calls(int n): n calls of the libc's getpid.
getpid_calls:
    push esi
    mov esi, [esp + 8]
    test esi, esi
    jz getpid_calls_done
getpid_loop:                    ; one pass: the call, the count
    call getpid
    dec esi
    jnz getpid_loop
getpid_calls_done:
    pop esi
    ret

; void vdso_time_calls(int (*clock_gettime)(int, struct timespec *), int n): n cdecl calls of
; the vDSO's clock_gettime(CLOCK_MONOTONIC, &now).
vdso_time_calls:
    push ebx
    push esi
    mov ebx, [esp + 12]
    mov esi, [esp + 16]
    test esi, esi
    jz vdso_time_calls_done
vdso_time_loop:                 ; one pass: the arguments, the call, the count
    push now
    push CLOCK_MONOTONIC
    call ebx
    add esp, 8
    dec esi
    jnz vdso_time_loop
vdso_time_calls_done:
    pop esi
    pop ebx
    ret
