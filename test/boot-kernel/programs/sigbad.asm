; sigbad: calls rt_sigreturn on a forged signal frame whose saved DS is the TSS selector. Loading
; it would fault in the kernel's exit path, so the kernel must refuse the frame: SIGSEGV.
bits 32
section .text
global _start
_start:
        sub esp, 512
        mov edi, esp
        xor eax, eax
        mov ecx, 128
        rep stosd                       ; a zeroed frame
        ; rt_sigreturn finds the frame at esp-4; its sigcontext starts 164 bytes in, ds at +12.
        mov dword [esp - 4 + 164 + 12], 0x28
        mov eax, 173                    ; rt_sigreturn
        int 0x80
        mov eax, 1                      ; exit(0): only if the kernel took the frame
        xor ebx, ebx
        int 0x80
