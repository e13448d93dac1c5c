; The boot ROM: the first code the CPU runs. The PC maps the ROM so that it ends at 4 GiB (where
; the CPU fetches its first instruction, at 0xFFFFFFF0) and again just below 1 MiB (where real
; mode can reach it). It holds the kernel image (image.asm, IMAGE_BYTES long) followed by these
; BOOT_BYTES of code:
;   real mode -> a temporary flat GDT -> CR0.PE -> far jump to 32-bit code -> A20 on ->
;   copy the image to IMAGE_PHYS -> jump to its startup code (head.asm).

BOOT_BYTES      equ 0x100
TMP_CODE        equ 0x08
TMP_DATA        equ 0x10
ROM_END         equ 0x100000                    ; the low copy ends at 1 MiB
IMAGE_ROM       equ ROM_END - BOOT_BYTES - IMAGE_BYTES

%ifndef IMAGE_BYTES
  %error "IMAGE_BYTES must be defined: the build assembles image.asm first"
%endif

bits 16
org ROM_END - BOOT_BYTES                        ; labels are physical addresses of the low copy

rom_start:
        cli
        cld
        o32 lgdt [cs:gdt_descriptor - 0xF0000]  ; o32: all 32 bits of the base
        mov eax, cr0
        or al, 1                                ; CR0.PE
        mov cr0, eax
        jmp dword TMP_CODE:protected            ; loads CS from the new GDT: 32-bit code

bits 32
protected:
        mov eax, TMP_DATA
        mov ds, eax
        mov es, eax
        mov fs, eax
        mov gs, eax
        mov ss, eax
        in al, 0x92                             ; System Control Port A
        or al, 0x02                             ; bit 1: A20 on, so odd megabytes are reachable
        and al, 0xFE                            ; bit 0 would reset the CPU
        out 0x92, al
        mov esi, IMAGE_ROM
        mov edi, IMAGE_PHYS
        mov ecx, IMAGE_BYTES / 4
        rep movsd                               ; the image, from ROM to RAM
        jmp TMP_CODE:IMAGE_PHYS                 ; head.asm's startup_32

align 8
gdt:
        dq 0                                    ; the null descriptor
        dq 0x00CF9A000000FFFF                   ; 0x08: code, base 0, limit 4 GiB, 32-bit, DPL 0
        dq 0x00CF92000000FFFF                   ; 0x10: data, base 0, limit 4 GiB, 32-bit, DPL 0
gdt_descriptor:
        dw gdt_descriptor - gdt - 1             ; limit
        dd gdt                                  ; base

        times BOOT_BYTES - 0x10 - ($ - $$) db 0
bits 16
reset_vector:                                   ; physical 0xFFFFFFF0: the first fetch
        jmp 0xF000:rom_start - 0xF0000          ; leave the top alias for the low copy
        times BOOT_BYTES - ($ - $$) db 0
