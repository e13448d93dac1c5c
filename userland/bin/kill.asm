; kill [-SIGNAL] PID...: sends SIGNAL (a number or a name such as TERM or SIGTERM;
; TERM when none is given) to each process. kill -l lists the signal names.
bits 32
%include "libc.inc"

section .rodata
usage:      db "usage: kill [-SIGNAL] PID... | kill -l", 10, 0
bad_signal: db "kill: %s: invalid signal", 10, 0
bad_pid:    db "kill: %s: arguments must be process IDs", 10, 0
fail_fmt:   db "kill: (%s) - %s", 10, 0
list_fmt:   db "%2d) SIG%s", 10, 0
minus_l:    db "-l", 0
sig_prefix: db "SIG", 0

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    mov esi, 1                  ; the next argument
    mov edi, SIGTERM
    xor ebx, ebx                ; the exit status
    cmp dword [ebp + 8], 2
    jl .usage
    mov eax, [ebp + 12]
    mov eax, [eax + 4]
    ccall strcmp, eax, minus_l
    test eax, eax
    jz .list
    mov eax, [ebp + 12]
    mov eax, [eax + 4]
    cmp byte [eax], '-'
    jne .pids
    inc eax
    push eax
    call parse_signal
    add esp, 4
    test eax, eax
    jle .bad_signal
    mov edi, eax
    inc esi
    cmp esi, [ebp + 8]
    jge .usage
.pids:
    mov eax, [ebp + 12]
    mov eax, [eax + esi * 4]
    push eax
    push 0
    mov ecx, esp
    ccall strtol, eax, ecx, 10
    pop ecx                     ; end
    pop edx                     ; the argument
    cmp byte [edx], 0
    je .not_pid
    cmp byte [ecx], 0
    jne .not_pid
    push edx
    ccall kill, eax, edi
    pop edx
    test eax, eax
    jz .next
    push edx
    ccall strerror, [errno]
    pop edx
    ccall fprintf, [stderr], fail_fmt, edx, eax
    mov ebx, 1
    jmp .next
.not_pid:
    ccall fprintf, [stderr], bad_pid, edx
    mov ebx, 1
.next:
    inc esi
    cmp esi, [ebp + 8]
    jl .pids
    mov eax, ebx
    jmp .return
.list:
    mov ebx, 1
.list_next:
    ccall sigabbrev_np, ebx
    ccall printf, list_fmt, ebx, eax
    inc ebx
    cmp ebx, 31
    jbe .list_next
    xor eax, eax
    jmp .return
.bad_signal:
    mov eax, [ebp + 12]
    ccall fprintf, [stderr], bad_signal, [eax + 4]
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
.return:
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; int parse_signal(const char *s): the signal number for "9", "KILL" or "SIGKILL"; 0 if none.
parse_signal:
    push ebx
    push esi
    mov esi, [esp + 12]
    movzx eax, byte [esi]
    sub eax, '0'
    cmp eax, 9
    ja .name
    push 0
    mov ecx, esp
    ccall strtol, esi, ecx, 10
    pop ecx
    cmp byte [ecx], 0
    jne .none
    cmp eax, 64
    ja .none
    jmp .done
.name:
    ccall strncmp, esi, sig_prefix, 3
    test eax, eax
    jnz .bare
    add esi, 3
.bare:
    mov ebx, 1
.try:
    ccall sigabbrev_np, ebx
    ccall strcmp, eax, esi
    test eax, eax
    jz .found
    inc ebx
    cmp ebx, 31
    jbe .try
.none:
    xor eax, eax
    jmp .done
.found:
    mov eax, ebx
.done:
    pop esi
    pop ebx
    ret
