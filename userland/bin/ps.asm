; ps: lists the processes, from this kernel's teaching call kit_ps (Linux has no such call,
; so there ps says the kernel lacks it and exits with status 1).
bits 32
%include "libc.inc"

MAXPROCS    equ 64
PI_PID      equ 0               ; struct procinfo { int pid, ppid, pgid; char state, pad[3];
PI_PPID     equ 4               ;                   char name[16]; }
PI_PGID     equ 8
PI_STATE    equ 12
PI_NAME     equ 16
PI_BYTES    equ 32

section .rodata
usage:      db "usage: ps", 10, 0
header:     db "  PID  PPID  PGID S NAME", 10, 0
row_fmt:    db "%5d %5d %5d %c %.16s", 10, 0
missing_fmt: db "ps: this kernel has no kit_ps system call (%s)", 10, 0
fail_name:  db "ps: kit_ps", 0

section .bss
procs:      resb MAXPROCS * PI_BYTES

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    cmp dword [ebp + 8], 1
    jne .usage
    ccall kit_ps, procs, MAXPROCS
    test eax, eax
    js .failed
    mov esi, eax
    ccall fputs, header, [stdout]
    mov ebx, procs
.row:
    test esi, esi
    jz .done
    movzx eax, byte [ebx + PI_STATE]
    lea ecx, [ebx + PI_NAME]
    ccall printf, row_fmt, [ebx + PI_PID], [ebx + PI_PPID], [ebx + PI_PGID], eax, ecx
    add ebx, PI_BYTES
    dec esi
    jmp .row
.done:
    xor eax, eax
    jmp .return
.failed:
    cmp dword [errno], ENOSYS
    jne .other
    ccall strerror, ENOSYS
    ccall fprintf, [stderr], missing_fmt, eax
    jmp .status1
.other:
    ccall perror, fail_name
.status1:
    mov eax, 1
    jmp .return
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop esi
    pop ebx
    pop ebp
    ret
