; forkbomb: forks until fork fails, prints how many children it made and the errno it got, then
; lets the children go: they wait on a pipe whose last writer is the parent, so closing it wakes
; them all to exit, and the parent reaps them before exiting itself.
bits 32

SYS_EXIT    equ 1
SYS_FORK    equ 2
SYS_READ    equ 3
SYS_WRITE   equ 4
SYS_CLOSE   equ 6
SYS_WAITPID equ 7
SYS_PIPE    equ 42

section .bss
fds:    resd 2
byte_in: resb 1
digits: resb 12

section .data
made:   db "forkbomb: made "
made_len equ $ - made
after:  db " children, fork failed with errno "
after_len equ $ - after
newline: db 10

section .text
global _start
_start:
        mov eax, SYS_PIPE
        mov ebx, fds
        int 0x80
        xor esi, esi                    ; children made
.fork:
        mov eax, SYS_FORK
        int 0x80
        test eax, eax
        jz child
        js .failed
        inc esi
        jmp .fork
.failed:
        neg eax
        mov edi, eax                    ; the errno
        mov ecx, made
        mov edx, made_len
        call print
        mov eax, esi
        call print_number
        mov ecx, after
        mov edx, after_len
        call print
        mov eax, edi
        call print_number
        mov ecx, newline
        mov edx, 1
        call print
        mov eax, SYS_CLOSE              ; the children's read answers end of file now
        mov ebx, [fds + 4]
        int 0x80
.reap:
        mov eax, SYS_WAITPID
        mov ebx, -1
        xor ecx, ecx
        xor edx, edx
        int 0x80
        test eax, eax
        jns .reap                       ; until ECHILD: no child left
        mov eax, SYS_EXIT
        xor ebx, ebx
        int 0x80

child:
        mov eax, SYS_CLOSE
        mov ebx, [fds + 4]
        int 0x80
        mov eax, SYS_READ
        mov ebx, [fds]
        mov ecx, byte_in
        mov edx, 1
        int 0x80
        mov eax, SYS_EXIT
        xor ebx, ebx
        int 0x80

; write(1, ecx, edx)
print:
        mov eax, SYS_WRITE
        mov ebx, 1
        int 0x80
        ret

; Prints eax in decimal.
print_number:
        mov ecx, digits + 12
        mov ebx, 10
.digit:
        xor edx, edx
        div ebx
        add dl, '0'
        dec ecx
        mov [ecx], dl
        test eax, eax
        jnz .digit
        mov edx, digits + 12
        sub edx, ecx
        jmp print
