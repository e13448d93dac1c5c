; vechaz: int 0x81 (stack ABI) and int 0x82 (argument block) in states a kernel must survive.
; The first letter of argv[1] picks the case; the exit status says what the program saw:
;   s  int 0x81 write(...) with esp at an unmapped page: -1 and EFAULT in edx (exit 14)
;   n  int 0x81 with number 0xffffffff: -1 and ENOSYS in edx (exit 38)
;   f  int 0x81 getpid with NT, DF, AC set: the pid, DF and AC kept, NT cleared (exit 0)
;   b  int 0x82 with function 9999 in the block: -ENOSYS in its result field (exit 38)
bits 32

NR_EXIT equ 1
NR_WRITE equ 4
NR_GETPID equ 20
ARG_BLOCK equ 0x8000
DF equ 0x400
NT equ 0x4000
AC equ 0x40000

section .text
global _start
_start:
        mov esi, [esp + 8]
        test esi, esi
        jz usage
        movzx eax, byte [esi]
        cmp al, 's'
        je bad_stack
        cmp al, 'n'
        je bad_number
        cmp al, 'f'
        je flags
        cmp al, 'b'
        je block
usage:
        mov ebx, 2
        jmp exit

bad_stack:
        mov esp, 0x1000
        mov eax, NR_WRITE
        int 0x81
        mov ebx, edx                    ; the errno
        cmp eax, -1
        je exit
        mov ebx, 1
        jmp exit

bad_number:
        mov eax, -1
        int 0x81
        mov ebx, edx
        cmp eax, -1
        je exit
        mov ebx, 1
        jmp exit

flags:
        mov eax, NR_GETPID
        int 0x80
        mov edi, eax
        pushfd
        or dword [esp], NT | DF | AC
        popfd
        mov eax, NR_GETPID
        int 0x81
        pushfd
        pop ecx
        cld
        xor ebx, ebx
        cmp eax, edi
        je .pid_ok
        or ebx, 1
.pid_ok:
        test edx, edx
        jz .edx_ok
        or ebx, 8
.edx_ok:
        test ecx, DF
        jnz .df_ok
        or ebx, 2
.df_ok:
        test ecx, AC
        jnz .ac_ok
        or ebx, 4
.ac_ok:
        test ecx, NT
        jz exit
        or ebx, 16
        jmp exit

block:
        mov dword [ARG_BLOCK], 9999     ; function
        int 0x82
        mov ebx, [ARG_BLOCK + 16]       ; result
        neg ebx
        jmp exit

exit:
        mov eax, NR_EXIT
        int 0x80
