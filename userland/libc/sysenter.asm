; The sysenter flavour's way into the kernel (abi/sysenter.inc): the entry half of the vDSO's
; __kernel_vsyscall, called by every wrapper. The kernel returns to the vDSO's landing pad,
; whose `ret` comes back to the wrapper that called this.
bits 32

section .text

; long __sysenter(void)     eax = number, ebx..ebp = arguments; result in eax, nothing else changed
global __sysenter:function
__sysenter:
    push ecx                    ; sysexit uses ecx and edx: the landing pad restores them
    push edx
    push ebp                    ; the sixth argument: the kernel reads it at the esp below
    mov ebp, esp                ; sysenter keeps no user stack pointer: the kernel takes ebp's
    sysenter
