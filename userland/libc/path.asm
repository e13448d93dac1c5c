; Finding a program the way shells do: each directory of $PATH in turn (an empty entry is the
; current directory), /bin when PATH is unset. The caller decides what counts as found (the
; shell tries execve on each candidate; strace looks for an executable regular file).
bits 32

extern getenv

section .rodata
path_name:  db "PATH", 0
default_path: db "/bin", 0
current:    db "."

section .text

; const char *path_dirs(void)                           clobbers eax, ecx, edx
; The directories to search, separated by colons: $PATH, or "/bin" when it is unset.
global path_dirs:function
path_dirs:
    push path_name
    call getenv
    add esp, 4
    test eax, eax
    jnz .done
    mov eax, default_path
.done:
    ret

; const char *path_next(const char *dirs, const char *name, char *out, size_t size)
;                                                       clobbers eax, ecx, edx
; Writes to out (size bytes, at least 1) the first directory of dirs ("." when it is empty),
; a slash and name; out is "" when that would not fit. Returns where the next directory
; starts, or NULL when dirs holds no more.
global path_next:function
path_next:
    push ebx
    push esi
    push edi
    mov esi, [esp + 16]         ; dirs
    mov ebx, esi
.scan:                          ; ebx: the end of the first directory
    mov al, [ebx]
    test al, al
    jz .scanned
    cmp al, ':'
    je .scanned
    inc ebx
    jmp .scan
.scanned:
    mov edi, [esp + 24]         ; out
    mov byte [edi], 0
    mov ecx, ebx
    sub ecx, esi                ; the directory's length
    jnz .measure
    mov esi, current
    inc ecx
.measure:
    mov edx, [esp + 20]         ; name
    xor eax, eax
.name_length:
    cmp byte [edx + eax], 0
    je .fits
    inc eax
    jmp .name_length
.fits:
    lea eax, [ecx + eax + 2]    ; directory, slash, name, NUL
    cmp eax, [esp + 28]
    ja .next
    rep movsb
    mov byte [edi], '/'
    inc edi
    mov esi, edx
.copy_name:
    lodsb
    stosb
    test al, al
    jnz .copy_name
.next:
    xor eax, eax
    cmp byte [ebx], 0
    je .return
    lea eax, [ebx + 1]
.return:
    pop edi
    pop esi
    pop ebx
    ret
