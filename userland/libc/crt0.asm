; The program entry point. Linux (and our kernel) start a process with esp pointing at
; argc, then argv[0..argc-1], NULL, then envp[...], NULL, then the auxiliary vector: pairs
; {type, value} ending with type AT_NULL.
bits 32

extern main, exit

AT_NULL     equ 0
AT_SYSINFO  equ 32              ; the address of __kernel_vsyscall in the vDSO
AT_SYSINFO_EHDR equ 33          ; the address of the vDSO's ELF header

section .bss
; char **environ
global environ:data
environ:    resd 1

section .data
; void (*__vsyscall)(void): the vDSO's entry when the kernel gives one, else an int 0x80
global __vsyscall:data
__vsyscall: dd __vsyscall_int80
; void *__vdso_ehdr: the vDSO's ELF image, or NULL
global __vdso_ehdr:data
__vdso_ehdr: dd 0

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
    push edx
.env:
    add edx, 4
    cmp dword [edx - 4], 0
    jne .env                    ; edx: the auxiliary vector
.aux:
    mov ecx, [edx]
    cmp ecx, AT_NULL
    je .aux_done
    cmp ecx, AT_SYSINFO_EHDR
    jne .not_ehdr
    mov ecx, [edx + 4]
    mov [__vdso_ehdr], ecx
    jmp .aux_next
.not_ehdr:
    cmp ecx, AT_SYSINFO
    jne .aux_next
    mov ecx, [edx + 4]
    mov [__vsyscall], ecx
.aux_next:
    add edx, 8
    jmp .aux
.aux_done:
    pop edx
    lea ecx, [esp + 4]
    and esp, -16                ; the SysV i386 ABI wants 16-byte alignment at each call
    sub esp, 4
    push edx
    push ecx
    push eax
    call main
    push eax
    call exit

; The stand-in for __kernel_vsyscall when the kernel maps no vDSO.   clobbers eax (the result)
global __vsyscall_int80:function
__vsyscall_int80:
    int 0x80
    ret
