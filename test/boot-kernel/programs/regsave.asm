; regsave: which registers a system call preserves. It loads every general register with a
; distinct value, makes a call that succeeds (getpid) and one that fails (close(-1)), and exits
; with a bit set for each register that came back changed (0: all preserved, as Linux i386
; preserves everything but eax), and 0x80 when eax did not hold the result.
bits 32
section .text
global _start
_start:
        mov ebx, -1                     ; close(-1): fails with -EBADF, arguments still in place
        mov ecx, 0x11111111
        mov edx, 0x22222222
        mov esi, 0x33333333
        mov edi, 0x44444444
        mov ebp, 0x55555555
        mov eax, 6                      ; __NR_close
        int 0x80
        xor ebx, ebx                    ; the exit status being built
        cmp eax, -9                     ; -EBADF
        je .result_ok
        or bl, 0x80
.result_ok:
        cmp ecx, 0x11111111
        je .ecx_ok
        or bl, 0x01
.ecx_ok:
        cmp edx, 0x22222222
        je .edx_ok
        or bl, 0x02
.edx_ok:
        cmp esi, 0x33333333
        je .esi_ok
        or bl, 0x04
.esi_ok:
        cmp edi, 0x44444444
        je .edi_ok
        or bl, 0x08
.edi_ok:
        cmp ebp, 0x55555555
        je .ebp_ok
        or bl, 0x10
.ebp_ok:
        mov edi, ebx                    ; keep the status; getpid must leave ebx alone too
        mov ebx, 0x66666666
        mov eax, 20                     ; __NR_getpid
        int 0x80
        cmp ebx, 0x66666666
        je .ebx_ok
        or edi, 0x20
.ebx_ok:
        test eax, eax
        jg .pid_ok
        or edi, 0x40
.pid_ok:
        mov ebx, edi
        mov eax, 1                      ; __NR_exit
        int 0x80
