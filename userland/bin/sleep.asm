; sleep SECONDS: waits that long (a decimal number, fractions allowed: 0.25) with nanosleep.
bits 32
%include "libc.inc"

section .rodata
usage:      db "usage: sleep SECONDS", 10, 0
fail_name:  db "sleep", 0

section .bss
request:    resd 2              ; struct timespec { seconds, nanoseconds }

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    cmp dword [ebp + 8], 2
    jne .usage
    mov eax, [ebp + 12]
    mov esi, [eax + 4]
    cmp byte [esi], 0
    je .usage
    xor ebx, ebx                ; seconds
.seconds:
    movzx eax, byte [esi]
    test eax, eax
    jz .sleep
    cmp al, '.'
    je .fraction
    sub eax, '0'
    cmp eax, 9
    ja .usage
    cmp ebx, 100000000
    jae .usage                  ; more than three years is surely a typing mistake
    imul ebx, ebx, 10
    add ebx, eax
    inc esi
    jmp .seconds
.fraction:
    mov [request], ebx
    inc esi
    xor ebx, ebx                ; nanoseconds
    mov ecx, 100000000          ; the weight of the next digit
.digit:
    movzx eax, byte [esi]
    test eax, eax
    jz .nanoseconds
    sub eax, '0'
    cmp eax, 9
    ja .usage
    imul eax, ecx
    add ebx, eax
    mov eax, ecx
    xor edx, edx
    push ebx
    mov ebx, 10
    div ebx
    pop ebx
    mov ecx, eax
    inc esi
    jmp .digit
.nanoseconds:
    mov [request + 4], ebx
    jmp .call
.sleep:
    mov [request], ebx
.call:
    ccall nanosleep, request, 0
    test eax, eax
    jz .done
    ccall perror, fail_name
    mov eax, 1
    jmp .return
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
    jmp .return
.done:
    xor eax, eax
.return:
    pop esi
    pop ebx
    pop ebp
    ret
