; wc [-lwc] [FILE]...: counts lines, words and bytes of each file (standard input for "-"
; or when there is none) and a total for several, laid out as GNU coreutils' wc does: every
; count right-aligned to the digits of the regular files' total size (at least 7 when an
; input is not a regular file; 1 when there is one input and one count).
bits 32
%include "libc.inc"

MAXFILES    equ 64
BUFSIZE     equ 4096
S_IFMT      equ 0o170000
S_IFREG     equ 0o100000
ST_MODE     equ 8               ; offsets in the i386 struct stat
ST_SIZE     equ 20
STAT_BYTES  equ 64

section .rodata
options:    db "lwc", 0
usage:      db "usage: wc [-lwc] [FILE]...", 10, 0
dash:       db "-", 0
total_name: db "total", 0
err_fmt:    db "wc: %s: %s", 10, 0
count_fmt:  db "%*u", 0
name_fmt:   db " %s", 0

section .bss
show:       resd 3              ; lines, words, bytes: 1 when shown
counts:     resd 3              ; of the current input
totals:     resd 3
width:      resd 1
status:     resd 1
statbuf:    resb STAT_BYTES
buffer:     resb BUFSIZE

section .text
global main
main:
    push ebp
    mov ebp, esp
    push ebx
    push esi
    push edi
.option:
    ccall getopt, [ebp + 8], [ebp + 12], options
    cmp eax, -1
    je .options_done
    cmp eax, 'l'
    jne .not_l
    mov dword [show], 1
    jmp .option
.not_l:
    cmp eax, 'w'
    jne .not_w
    mov dword [show + 4], 1
    jmp .option
.not_w:
    cmp eax, 'c'
    jne .usage
    mov dword [show + 8], 1
    jmp .option
.usage:
    ccall fputs, usage, [stderr]
    mov eax, 2
    jmp .return
.options_done:
    mov eax, [show]
    or eax, [show + 4]
    or eax, [show + 8]
    jnz .shown
    mov dword [show], 1         ; none asked for: all three
    mov dword [show + 4], 1
    mov dword [show + 8], 1
.shown:
    mov esi, [optind]           ; the first file argument
    mov edi, [ebp + 8]
    sub edi, esi                ; how many
    cmp edi, MAXFILES
    jle .measure
    mov edi, MAXFILES
.measure:
    call number_width
    test edi, edi
    jnz .files
    push 0                      ; no file: standard input, printed without a name
    push 0
    call count_fd
    add esp, 8
    push 0
    call print_counts
    add esp, 4
    jmp .finish
.files:
    xor ebx, ebx
.file:
    mov eax, [ebp + 12]
    lea eax, [eax + esi * 4]
    mov eax, [eax + ebx * 4 + 0]
    push eax                    ; the name, kept for printing
    ccall strcmp, eax, dash
    test eax, eax
    jnz .open
    push dword [esp]
    push 0
    call count_fd
    add esp, 8
    jmp .print
.open:
    mov eax, [esp]
    ccall open, eax, O_RDONLY, 0
    test eax, eax
    js .cannot
    push eax
    push dword [esp + 4]
    push eax
    call count_fd
    add esp, 8
    call close
    add esp, 4
.print:
    call print_counts           ; the name is the argument already on the stack
    add esp, 4
    mov ecx, 0
.add:
    mov eax, [counts + ecx * 4]
    add [totals + ecx * 4], eax
    inc ecx
    cmp ecx, 3
    jl .add
    jmp .next
.cannot:
    ccall strerror, [errno]
    pop ecx
    ccall fprintf, [stderr], err_fmt, ecx, eax
    mov dword [status], 1
.next:
    inc ebx
    cmp ebx, edi
    jl .file
    cmp edi, 1
    jle .finish
    mov eax, [totals]
    mov [counts], eax
    mov eax, [totals + 4]
    mov [counts + 4], eax
    mov eax, [totals + 8]
    mov [counts + 8], eax
    push total_name
    call print_counts
    add esp, 4
.finish:
    mov eax, [status]
.return:
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; Sets width from the inputs: esi = index of the first file in argv, edi = how many files
; (0: standard input). [ebp + 12] is main's argv.
number_width:
    push ebx
    mov eax, [show]
    add eax, [show + 4]
    add eax, [show + 8]
    cmp eax, 1
    jne .measure
    cmp edi, 1
    jg .measure
    mov dword [width], 1        ; one count of one input: no padding
    jmp .done
.measure:
    push 0                      ; [esp + 4]: the minimum width
    push 0                      ; [esp]: the regular files' total size
    xor ebx, ebx
    test edi, edi
    jnz .each
    ccall fstat, 0, statbuf
    test eax, eax
    js .done_inputs
    call .account
    jmp .done_inputs
.each:
    mov eax, [ebp + 12]
    lea eax, [eax + esi * 4]
    mov ecx, [eax + ebx * 4]
    push ecx
    ccall strcmp, ecx, dash
    pop ecx
    test eax, eax
    jnz .by_name
    ccall fstat, 0, statbuf
    jmp .stated
.by_name:
    ccall stat, ecx, statbuf
.stated:
    test eax, eax
    js .failed
    call .account
    jmp .following
.failed:
    test ebx, ebx               ; coreutils: when the first input cannot be examined, width 1
    jnz .following
    mov dword [esp + 4], 0
    mov dword [esp], 0
    jmp .done_inputs
.following:
    inc ebx
    cmp ebx, edi
    jl .each
.done_inputs:
    pop eax                     ; total size
    mov ecx, 1
.digits:
    cmp eax, 10
    jb .digits_done
    xor edx, edx
    push ecx
    mov ecx, 10
    div ecx
    pop ecx
    inc ecx
    jmp .digits
.digits_done:
    pop eax                     ; minimum
    cmp ecx, eax
    jge .set
    mov ecx, eax
.set:
    mov [width], ecx
.done:
    pop ebx
    ret
; adds statbuf to the running total, or raises the minimum to 7 (a pipe or terminal)
.account:
    movzx eax, word [statbuf + ST_MODE]
    and eax, S_IFMT
    cmp eax, S_IFREG
    jne .special
    mov eax, [statbuf + ST_SIZE]
    add [esp + 4], eax
    ret
.special:
    mov dword [esp + 8], 7
    ret

; int count_fd(int fd, const char *name): fills counts; 0, or 1 after reporting a read error.
count_fd:
    push ebx
    push esi
    push edi
    push ebp
    mov dword [counts], 0
    mov dword [counts + 4], 0
    mov dword [counts + 8], 0
    xor ebp, ebp                ; 1 inside a word
.read:
    mov eax, [esp + 20]
    ccall read, eax, buffer, BUFSIZE
    test eax, eax
    jz .ok
    js .error
    add [counts + 8], eax
    mov esi, buffer
    mov edi, eax
.byte:
    movzx eax, byte [esi]
    cmp al, 10
    jne .not_newline
    inc dword [counts]
.not_newline:
    cmp al, ' '
    je .space
    cmp al, 9
    jb .inword
    cmp al, 13
    jbe .space
.inword:
    test ebp, ebp
    jnz .continue
    inc ebp
    inc dword [counts + 4]
    jmp .continue
.space:
    xor ebp, ebp
.continue:
    inc esi
    dec edi
    jnz .byte
    jmp .read
.error:
    ccall strerror, [errno]
    mov ecx, [esp + 24]
    ccall fprintf, [stderr], err_fmt, ecx, eax
    mov dword [status], 1
.ok:
    xor eax, eax
    pop ebp
    pop edi
    pop esi
    pop ebx
    ret

; void print_counts(const char *name): the shown counts, then the name if not NULL.
print_counts:
    push ebx
    push esi
    xor ebx, ebx
    xor esi, esi                ; 1 once a count is printed
.each:
    cmp dword [show + ebx * 4], 0
    je .skip
    test esi, esi
    jz .first
    ccall putchar, ' '
.first:
    ccall printf, count_fmt, [width], [counts + ebx * 4]
    mov esi, 1
.skip:
    inc ebx
    cmp ebx, 3
    jl .each
    mov eax, [esp + 12]
    test eax, eax
    jz .newline
    ccall printf, name_fmt, eax
.newline:
    ccall putchar, 10
    pop esi
    pop ebx
    ret
