; The program entry point. Linux (and our kernel) start a process with esp pointing at
; argc, then argv[0..argc-1], NULL, then envp[...], NULL.
bits 32

extern main, exit

section .bss
; char **environ
global environ:data
environ:    resd 1

section .text

; void _start(void)                                 does not return
; Calls main(argc, argv, envp) and passes what it returns to exit().
global _start:function
_start:
    xor ebp, ebp                ; the outermost frame, for debuggers walking the chain
    mov eax, [esp]
    lea ecx, [esp + 4]
    lea edx, [ecx + eax * 4 + 4]
    mov [environ], edx
    and esp, -16                ; the SysV i386 ABI wants 16-byte alignment at each call
    sub esp, 4
    push edx
    push ecx
    push eax
    call main
    push eax
    call exit
