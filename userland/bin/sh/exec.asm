; Running a program: execve of the name itself when it has a /, else of each PATH
; directory joined with it (libc's path_next), as shells do.
%include "sh.inc"

section .rodata
not_found:  db "sh: %s: command not found", 10, 0
exec_fmt:   db "sh: %s: %s", 10, 0

section .bss
path:       resb PATH_MAX

section .text

; void exec_path(char **argv): runs argv[0], looked up in PATH when it has no /.
; Does not return: exits 127 when nothing is found, 126 when it cannot be run.
global exec_path
exec_path:
    mov ebp, [esp + 4]          ; argv (the child needs no frame)
    mov ebx, [ebp]              ; the name
    xor edi, edi                ; the error worth reporting, if any
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
    call path_dirs
    mov esi, eax                ; the directories not yet tried
.dir:
    ccall path_next, esi, ebx, path, PATH_MAX
    mov esi, eax
    cmp byte [path], 0
    je .next_dir                ; too long to be a file name
    ccall execve, path, ebp, [environ]
    mov eax, [errno]
    cmp eax, ENOENT
    je .next_dir
    cmp eax, ENOTDIR
    je .next_dir
    mov edi, eax                ; found but not runnable: that is the error to report
.next_dir:
    test esi, esi
    jnz .dir
.failed:
    test edi, edi
    jz .not_found
    ccall strerror, edi
    ccall fprintf, [stderr], exec_fmt, ebx, eax
    ccall exit, 126
.not_found:
    ccall fprintf, [stderr], not_found, ebx
    ccall exit, 127
