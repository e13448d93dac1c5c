; mechbench [ITERATIONS]: how many CPU cycles (rdtsc) one getpid costs through each way into
; the kernel this process has, next to a plain function call for scale. The ways: int 0x80
; directly, the vDSO's __kernel_vsyscall (when the kernel maps one), and the libc wrapper of
; the mechanism this program was built with.
bits 32
%include "libc.inc"

extern __vsyscall, __vsyscall_int80

DEFAULT_ITERATIONS equ 10000

section .rodata
usage:      db "usage: mechbench [ITERATIONS]", 10, 0
header:     db "%u calls each", 10, 0
row_fmt:    db "%-24s %8u cycles per call", 10, 0
absent_fmt: db "%-24s   (none: the kernel maps no vDSO)", 10, 0
n_call:     db "function call", 0
n_int80:    db "int 0x80", 0
n_vdso:     db "__kernel_vsyscall (vDSO)", 0
n_libc:     db "libc getpid()", 0

section .bss
iterations: resd 1

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    mov dword [iterations], DEFAULT_ITERATIONS
    cmp dword [ebp + 8], 2
    jg .usage
    jl .run
    mov eax, [ebp + 12]
    mov ebx, [eax + 4]
    push 0
    mov eax, esp
    ccall strtol, ebx, eax, 10
    pop ecx
    cmp byte [ebx], 0
    je .usage
    cmp byte [ecx], 0
    jne .usage
    cmp eax, 1
    jl .usage
    mov [iterations], eax
.run:
    ccall printf, header, [iterations]
    ccall measure, n_call, by_call
    ccall measure, n_int80, by_int80
    cmp dword [__vsyscall], __vsyscall_int80   ; crt0's stand-in: there is no vDSO
    jne .have_vdso
    ccall printf, absent_fmt, n_vdso
    jmp .libc
.have_vdso:
    ccall measure, n_vdso, by_vdso
.libc:
    ccall measure, n_libc, getpid
    xor eax, eax
    jmp .return
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop ebx
    pop ebp
    ret

; void measure(const char *name, void (*one)(void)): times iterations calls of one and prints
; the cycles per call.
measure:
    push ebx
    push esi
    push edi
    push ebp
    mov ebx, [esp + 24]         ; one
    call ebx                    ; once first, so the first-touch costs are not counted
    mov esi, [iterations]
    rdtsc
    mov edi, eax                ; start, low and high
    mov ebp, edx
.loop:
    call ebx
    dec esi
    jnz .loop
    rdtsc
    sub eax, edi
    sbb edx, ebp
    cmp edx, [iterations]
    jae .too_slow               ; the quotient would not fit in 32 bits
    div dword [iterations]
    jmp .print
.too_slow:
    mov eax, -1
.print:
    mov ecx, [esp + 20]
    ccall printf, row_fmt, ecx, eax
    pop ebp
    pop edi
    pop esi
    pop ebx
    ret

by_call:
    ret

by_int80:
    mov eax, __NR_getpid
    int 0x80
    ret

by_vdso:
    mov eax, __NR_getpid
    call [__vsyscall]
    ret
