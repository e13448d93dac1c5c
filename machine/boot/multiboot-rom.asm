; The Multiboot boot ROM: what a boot loader such as GRUB does between the reset vector and a
; Multiboot kernel's first instruction, done with the architectural operations only. The PC
; maps this 256-byte ROM at the top of the 4 GiB space (where the CPU fetches its first
; instruction) and again just below 1 MiB (where real-mode code can reach it). The machine's
; Multiboot loader copies the kernel, its modules and the info structure into RAM, then
; writes the kernel's entry point and the info structure's address into `params`.
;
; The state it leaves is the one the Multiboot specification promises: protected mode, paging
; off, CS a flat 32-bit code segment, DS/ES/FS/GS/SS flat 32-bit data segments, A20 enabled,
; interrupts disabled, EAX = 0x2BADB002, EBX = the info structure's physical address.

ROM_SIZE        equ 0x100
CODE32          equ 0x08
DATA32          equ 0x10

bits 16
org 0x10000 - ROM_SIZE                          ; offsets within real-mode segment 0xF000

rom_start:
        cli
        cld
        o32 lgdt [cs:gdt_descriptor]            ; o32: load all 32 bits of the table's base
        mov eax, cr0
        or al, 1                                ; CR0.PE
        mov cr0, eax
        jmp dword CODE32:(0xF0000 + protected)  ; reload CS from the new GDT

bits 32
protected:
        mov ax, DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        in al, 0x92                             ; System Control Port A
        or al, 0x02                             ; bit 1: A20 on
        and al, 0xFE                            ; bit 0 would reset the machine
        out 0x92, al
        mov eax, 0x2BADB002
        mov ebx, [0xF0000 + params.info]
        jmp [0xF0000 + params.entry]

align 8
gdt:
        dq 0                                    ; the null descriptor
        dq 0x00CF9A000000FFFF                   ; 0x08: code, base 0, limit 4 GiB, 32-bit, DPL 0
        dq 0x00CF92000000FFFF                   ; 0x10: data, base 0, limit 4 GiB, 32-bit, DPL 0
gdt_descriptor:
        dw gdt_descriptor - gdt - 1             ; limit
        dd 0xF0000 + gdt                        ; base: the low copy

        times ROM_SIZE - 0x20 - ($ - $$) db 0
params:                                         ; written by the loader before reset
.entry: dd 0                                    ; the kernel's entry point
.info:  dd 0                                    ; physical address of the info structure

        times ROM_SIZE - 0x10 - ($ - $$) db 0
bits 16
reset_vector:                                   ; physical 0xFFFFFFF0: the first fetch
        jmp 0xF000:rom_start                    ; leave the top alias for the low copy
        times ROM_SIZE - ($ - $$) db 0
