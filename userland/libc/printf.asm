; The printf family: the engine in format.asm with a string sink or a stream sink.
bits 32
%include "format.inc"
%include "file.inc"

extern __vformat, fputc, fflush, write, stdout

CHUNK       equ 256             ; an unbuffered stream gets its output in pieces this big

section .text

; The string sink: stores while more than one byte of room is left (the last is the NUL's).
put_string:
    inc dword [ebx + OUT_COUNT]
    cmp dword [ebx + OUT_ROOM], 1
    jbe .full
    mov edx, [ebx + OUT_PTR]
    mov [edx], al
    inc edx
    mov [ebx + OUT_PTR], edx
    dec dword [ebx + OUT_ROOM]
.full:
    ret

; The stream sink for buffered streams: each byte goes through fputc.
put_stream:
    inc dword [ebx + OUT_COUNT]
    push dword [ebx + OUT_FILE]
    push eax
    call fputc
    add esp, 8
    cmp eax, EOF_VALUE
    jne .ok
    mov dword [ebx + OUT_FAILED], 1
.ok:
    ret

; The stream sink for unbuffered streams: bytes gather in a chunk on the stack, so one
; message is one write() rather than one per byte.
put_chunk:
    inc dword [ebx + OUT_COUNT]
    mov edx, [ebx + OUT_PTR]
    mov [edx], al
    inc edx
    mov [ebx + OUT_PTR], edx
    dec dword [ebx + OUT_ROOM]
    jz flush_chunk
    ret

; Writes the chunk gathered by put_chunk and empties it.
flush_chunk:
    mov eax, [ebx + OUT_PTR]
    mov ecx, [ebx + OUT_BASE]
    sub eax, ecx
    jz .empty
    push eax
    push ecx
    mov edx, [ebx + OUT_FILE]
    push dword [edx + FILE_FD]
    call write
    add esp, 12
    test eax, eax
    jns .empty
    mov dword [ebx + OUT_FAILED], 1
.empty:
    mov eax, [ebx + OUT_BASE]
    mov [ebx + OUT_PTR], eax
    mov dword [ebx + OUT_ROOM], CHUNK
    ret

; int vsnprintf(char *s, size_t n, const char *fmt, va_list ap)   clobbers eax, ecx, edx
; Writes at most n bytes including the NUL (nothing when n is 0) and returns the length the
; whole output would have had.
global vsnprintf:function
vsnprintf:
    push ebx
    sub esp, OUT_BYTES
    mov ebx, esp
    mov dword [ebx + OUT_PUT], put_string
    mov dword [ebx + OUT_COUNT], 0
    mov eax, [esp + OUT_BYTES + 8]
    mov [ebx + OUT_PTR], eax
    mov eax, [esp + OUT_BYTES + 12]
    mov [ebx + OUT_ROOM], eax
    push dword [esp + OUT_BYTES + 20]
    push dword [esp + OUT_BYTES + 20]
    push ebx
    call __vformat
    add esp, 12
    cmp dword [esp + OUT_BYTES + 12], 0
    je .done
    mov edx, [ebx + OUT_PTR]
    mov byte [edx], 0
.done:
    add esp, OUT_BYTES
    pop ebx
    ret

; int snprintf(char *s, size_t n, const char *fmt, ...)   clobbers eax, ecx, edx
global snprintf:function
snprintf:
    lea eax, [esp + 16]
    push eax
    push dword [esp + 16]
    push dword [esp + 16]
    push dword [esp + 16]
    call vsnprintf
    add esp, 16
    ret

; int vsprintf(char *s, const char *fmt, va_list ap)     clobbers eax, ecx, edx
global vsprintf:function
vsprintf:
    push dword [esp + 12]
    push dword [esp + 12]
    push -1
    push dword [esp + 16]
    call vsnprintf
    add esp, 16
    ret

; int sprintf(char *s, const char *fmt, ...)             clobbers eax, ecx, edx
global sprintf:function
sprintf:
    lea eax, [esp + 12]
    push eax
    push dword [esp + 12]
    push -1
    push dword [esp + 16]
    call vsnprintf
    add esp, 16
    ret

; int vfprintf(FILE *f, const char *fmt, va_list ap)     clobbers eax, ecx, edx
; Returns the number of bytes, or -1 when a write failed.
global vfprintf:function
vfprintf:
    push ebx
    push esi
    sub esp, OUT_BYTES + CHUNK
    mov ebx, esp
    mov esi, [esp + OUT_BYTES + CHUNK + 12]
    mov [ebx + OUT_FILE], esi
    mov dword [ebx + OUT_COUNT], 0
    mov dword [ebx + OUT_FAILED], 0
    mov dword [ebx + OUT_PUT], put_stream
    test dword [esi + FILE_FLAGS], F_UNBUF
    jz .format
    mov dword [ebx + OUT_PUT], put_chunk
    lea eax, [ebx + OUT_BYTES]
    mov [ebx + OUT_BASE], eax
    mov [ebx + OUT_PTR], eax
    mov dword [ebx + OUT_ROOM], CHUNK
.format:
    push dword [esp + OUT_BYTES + CHUNK + 20]
    push dword [esp + OUT_BYTES + CHUNK + 20]
    push ebx
    call __vformat
    add esp, 12
    test dword [esi + FILE_FLAGS], F_UNBUF
    jz .result
    call flush_chunk
.result:
    mov eax, [ebx + OUT_COUNT]
    cmp dword [ebx + OUT_FAILED], 0
    je .done
    mov eax, -1
.done:
    add esp, OUT_BYTES + CHUNK
    pop esi
    pop ebx
    ret

; int fprintf(FILE *f, const char *fmt, ...)              clobbers eax, ecx, edx
global fprintf:function
fprintf:
    lea eax, [esp + 12]
    push eax
    push dword [esp + 12]
    push dword [esp + 12]
    call vfprintf
    add esp, 12
    ret

; int vprintf(const char *fmt, va_list ap)                clobbers eax, ecx, edx
global vprintf:function
vprintf:
    push dword [esp + 8]
    push dword [esp + 8]
    push dword [stdout]
    call vfprintf
    add esp, 12
    ret

; int printf(const char *fmt, ...)                        clobbers eax, ecx, edx
global printf:function
printf:
    lea eax, [esp + 8]
    push eax
    push dword [esp + 8]
    push dword [stdout]
    call vfprintf
    add esp, 12
    ret

