; echo [-n] [STRING]...: prints the arguments separated by spaces, then a newline (none
; with -n). Every other argument is text, as with the echo of a shell.
bits 32
%include "libc.inc"

section .rodata
minus_n:    db "-n", 0

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
    mov esi, [ebp + 12]         ; argv
    mov edi, 1                  ; the next argument
    xor ebx, ebx                ; 1 with -n
    cmp dword [ebp + 8], 2
    jl .words
    ccall strcmp, [esi + 4], minus_n
    test eax, eax
    jnz .words
    inc ebx
    inc edi
.words:
    mov ecx, edi                ; the first word gets no space before it
.next:
    cmp edi, [ebp + 8]
    jge .end
    cmp edi, ecx
    je .word
    push ecx
    ccall putchar, ' '
    pop ecx
.word:
    push ecx
    ccall fputs, [esi + edi * 4], [stdout]
    pop ecx
    inc edi
    jmp .next
.end:
    test ebx, ebx
    jnz .done
    ccall putchar, 10
.done:
    xor eax, eax
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret
