; ring3: what ring 3 may not do. Each case runs in its own child: every privileged instruction
; (and the kernel's bridge instruction), segment loads and returns that would reach ring 0, and
; `int n` for all 256 vectors. The parent prints, per case, the child's pid and how it ended;
; the kernel prints its own line for the fault. A gate ring 3 may use (DPL 3) is entered with
; eax = __NR_exit and the status 0x42 both in ebx and at esp+4, so a system-call gate ends the
; child with status 0x42; a child that comes back from its case exits with 0x43.
bits 32
%include "libc.inc"

RETURNED    equ 0x43
GATE_EXIT   equ 0x42
KERNEL_CS   equ 0x08
KERNEL_DS   equ 0x10

section .rodata
cases:
    dd n_cli, do_cli
    dd n_sti, do_sti
    dd n_hlt, do_hlt
    dd n_in_dx, do_in_dx
    dd n_in_imm, do_in_imm
    dd n_out_dx, do_out_dx
    dd n_out_imm, do_out_imm
    dd n_insb, do_insb
    dd n_outsb, do_outsb
    dd n_lgdt, do_lgdt
    dd n_lidt, do_lidt
    dd n_lldt, do_lldt
    dd n_ltr, do_ltr
    dd n_rd_cr0, do_rd_cr0
    dd n_wr_cr0, do_wr_cr0
    dd n_rd_cr2, do_rd_cr2
    dd n_rd_cr3, do_rd_cr3
    dd n_wr_cr3, do_wr_cr3
    dd n_wr_cr4, do_wr_cr4
    dd n_rd_dr7, do_rd_dr7
    dd n_wr_dr7, do_wr_dr7
    dd n_clts, do_clts
    dd n_wbinvd, do_wbinvd
    dd n_invd, do_invd
    dd n_wrmsr, do_wrmsr
    dd n_rdmsr, do_rdmsr
    dd n_invlpg, do_invlpg
    dd n_sysexit, do_sysexit
    dd n_vmcall, do_vmcall
    dd n_ds, do_load_kernel_ds
    dd n_farcall, do_far_call_kernel
    dd n_iret, do_iret_to_ring0
    dd n_int3, do_int3
    dd n_into, do_into
    dd n_int1, do_int1
    dd 0
n_cli:      db "cli", 0
n_sti:      db "sti", 0
n_hlt:      db "hlt", 0
n_in_dx:    db "in-dx", 0
n_in_imm:   db "in-imm", 0
n_out_dx:   db "out-dx", 0
n_out_imm:  db "out-imm", 0
n_insb:     db "insb", 0
n_outsb:    db "outsb", 0
n_lgdt:     db "lgdt", 0
n_lidt:     db "lidt", 0
n_lldt:     db "lldt", 0
n_ltr:      db "ltr", 0
n_rd_cr0:   db "mov-from-cr0", 0
n_wr_cr0:   db "mov-to-cr0", 0
n_rd_cr2:   db "mov-from-cr2", 0
n_rd_cr3:   db "mov-from-cr3", 0
n_wr_cr3:   db "mov-to-cr3", 0
n_wr_cr4:   db "mov-to-cr4", 0
n_rd_dr7:   db "mov-from-dr7", 0
n_wr_dr7:   db "mov-to-dr7", 0
n_clts:     db "clts", 0
n_wbinvd:   db "wbinvd", 0
n_invd:     db "invd", 0
n_wrmsr:    db "wrmsr", 0
n_rdmsr:    db "rdmsr", 0
n_invlpg:   db "invlpg", 0
n_sysexit:  db "sysexit", 0
n_vmcall:   db "vmcall", 0
n_ds:       db "mov-ds-kernel", 0
n_farcall:  db "call-far-kernel", 0
n_iret:     db "iret-to-ring0", 0
n_int3:     db "int3", 0
n_into:     db "into", 0
n_int1:     db "int1", 0
int_name:   db "int-%u", 0
killed_fmt: db "ring3: %s pid %d killed by SIG%s", 10, 0
exited_fmt: db "ring3: %s pid %d exited %d", 10, 0
done_fmt:   db "ring3: %u cases, the parent survived every one", 10, 0
fork_name:  db "fork", 0

section .data
pseudo:     dw 0xffff                   ; a GDT/IDT pseudo-descriptor for lgdt/lidt
            dd 0

section .bss
wait_status: resd 1
name_buf:   resb 16
count:      resd 1

section .text
global main
main:
    push ebx
    push esi
    mov ebx, cases
.named:
    cmp dword [ebx], 0
    je .vectors
    ccall run_case, [ebx], [ebx + 4]
    add ebx, 8
    jmp .named
.vectors:
    xor esi, esi
.vector:
    ccall sprintf, name_buf, int_name, esi
    ccall run_case, name_buf, [int_stubs + esi * 4]
    inc esi
    cmp esi, 256
    jb .vector
    ccall printf, done_fmt, [count]
    xor eax, eax
    pop esi
    pop ebx
    ret

; void run_case(const char *name, void (*fn)(void)): runs fn in a child, prints how the child ended.
run_case:
    push ebx
    push esi
    push edi
    mov esi, [esp + 16]         ; name
    mov edi, [esp + 20]         ; fn
    inc dword [count]
    ccall fflush, [stdout]
    call fork
    test eax, eax
    js .failed
    jnz .parent
    call edi
    ccall _exit, RETURNED
.parent:
    mov ebx, eax
    ccall waitpid, ebx, wait_status, 0
    mov eax, [wait_status]
    and eax, 0x7f
    jz .exited
    ccall sigabbrev_np, eax
    ccall printf, killed_fmt, esi, ebx, eax
    jmp .done
.exited:
    movzx eax, byte [wait_status + 1]
    ccall printf, exited_fmt, esi, ebx, eax
    jmp .done
.failed:
    ccall perror, fork_name
.done:
    pop edi
    pop esi
    pop ebx
    ret

; The cases. Each is a function, in case the CPU lets the instruction through.
do_cli:     cli
            ret
do_sti:     sti
            ret
do_hlt:     hlt
            ret
do_in_dx:   mov dx, 0x60            ; the keyboard's data port
            in al, dx
            ret
do_in_imm:  in al, 0x60
            ret
do_out_dx:  mov dx, 0x80            ; the POST code port
            out dx, al
            ret
do_out_imm: out 0x80, al
            ret
do_insb:    mov dx, 0x60
            mov edi, name_buf
            insb
            ret
do_outsb:   mov dx, 0x80
            mov esi, name_buf
            outsb
            ret
do_lgdt:    lgdt [pseudo]
            ret
do_lidt:    lidt [pseudo]
            ret
do_lldt:    xor eax, eax
            lldt ax
            ret
do_ltr:     mov ax, 0x28
            ltr ax
            ret
do_rd_cr0:  mov eax, cr0
            ret
do_wr_cr0:  xor eax, eax
            mov cr0, eax
            ret
do_rd_cr2:  mov eax, cr2
            ret
do_rd_cr3:  mov eax, cr3
            ret
do_wr_cr3:  xor eax, eax
            mov cr3, eax
            ret
do_wr_cr4:  xor eax, eax
            mov cr4, eax
            ret
do_rd_dr7:  mov eax, dr7
            ret
do_wr_dr7:  xor eax, eax
            mov dr7, eax
            ret
do_clts:    clts
            ret
do_wbinvd:  wbinvd
            ret
do_invd:    invd
            ret
do_wrmsr:   mov ecx, 0x174          ; IA32_SYSENTER_CS
            xor eax, eax
            xor edx, edx
            wrmsr
            ret
do_rdmsr:   mov ecx, 0x174
            rdmsr
            ret
do_invlpg:  invlpg [main]
            ret
do_sysexit: mov edx, do_sysexit     ; where sysexit would go, and its stack
            mov ecx, esp
            sysexit
            ret
do_vmcall:  vmcall                  ; the kernel's bridge: #UD outside ring 0
            ret
do_load_kernel_ds:
            mov ax, KERNEL_DS       ; DPL 0 data: #GP(selector) from CPL 3
            mov ds, ax
            ret
do_far_call_kernel:
            call KERNEL_CS:do_cli   ; a non-conforming DPL 0 code segment: #GP(selector)
            ret
do_iret_to_ring0:                   ; iret may not raise the privilege: #GP(selector)
            pushfd
            push dword KERNEL_CS
            push dword do_cli
            iretd
do_int3:    int3                    ; the one-byte form: a software interrupt, DPL checked
            ret
do_into:    mov al, 0x7f            ; overflow, so into raises vector 4 (DPL checked)
            add al, 1
            into
            ret
do_int1:    int1                    ; ICEBP: a #DB without the gate's DPL check
            ret

; int n for every vector, one stub each (int_stubs[n]).
%assign v 0
%rep 256
int_ %+ v:
    mov eax, __NR_exit
    mov ebx, GATE_EXIT
    push dword GATE_EXIT
    push dword 0
    int v
    add esp, 8
    ret
%assign v v + 1
%endrep

section .rodata
int_stubs:
%assign v 0
%rep 256
    dd int_ %+ v
%assign v v + 1
%endrep
