; ls [-a1] [FILE]...: lists each directory's entries (read with getdents), sorted by byte
; value, one per line; names starting with "." only with -a. A FILE that is not a
; directory is listed as itself. With several operands, each directory gets a "NAME:"
; heading; operands are taken in the order given (GNU ls lists files before directories).
bits 32
%include "libc.inc"

BUFSIZE     equ 4096
D_RECLEN    equ 8               ; struct linux_dirent: d_ino, d_off, d_reclen (16 bits), d_name
D_NAME      equ 10
STAT_BYTES  equ 64

section .rodata
options:    db "a1", 0
usage:      db "usage: ls [-a1] [FILE]...", 10, 0
dot:        db ".", 0
program:    db "ls", 0
access_fmt: db "ls: cannot access '%s': %s", 10, 0
open_fmt:   db "ls: cannot open directory '%s': %s", 10, 0
heading_fmt: db "%s:", 10, 0
blank:      db 10, 0

section .bss
all:        resd 1              ; -a
status:     resd 1
buffer:     resb BUFSIZE
statbuf:    resb STAT_BYTES
names:      resd 1              ; a malloc'ed array of the entries' names
count:      resd 1
capacity:   resd 1

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
    cmp eax, 'a'
    jne .not_a
    mov dword [all], 1
    jmp .option
.not_a:
    cmp eax, '1'
    je .option
    ccall fputs, usage, [stderr]
    mov eax, 2
    jmp .return
.options_done:
    mov esi, [optind]
    mov edi, [ebp + 8]
    sub edi, esi                ; how many operands
    jnz .operands
    push dot
    push 0
    call list
    add esp, 8
    jmp .done
.operands:
    xor ebx, ebx
.each:
    mov eax, [ebp + 12]
    lea eax, [eax + esi * 4]
    mov eax, [eax + ebx * 4]
    xor ecx, ecx
    cmp edi, 1
    je .one
    mov ecx, ebx                ; headed, with a blank line before all but the first
    inc ecx
.one:
    push eax
    push ecx
    call list
    add esp, 8
    inc ebx
    cmp ebx, edi
    jl .each
.done:
    mov eax, [status]
.return:
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; void list(int heading, const char *path): heading 0 for none, 1 for the first, 2.. after.
list:
    push ebx
    push esi
    push edi
    mov esi, [esp + 20]         ; path
    ccall open, esi, O_RDONLY | O_DIRECTORY, 0
    test eax, eax
    jns .directory
    cmp dword [errno], ENOTDIR
    jne .cannot
    ccall puts, esi             ; a file names itself
    jmp .done
.cannot:
    ccall stat, esi, statbuf
    mov ecx, open_fmt           ; it exists but cannot be opened
    test eax, eax
    jz .report
    mov ecx, access_fmt
.report:
    push ecx
    ccall strerror, [errno]
    pop ecx
    ccall fprintf, [stderr], ecx, esi, eax
    mov dword [status], 2
    jmp .done
.directory:
    mov ebx, eax                ; the descriptor
    mov dword [count], 0
.read:
    ccall getdents, ebx, buffer, BUFSIZE
    test eax, eax
    jz .sort
    js .read_error
    mov edi, buffer
    lea edx, [buffer + eax]
.entry:
    cmp edi, edx
    jae .read
    lea eax, [edi + D_NAME]
    cmp byte [eax], '.'
    jne .keep
    cmp dword [all], 0
    je .skip
.keep:
    push edx
    push eax
    call add_name
    add esp, 4
    pop edx
.skip:
    movzx eax, word [edi + D_RECLEN]
    add edi, eax
    jmp .entry
.read_error:
    ccall strerror, [errno]
    ccall fprintf, [stderr], open_fmt, esi, eax
    mov dword [status], 2
.sort:
    ccall close, ebx
    call sort_names
    mov eax, [esp + 16]         ; heading
    test eax, eax
    jz .print
    cmp eax, 1
    je .heading
    ccall fputs, blank, [stdout]
.heading:
    ccall printf, heading_fmt, esi
.print:
    xor ebx, ebx
.print_next:
    cmp ebx, [count]
    jae .free
    mov eax, [names]
    mov edi, [eax + ebx * 4]
    ccall puts, edi
    ccall free, edi
    inc ebx
    jmp .print_next
.free:
    mov dword [count], 0
.done:
    pop edi
    pop esi
    pop ebx
    ret

; void add_name(const char *name): appends a copy of name to names, growing it as needed.
add_name:
    push ebx
    mov eax, [count]
    cmp eax, [capacity]
    jb .room
    mov eax, [capacity]
    add eax, eax
    add eax, 16
    mov [capacity], eax
    shl eax, 2
    ccall realloc, [names], eax
    test eax, eax
    jz .out_of_memory
    mov [names], eax
.room:
    ccall strlen, [esp + 8]
    inc eax
    push eax
    ccall malloc, eax
    pop ecx
    test eax, eax
    jz .out_of_memory
    mov ebx, eax
    ccall memcpy, ebx, [esp + 12], ecx
    mov eax, [names]
    mov ecx, [count]
    mov [eax + ecx * 4], ebx
    inc dword [count]
    pop ebx
    ret
.out_of_memory:
    ccall perror, program
    ccall exit, 2

; Sorts names by strcmp (insertion sort: directories here are small).
sort_names:
    push ebx
    push esi
    push edi
    push ebp
    mov ebp, [names]
    mov ebx, 1
.outer:
    cmp ebx, [count]
    jae .done
    mov esi, [ebp + ebx * 4]    ; the name to place
    mov edi, ebx
.inner:
    test edi, edi
    jz .place
    ccall strcmp, [ebp + edi * 4 - 4], esi
    test eax, eax
    jle .place
    mov eax, [ebp + edi * 4 - 4]
    mov [ebp + edi * 4], eax
    dec edi
    jmp .inner
.place:
    mov [ebp + edi * 4], esi
    inc ebx
    jmp .outer
.done:
    pop ebp
    pop edi
    pop esi
    pop ebx
    ret
