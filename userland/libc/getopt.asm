; A small getopt: clustered flags (-ab), arguments attached or separate (-n5, -n 5), "--"
; ends the options, and the first non-option argument ends them too (POSIX order).
bits 32

extern stderr, fprintf

section .data
; int optind, opterr; char *optarg; int optopt
global optind:data, opterr:data, optarg:data, optopt:data
optind:     dd 1
opterr:     dd 1
optarg:     dd 0
optopt:     dd 0
next_char:  dd 0                ; inside a cluster: the next flag letter, else 0

section .rodata
bad_option: db "%s: invalid option -- '%c'", 10, 0
no_argument: db "%s: option requires an argument -- '%c'", 10, 0

section .text

; int getopt(int argc, char *const argv[], const char *optstring)   clobbers eax, ecx, edx
; The next option letter; '?' for an unknown letter or a missing argument (':' for the
; latter when optstring starts with ':', which also silences the messages); -1 at the end.
global getopt:function
getopt:
    push ebx
    push esi
    push edi
    mov edi, [esp + 20]         ; argv
    mov dword [optarg], 0
    mov esi, [next_char]
    test esi, esi
    jnz .letter
    mov eax, [optind]
    cmp eax, [esp + 16]
    jge .end
    mov esi, [edi + eax * 4]
    cmp byte [esi], '-'
    jne .end
    cmp byte [esi + 1], 0
    je .end                     ; "-" alone is an operand (stdin, by custom)
    inc esi
    cmp word [esi], '-'         ; "--" and its NUL
    jne .letter
    inc dword [optind]
    jmp .end
.letter:
    movzx ebx, byte [esi]
    inc esi
    mov [optopt], ebx
    mov [next_char], esi
    cmp byte [esi], 0
    jne .find
    mov dword [next_char], 0
    inc dword [optind]
.find:
    mov ecx, [esp + 24]         ; optstring
    cmp byte [ecx], ':'
    jne .search
    inc ecx
.search:
    mov al, [ecx]
    test al, al
    jz .unknown
    cmp al, ':'
    je .skip
    cmp al, bl
    je .found
.skip:
    inc ecx
    jmp .search
.found:
    cmp byte [ecx + 1], ':'
    jne .flag
    mov eax, [next_char]        ; the argument: the rest of this word, or the next word
    test eax, eax
    jz .separate
    mov [optarg], eax
    mov dword [next_char], 0
    inc dword [optind]
    jmp .flag
.separate:
    mov eax, [optind]
    cmp eax, [esp + 16]
    jge .missing
    mov eax, [edi + eax * 4]
    mov [optarg], eax
    inc dword [optind]
.flag:
    mov eax, ebx
    jmp .done
.missing:
    mov ecx, no_argument
    mov eax, [esp + 24]
    cmp byte [eax], ':'
    jne .complain
    mov eax, ':'
    jmp .done
.unknown:
    mov ecx, bad_option
.complain:
    mov eax, [esp + 24]
    cmp byte [eax], ':'
    je .question
    cmp dword [opterr], 0
    je .question
    push ebx
    push dword [edi]
    push ecx
    push dword [stderr]
    call fprintf
    add esp, 16
.question:
    mov eax, '?'
    jmp .done
.end:
    mov eax, -1
.done:
    pop edi
    pop esi
    pop ebx
    ret
