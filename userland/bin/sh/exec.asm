; Running a program: execve of the name itself when it has a /, else of each PATH
; directory joined with it (libc's path_search), as shells do.
%include "sh.inc"

section .rodata
not_found:  db "sh: %s: command not found", 10, 0
exec_fmt:   db "sh: %s: %s", 10, 0

section .bss
path:       resb PATH_MAX
not_runnable: resd 1            ; the error of a file found but not runnable, or 0

section .text

; void exec_path(char **argv): runs argv[0], looked up in PATH when it has no /.
; Does not return: exits 127 when nothing is found, 126 when it cannot be run.
global exec_path
exec_path:
    mov ebp, [esp + 4]          ; argv (the child needs no frame)
    mov ebx, [ebp]              ; the name
    ccall strchr, ebx, '/'
    test eax, eax
    jz .search
    ccall execve, ebx, ebp, [environ]
    mov edi, [errno]
    ccall strerror, edi
    ccall fprintf, [stderr], exec_fmt, ebx, eax
    mov eax, 126
    cmp edi, ENOENT
    jne .exit
    mov eax, 127
.exit:
    ccall exit, eax
.search:
    ccall path_search, ebx, path, PATH_MAX, try_exec, ebp
    mov edi, [not_runnable]     ; path_search returns only when nothing ran
    test edi, edi
    jz .not_found
    ccall strerror, edi
    ccall fprintf, [stderr], exec_fmt, ebx, eax
    ccall exit, 126
.not_found:
    ccall fprintf, [stderr], not_found, ebx
    ccall exit, 127

; int try_exec(const char *path, char **argv)           clobbers eax, ecx, edx
; path_search's test: runs path, and does not return if that works. Returns 0 to go on
; searching; an error other than "no such file" is kept in not_runnable to be reported.
try_exec:
    mov eax, [esp + 4]
    mov ecx, [esp + 8]
    ccall execve, eax, ecx, [environ]
    mov eax, [errno]
    cmp eax, ENOENT
    je .next
    cmp eax, ENOTDIR
    je .next
    mov [not_runnable], eax
.next:
    xor eax, eax
    ret
