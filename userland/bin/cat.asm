; cat [FILE]...: copies each file (standard input for "-" or when there is none) to
; standard output. A file that cannot be read is reported and skipped; exit status 1 then.
bits 32
%include "libc.inc"

BUFSIZE     equ 4096

section .rodata
usage:      db "usage: cat [FILE]...", 10, 0
dash:       db "-", 0
err_fmt:    db "cat: %s: %s", 10, 0
empty:      db 0

section .bss
buffer:     resb BUFSIZE

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    xor edi, edi                ; the exit status
    ccall getopt, [ebp + 8], [ebp + 12], empty
    cmp eax, -1
    jne .usage
    mov esi, [optind]
    cmp esi, [ebp + 8]
    jl .files
    push dash
    push 0
    call copy
    add esp, 8
    or edi, eax
    jmp .done
.files:
    mov eax, [ebp + 12]
    mov ebx, [eax + esi * 4]
    ccall strcmp, ebx, dash
    test eax, eax
    jnz .open
    push dash
    push 0
    call copy
    add esp, 8
    or edi, eax
    jmp .next
.open:
    ccall open, ebx, O_RDONLY, 0
    test eax, eax
    js .cannot
    push eax
    push ebx
    push eax
    call copy
    add esp, 8
    or edi, eax
    call close
    add esp, 4
    jmp .next
.cannot:
    ccall strerror, [errno]
    ccall fprintf, [stderr], err_fmt, ebx, eax
    mov edi, 1
.next:
    inc esi
    cmp esi, [ebp + 8]
    jl .files
.done:
    mov eax, edi
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret
.usage:
    ccall fputs, usage, [stderr]
    mov edi, 2
    jmp .done

; int copy(int fd, const char *name): copies fd to standard output; 0, or 1 after reporting
; a read or write error.
copy:
    push ebx
    push esi
    push edi
    mov ebx, [esp + 16]
.read:
    ccall read, ebx, buffer, BUFSIZE
    test eax, eax
    jz .ok
    js .error
    mov esi, eax                ; bytes left to write
    mov edi, buffer
.write:
    ccall write, 1, edi, esi
    test eax, eax
    js .error
    add edi, eax
    sub esi, eax
    jnz .write
    jmp .read
.error:
    ccall strerror, [errno]
    mov ecx, [esp + 20]
    ccall fprintf, [stderr], err_fmt, ecx, eax
    mov eax, 1
    jmp .out
.ok:
    xor eax, eax
.out:
    pop edi
    pop esi
    pop ebx
    ret
