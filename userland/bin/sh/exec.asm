; Running a program: execve of the name itself when it has a /, else of each PATH
; directory joined with it, as shells do.
%include "sh.inc"

section .rodata
not_found:  db "sh: %s: command not found", 10, 0
exec_fmt:   db "sh: %s: %s", 10, 0
default_path: db "/bin", 0
path_name:  db "PATH", 0

section .bss
path:       resb 1024

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
    ccall getenv, path_name
    test eax, eax
    jnz .have_path
    mov eax, default_path
.have_path:
    mov esi, eax
.dir:
    ; path = the directory up to ':' or the end ("." when empty), "/", the name
    xor ecx, ecx
.copy_dir:
    mov al, [esi]
    test al, al
    jz .dir_end
    cmp al, ':'
    je .dir_end
    cmp ecx, 512
    jae .skip_char
    mov [path + ecx], al
    inc ecx
.skip_char:
    inc esi
    jmp .copy_dir
.dir_end:
    test ecx, ecx
    jnz .slash
    mov byte [path], '.'
    inc ecx
.slash:
    mov byte [path + ecx], '/'
    mov byte [path + ecx + 1], 0
    push esi
    ccall strlen, ebx
    pop esi
    cmp eax, 500
    jae .next_dir
    ccall strcat, path, ebx
    push esi
    ccall execve, path, ebp, [environ]
    pop esi
    mov eax, [errno]
    cmp eax, ENOENT
    je .next_dir
    cmp eax, ENOTDIR
    je .next_dir
    mov edi, eax                ; found but not runnable: that is the error to report
.next_dir:
    cmp byte [esi], 0
    je .failed
    inc esi
    jmp .dir
.failed:
    test edi, edi
    jz .not_found
    ccall strerror, edi
    ccall fprintf, [stderr], exec_fmt, ebx, eax
    ccall exit, 126
.not_found:
    ccall fprintf, [stderr], not_found, ebx
    ccall exit, 127
