; forkdemo: fork, exit and wait. Three children in turn print who they are and exit with
; statuses 1, 2, 3, which the parent collects with waitpid; a fourth child is killed by a
; signal; then waitpid with no children left fails with ECHILD.
bits 32
%include "libc.inc"

CHILDREN    equ 3

section .rodata
usage:      db "usage: forkdemo", 10, 0
parent_fmt: db "parent: pid %d", 10, 0
child_fmt:  db "child %d: pid %d, parent %d, fork returned 0", 10, 0
forked_fmt: db "parent: fork returned %d", 10, 0
exited_fmt: db "parent: child %d exited with status %d", 10, 0
killed_fmt: db "parent: child %d killed by signal %d (SIG%s)", 10, 0
none_fmt:   db "parent: waitpid(-1) = %d, errno %d: %s", 10, 0
fork_name:  db "fork", 0

section .bss
wait_status: resd 1

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    cmp dword [ebp + 8], 1
    jne .usage
    call getpid
    ccall printf, parent_fmt, eax
    mov ebx, 1
.next_child:
    ccall fflush, [stdout]      ; or the child would print the parent's pending lines again
    call fork
    test eax, eax
    js .fork_failed
    jz .child
    mov esi, eax
    ccall printf, forked_fmt, esi
    ccall waitpid, esi, wait_status, 0
    call describe
    inc ebx
    cmp ebx, CHILDREN + 1
    jb .next_child
    ; one more child, which stops itself with SIGKILL
    ccall fflush, [stdout]
    call fork
    test eax, eax
    js .fork_failed
    jnz .killed_child
    call getpid
    ccall kill, eax, SIGKILL
    ccall exit, 99              ; not reached: SIGKILL cannot be caught
.killed_child:
    mov esi, eax
    ccall printf, forked_fmt, esi
    ccall waitpid, esi, wait_status, 0
    call describe
    ccall waitpid, -1, wait_status, 0
    push eax
    ccall strerror, [errno]
    pop ecx
    ccall printf, none_fmt, ecx, [errno], eax
    xor eax, eax
    jmp .return
.child:
    call getppid
    push eax
    call getpid
    pop ecx
    ccall printf, child_fmt, ebx, eax, ecx
    ccall exit, ebx
.fork_failed:
    ccall perror, fork_name
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

; Prints how child esi ended, from wait_status.
describe:
    mov eax, [wait_status]
    and eax, 0x7f
    jnz .signaled
    movzx eax, byte [wait_status + 1]
    ccall printf, exited_fmt, esi, eax
    ret
.signaled:
    push eax
    ccall sigabbrev_np, eax
    pop ecx
    ccall printf, killed_fmt, esi, ecx, eax
    ret
