; faults [NAME]...: runs each fault in a child process and reports, from the wait status,
; how the child died. A user program cannot do these things: the CPU raises an exception
; and the kernel turns it into a signal (on Linux: #PF -> SIGSEGV, #GP -> SIGSEGV,
; #UD -> SIGILL, #DE -> SIGFPE, #BP -> SIGTRAP). Without NAME, all of them.
bits 32
%include "libc.inc"

section .rodata
faults:
    dd n_null, null_dereference
    dd n_code, write_to_code
    dd n_cli, do_cli
    dd n_hlt, do_hlt
    dd n_int13, do_int13
    dd n_div, divide_by_zero
    dd n_ud2, do_ud2
    dd n_int3, do_int3
    dd 0
n_null:     db "null", 0
n_code:     db "code", 0
n_cli:      db "cli", 0
n_hlt:      db "hlt", 0
n_int13:    db "int13", 0
n_div:      db "div0", 0
n_ud2:      db "ud2", 0
n_int3:     db "int3", 0
usage:      db "usage: faults [null|code|cli|hlt|int13|div0|ud2|int3]...", 10, 0
killed_fmt: db "%-6s killed by SIG%s (%s)", 10, 0
exited_fmt: db "%-6s survived: exit status %d", 10, 0
fork_name:  db "fork", 0

section .bss
wait_status: resd 1

section .text
global main
main:
    push ebp
    mov ebp, esp
    ccall run_named, faults, [ebp + 8], [ebp + 12], run_fault
    test eax, eax
    jz .return
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop ebp
    ret

; void run_fault(entry *e): forks; the child does the fault, the parent reports.
run_fault:
    push ebx
    mov ebx, [esp + 8]
    ccall fflush, [stdout]
    call fork
    test eax, eax
    js .failed
    jnz .parent
    call [ebx + 4]
    ccall exit, 0               ; the fault did not happen
.parent:
    ccall waitpid, eax, wait_status, 0
    mov eax, [wait_status]
    and eax, 0x7f
    jz .survived
    push eax
    ccall strsignal, eax
    xchg eax, [esp]
    ccall sigabbrev_np, eax
    pop ecx
    ccall printf, killed_fmt, [ebx], eax, ecx
    jmp .done
.survived:
    movzx eax, byte [wait_status + 1]
    ccall printf, exited_fmt, [ebx], eax
    jmp .done
.failed:
    ccall perror, fork_name
.done:
    pop ebx
    ret

; The faults. Each is an ordinary function in case the CPU lets it through.
null_dereference:               ; #PF: page 0 is not mapped
    mov eax, [0]
    ret
write_to_code:                  ; #PF: the text segment is mapped read-only
    mov byte [write_to_code], 0xc3
    ret
do_cli:                         ; #GP: cli needs CPL <= IOPL, and IOPL is 0
    cli
    ret
do_hlt:                         ; #GP: hlt is privileged
    hlt
    ret
do_int13:                       ; #GP: vector 13's gate has DPL 0, so ring 3 cannot use it
    int 13
    ret
divide_by_zero:                 ; #DE
    xor edx, edx
    mov eax, 1
    xor ecx, ecx
    div ecx
    ret
do_ud2:                         ; #UD: the instruction defined to be undefined
    ud2
    ret
do_int3:                        ; #BP: the breakpoint, whose gate ring 3 may use (DPL 3)
    int3
    ret
