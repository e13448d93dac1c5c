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

; char *path_search(const char *name, char *out, size_t size,
;                   int (*accept)(const char *path, void *arg), void *arg)
;                                                       clobbers eax, ecx, edx
; Puts in out (size bytes) each PATH directory joined with name, in order, skipping those that
; do not fit, and calls accept(out, arg) on it. Returns out at the first candidate accept
; answers non-zero for, NULL when there is none.
global path_search:function
path_search:
    push ebx
    push esi
    push path_name
    call getenv
    add esp, 4
    mov esi, eax
    test esi, esi
    jnz .next
    mov esi, default_path
.next:                          ; esi: the directories not yet tried
    push dword [esp + 20]       ; size
    push dword [esp + 20]       ; out
    push dword [esp + 20]       ; name
    push esi
    call path_next
    add esp, 16
    mov esi, eax
    mov ebx, [esp + 16]         ; out
    cmp byte [ebx], 0
    je .rejected                ; too long to be a file name
    push dword [esp + 28]       ; arg
    push ebx
    call [esp + 32]             ; accept
    add esp, 8
    test eax, eax
    jz .rejected
    mov eax, ebx
    jmp .done
.rejected:
    test esi, esi
    jnz .next
    xor eax, eax
.done:
    pop esi
    pop ebx
    ret

; const char *path_next(const char *dirs, const char *name, char *out, size_t size)
;                                                       clobbers eax, ecx, edx
; Writes to out (size bytes, at least 1) the first directory of dirs ("." when it is empty),
; a slash and name; out is "" when that would not fit. Returns where the next directory
; starts, or NULL when dirs holds no more.
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
