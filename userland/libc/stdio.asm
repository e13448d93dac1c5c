; Buffered streams: stdin, stdout (line-buffered on a terminal, else flushed when full and
; at exit), stderr (unbuffered); character, string and line input and output.
bits 32
%include "file.inc"

extern read, write, ioctl, errno

TCGETS      equ 0x5401          ; the terminal-attributes ioctl: it fails on anything but a tty
BUFSIZE     equ 1024

section .data
stdin_file:  dd 0, 0, 0, 0, stdin_buf, BUFSIZE
stdout_file: dd 1, 0, 0, 0, stdout_buf, BUFSIZE
stderr_file: dd 2, F_UNBUF, 0, 0, 0, 0

; FILE *stdin, *stdout, *stderr
global stdin:data, stdout:data, stderr:data
stdin:  dd stdin_file
stdout: dd stdout_file
stderr: dd stderr_file

section .bss
stdin_buf:  resb BUFSIZE
stdout_buf: resb BUFSIZE
termios:    resb 64

section .text

; int fflush(FILE *f)                               clobbers eax, ecx, edx
; Writes what f holds (all streams when f is NULL); 0, or EOF on a write error.
global fflush:function
fflush:
    mov eax, [esp + 4]
    test eax, eax
    jnz flush_one
    push dword [stdout]
    call flush_one_cdecl
    add esp, 4
    push eax
    push dword [stderr]
    call flush_one_cdecl
    add esp, 4
    pop ecx
    or eax, ecx
    ret
flush_one_cdecl:
    mov eax, [esp + 4]
; eax = the stream; returns 0 or -1 in eax.
flush_one:
    push ebx
    push esi
    mov ebx, eax
    xor esi, esi                ; bytes written so far
    test dword [ebx + FILE_FLAGS], F_UNBUF
    jnz .ok
.more:
    mov eax, [ebx + FILE_POS]
    sub eax, esi
    jbe .ok
    push eax
    mov eax, [ebx + FILE_BUF]
    add eax, esi
    push eax
    push dword [ebx + FILE_FD]
    call write
    add esp, 12
    cmp eax, 0
    jle .error
    add esi, eax
    jmp .more
.error:
    or dword [ebx + FILE_FLAGS], F_ERR
    mov dword [ebx + FILE_POS], 0
    mov eax, EOF_VALUE
    jmp .done
.ok:
    mov dword [ebx + FILE_POS], 0
    xor eax, eax
.done:
    pop esi
    pop ebx
    ret

; Asks once whether the stream's descriptor is a terminal and makes it line-buffered if so.
; ebx = the stream.
check_tty:
    or dword [ebx + FILE_FLAGS], F_CHECKED
    push termios
    push TCGETS
    push dword [ebx + FILE_FD]
    call ioctl
    add esp, 12
    test eax, eax
    jnz .not
    or dword [ebx + FILE_FLAGS], F_LINEBUF
.not:
    ret

; int fputc(int c, FILE *f)                         clobbers eax, ecx, edx
; Returns c as an unsigned char, or EOF on a write error.
global fputc:function, putc:function
fputc:
putc:
    push ebx
    mov ebx, [esp + 12]
    test dword [ebx + FILE_FLAGS], F_UNBUF
    jnz .direct
    test dword [ebx + FILE_FLAGS], F_CHECKED
    jnz .checked
    call check_tty
.checked:
    mov eax, [ebx + FILE_POS]
    cmp eax, [ebx + FILE_SIZE]
    jb .room
    mov eax, ebx
    call flush_one
    test eax, eax
    jnz .fail
    mov eax, [ebx + FILE_POS]
.room:
    mov ecx, [ebx + FILE_BUF]
    mov dl, [esp + 8]
    mov [ecx + eax], dl
    inc eax
    mov [ebx + FILE_POS], eax
    cmp dl, 10
    jne .stored
    test dword [ebx + FILE_FLAGS], F_LINEBUF
    jz .stored
    mov eax, ebx
    call flush_one
    test eax, eax
    jnz .fail
.stored:
    movzx eax, byte [esp + 8]
    pop ebx
    ret
.direct:
    push 1
    lea eax, [esp + 12]
    push eax
    push dword [ebx + FILE_FD]
    call write
    add esp, 12
    cmp eax, 1
    je .stored
    or dword [ebx + FILE_FLAGS], F_ERR
.fail:
    mov eax, EOF_VALUE
    pop ebx
    ret

; int putchar(int c)                                clobbers eax, ecx, edx
global putchar:function
putchar:
    push dword [stdout]
    push dword [esp + 8]
    call fputc
    add esp, 8
    ret

; int fputs(const char *s, FILE *f)                 clobbers eax, ecx, edx
; Writes s without a newline; 0, or EOF on a write error.
global fputs:function
fputs:
    push esi
    push edi
    mov esi, [esp + 12]
    mov edi, [esp + 16]
    test dword [edi + FILE_FLAGS], F_UNBUF
    jnz .whole
.next:
    movzx eax, byte [esi]
    test eax, eax
    jz .ok
    push edi
    push eax
    call fputc
    add esp, 8
    inc esi
    cmp eax, EOF_VALUE
    jne .next
    jmp .done
.whole:
    ; an unbuffered stream gets the string in one write, so a message is not split up
    push esi
    call strlen_local
    add esp, 4
    test eax, eax
    jz .ok
    push eax
    push esi
    push dword [edi + FILE_FD]
    call write
    add esp, 12
    test eax, eax
    jns .ok
    or dword [edi + FILE_FLAGS], F_ERR
    mov eax, EOF_VALUE
    jmp .done
.ok:
    xor eax, eax
.done:
    pop edi
    pop esi
    ret

strlen_local:
    mov edx, [esp + 4]
    mov eax, edx
.next:
    cmp byte [eax], 0
    je .end
    inc eax
    jmp .next
.end:
    sub eax, edx
    ret

; int puts(const char *s)                           clobbers eax, ecx, edx
; Writes s and a newline to stdout.
global puts:function
puts:
    push dword [stdout]
    push dword [esp + 8]
    call fputs
    add esp, 8
    test eax, eax
    jnz .done
    push 10
    call putchar
    add esp, 4
    cmp eax, EOF_VALUE
    je .done
    xor eax, eax
.done:
    ret

; int fgetc(FILE *f)                                clobbers eax, ecx, edx
; The next byte as an unsigned char, or EOF at end of file or on a read error. Before it
; waits for input it flushes stdout, so a prompt is on the screen when the user types.
global fgetc:function, getc:function
fgetc:
getc:
    push ebx
    mov ebx, [esp + 8]
    mov eax, [ebx + FILE_POS]
    cmp eax, [ebx + FILE_LEN]
    jb .have
    push dword [stdout]
    call fflush
    add esp, 4
    push dword [ebx + FILE_SIZE]
    push dword [ebx + FILE_BUF]
    push dword [ebx + FILE_FD]
    call read
    add esp, 12
    test eax, eax
    jz .eof
    js .error
    mov [ebx + FILE_LEN], eax
    xor eax, eax
    mov [ebx + FILE_POS], eax
.have:
    mov ecx, [ebx + FILE_BUF]
    movzx edx, byte [ecx + eax]
    inc eax
    mov [ebx + FILE_POS], eax
    mov eax, edx
    pop ebx
    ret
.eof:
    or dword [ebx + FILE_FLAGS], F_EOF
    mov eax, EOF_VALUE
    pop ebx
    ret
.error:
    or dword [ebx + FILE_FLAGS], F_ERR
    mov eax, EOF_VALUE
    pop ebx
    ret

; int getchar(void)                                 clobbers eax, ecx, edx
global getchar:function
getchar:
    push dword [stdin]
    call fgetc
    add esp, 4
    ret

; char *fgets(char *s, int n, FILE *f)              clobbers eax, ecx, edx
; Reads up to n-1 bytes, stopping after a newline, and ends s with NUL. NULL when end of
; file (or an error) came before any byte.
global fgets:function
fgets:
    push ebx
    push esi
    push edi
    mov edi, [esp + 16]         ; s
    mov esi, [esp + 20]         ; n
    mov ebx, edi
    dec esi
    jl .nothing
.next:
    test esi, esi
    jz .end
    push dword [esp + 24]
    call fgetc
    add esp, 4
    cmp eax, EOF_VALUE
    je .eof
    mov [edi], al
    inc edi
    dec esi
    cmp al, 10
    jne .next
.end:
    mov byte [edi], 0
    mov eax, ebx
    jmp .done
.eof:
    cmp edi, ebx
    jne .end
.nothing:
    xor eax, eax
.done:
    pop edi
    pop esi
    pop ebx
    ret

; int feof(FILE *f), int ferror(FILE *f)            clobber eax
global feof:function, ferror:function
feof:
    mov eax, [esp + 4]
    mov eax, [eax + FILE_FLAGS]
    and eax, F_EOF
    ret
ferror:
    mov eax, [esp + 4]
    mov eax, [eax + FILE_FLAGS]
    and eax, F_ERR
    ret
