; The CPU benchmark guest in 64-bit mode: the phases of cpubench.asm with 64-bit registers,
; stack and addressing, so that tools/bench compares the same loops in both modes. A Multiboot v1
; kernel entered in 32-bit protected mode; it enters long mode itself (PAE, EFER.LME, CR3, CR0.PG,
; far jump), then runs each phase after `out 0x80, al` (al = phase number, a POST code), stores
; its result in the results block, and ends by writing to the isa-debug-exit port 0xF4.
; Long mode always pages: phase 2 runs on 2 MiB pages, phase 3 on 4 KiB pages (the 32-bit
; guest's "paging off" and "paging on"). tools/bench/guest/phases.ts computes the counts.

bits 32
org 0x100000

%include "params.inc"

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16
RESULTS         equ 0x00090000
MEM_BUFFER      equ 0x00400000
PML4            equ 0x00200000              ; PML4, PDPT, then the 2 MiB-page directory
PDPT            equ PML4 + 0x1000
PD2M            equ PML4 + 0x2000
PD4K            equ PML4 + 0x3000           ; the 4 KiB-page directory, then its 8 page tables
PT4K            equ PML4 + 0x4000
CRC_POLY        equ 0xEDB88320

multiboot_header:
        dd MB_MAGIC
        dd MB_FLAGS
        dd -(MB_MAGIC + MB_FLAGS)
        dd multiboot_header
        dd multiboot_header
        dd load_end
        dd bss_end
        dd start

%macro PHASE 1
        mov al, %1
        out 0x80, al
%endmacro

start:
        ; identity-map 16 MiB with 2 MiB pages and enter long mode
        mov dword [PML4], PDPT + 7
        mov dword [PDPT], PD2M + 7
        mov edi, PD2M
        mov eax, 0x87
        mov ecx, 8
.pd:    mov [edi], eax
        add eax, 0x200000
        add edi, 8
        dec ecx
        jnz .pd
        mov eax, cr4
        or eax, 0x20
        mov cr4, eax
        mov ecx, 0xC0000080
        rdmsr
        or eax, 0x100
        wrmsr
        mov eax, PML4
        mov cr3, eax
        lgdt [gdtr]
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        jmp 0x08:long_start

bits 64
long_start:
        mov rsp, stack_top

; Phase 1: register ALU loop, 10 instructions an iteration, on 64-bit registers.
        PHASE 1
        mov eax, 1
        mov ebx, 2
        mov ecx, 3
        mov edx, 4
        mov esi, 5
        mov edi, 6
        mov ebp, ALU_ITERATIONS
.alu:   add rax, rbx
        xor rbx, rcx
        rol rcx, 3
        sub rdx, rax
        and rsi, rdx
        or rdi, rsi
        shr rsi, 1
        lea rbx, [rbx+rax*2+1]
        dec rbp
        jnz .alu
        add rax, rdi
        mov [RESULTS+0], eax

; Phase 2: random read-modify-write over 1 MiB on 2 MiB pages, then the 4 KiB tables are built.
        PHASE 2
        call memory_phase
        mov [RESULTS+4], eax
        call build_4k_tables
        mov eax, PML4
        mov cr3, rax

; Phase 3: the same loop on 4 KiB pages.
        PHASE 3
        call memory_phase
        mov [RESULTS+8], eax

; Phase 4: table-driven CRC-32 over 64 KiB, repeated.
        PHASE 4
        call crc_table
        mov ebx, CRC_REPEATS
        mov eax, 0xFFFFFFFF
.again: mov esi, MEM_BUFFER
        mov ecx, CRC_BYTES
.byte:  movzx edx, byte [rsi]
        xor dl, al
        shr eax, 8
        xor eax, [crc_tab+rdx*4]
        inc rsi
        dec ecx
        jnz .byte
        dec ebx
        jnz .again
        not eax
        mov [RESULTS+12], eax

; Phase 5: naive recursive Fibonacci with 8-byte pushes, calls and returns.
        PHASE 5
        mov eax, FIB_N
        call fib
        mov [RESULTS+16], eax

        PHASE 6
        mov al, 0
        out 0xF4, al
.halt:  cli
        hlt
        jmp .halt

; eax <- checksum of MEM_ITERATIONS random read-modify-writes (xorshift32 addresses).
memory_phase:
        mov ecx, MEM_ITERATIONS
        mov eax, 2463534242
.mem:   mov edx, eax
        shl edx, 13
        xor eax, edx
        mov edx, eax
        shr edx, 17
        xor eax, edx
        mov edx, eax
        shl edx, 5
        xor eax, edx
        mov edx, eax
        and edx, 0xFFFFC
        add [rdx+MEM_BUFFER], eax
        dec ecx
        jnz .mem
        ret

; Maps 0..16 MiB with 4 KiB pages: PDPT[0] -> PD4K -> 8 page tables.
build_4k_tables:
        mov edi, PD4K
        mov eax, PT4K + 7
        mov ecx, 8
.pde:   mov [rdi], eax
        add eax, 0x1000
        add edi, 8
        dec ecx
        jnz .pde
        mov edi, PT4K
        mov eax, 7
        mov ecx, 4096
.pte:   mov [rdi], eax
        add eax, 0x1000
        add edi, 8
        dec ecx
        jnz .pte
        mov dword [PDPT], PD4K + 7
        ret

; Fills crc_tab with the reflected CRC-32 table.
crc_table:
        xor ebx, ebx
.entry: mov eax, ebx
        mov ecx, 8
.bit:   mov edx, eax
        and edx, 1
        neg edx
        and edx, CRC_POLY
        shr eax, 1
        xor eax, edx
        dec ecx
        jnz .bit
        mov [crc_tab+rbx*4], eax
        inc ebx
        cmp ebx, 256
        jne .entry
        ret

; eax = n -> eax = fib(n); clobbers ecx.
fib:    cmp eax, 2
        jb .base
        push rax
        dec eax
        call fib
        mov ecx, [rsp]
        mov [rsp], eax
        mov eax, ecx
        sub eax, 2
        call fib
        pop rcx
        add eax, ecx
        ret
.base:  ret

align 8
gdt:    dq 0
        dq 0x00af9a000000ffff               ; 0x08: 64-bit code
gdtr:   dw gdtr - gdt - 1
        dd gdt

load_end:

section .bss
alignb 4
crc_tab:        resd 256
                resb 4096
stack_top:
bss_end:
