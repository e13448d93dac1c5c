; The CPU benchmark guest: a Multiboot v1 kernel (flat binary, a.out-kludge address fields)
; that runs phases whose exact instruction counts are known (tools/bench/guest/phases.ts
; computes them). Each phase starts with `out 0x80, al` (al = phase number, a POST code) so a
; harness can time it, stores its result in the results block, and the kernel ends by writing
; to the isa-debug-exit port 0xF4.
;
; Loaded at 1 MiB, entered in 32-bit protected mode with flat segments (the Multiboot state).

bits 32
org 0x100000

%include "params.inc"

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16                 ; the address fields below are valid
RESULTS         equ 0x00090000              ; results block: one dword per phase
MEM_BUFFER      equ 0x00400000              ; 1 MiB scratch buffer for the memory phases
PAGE_DIR        equ 0x00200000              ; page directory, then 4 page tables (16 MiB)
CRC_POLY        equ 0xEDB88320

multiboot_header:
        dd MB_MAGIC
        dd MB_FLAGS
        dd -(MB_MAGIC + MB_FLAGS)
        dd multiboot_header                 ; header_addr
        dd multiboot_header                 ; load_addr
        dd load_end                         ; load_end_addr
        dd bss_end                          ; bss_end_addr
        dd start                            ; entry_addr

%macro PHASE 1
        mov al, %1
        out 0x80, al
%endmacro

start:
        mov esp, stack_top

; Phase 1: register ALU loop, 10 instructions an iteration.
        PHASE 1
        mov eax, 1
        mov ebx, 2
        mov ecx, 3
        mov edx, 4
        mov esi, 5
        mov edi, 6
        mov ebp, ALU_ITERATIONS
.alu:   add eax, ebx
        xor ebx, ecx
        rol ecx, 3
        sub edx, eax
        and esi, edx
        or edi, esi
        shr esi, 1
        lea ebx, [ebx+eax*2+1]
        dec ebp
        jnz .alu
        add eax, edi
        mov [RESULTS+0], eax

; Phase 2: random read-modify-write over 1 MiB, paging off.
        PHASE 2
        call memory_phase
        mov [RESULTS+4], eax

; Phase 3: the same loop with paging on (4 KiB pages, identity map of 16 MiB).
        call build_page_tables
        mov eax, PAGE_DIR
        mov cr3, eax
        mov eax, cr0
        or eax, 0x80000000
        mov cr0, eax
        PHASE 3
        call memory_phase
        mov [RESULTS+8], eax
        mov eax, cr0
        and eax, 0x7FFFFFFF
        mov cr0, eax

; Phase 4: table-driven CRC-32 (table built first, branch-free), over 64 KiB, repeated.
        PHASE 4
        call crc_table
        mov ebx, CRC_REPEATS
        mov eax, 0xFFFFFFFF
.again: mov esi, MEM_BUFFER
        mov ecx, CRC_BYTES
.byte:  movzx edx, byte [esi]
        xor dl, al
        shr eax, 8
        xor eax, [crc_tab+edx*4]
        inc esi
        dec ecx
        jnz .byte
        dec ebx
        jnz .again
        not eax
        mov [RESULTS+12], eax

; Phase 5: naive recursive Fibonacci.
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
        add [edx+MEM_BUFFER], eax
        dec ecx
        jnz .mem
        ret

; Identity-maps 0..16 MiB with 4 KiB user-writable pages.
build_page_tables:
        mov edi, PAGE_DIR
        mov eax, PAGE_DIR + 0x1000 + 7
        mov ecx, 4
.pde:   mov [edi], eax
        add eax, 0x1000
        add edi, 4
        dec ecx
        jnz .pde
        mov edi, PAGE_DIR + 0x1000
        mov eax, 7
        mov ecx, 4096
.pte:   mov [edi], eax
        add eax, 0x1000
        add edi, 4
        dec ecx
        jnz .pte
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
        mov [crc_tab+ebx*4], eax
        inc ebx
        cmp ebx, 256
        jne .entry
        ret

; eax = n -> eax = fib(n); clobbers ecx.
fib:    cmp eax, 2
        jb .base
        push eax
        dec eax
        call fib
        mov ecx, [esp]
        mov [esp], eax
        mov eax, ecx
        sub eax, 2
        call fib
        pop ecx
        add eax, ecx
        ret
.base:  ret

load_end:

section .bss
alignb 4
crc_tab:        resd 256
                resb 4096
stack_top:
bss_end:
