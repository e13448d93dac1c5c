; The device-cost benchmark guest (Multiboot v1, flat binary): the same register loop twice,
; first with every interrupt masked (devices idle), then with the PIT interrupting at 1 kHz and
; COM1 transmitting without pause (each THRE interrupt sends the next byte). POST code 1 and 2
; start the phases, 3 ends them; the harness compares instructions per second of the two.

bits 32
org 0x100000

%include "params.inc"

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16
COM1            equ 0x3F8
PIT_HZ          equ 1193182

multiboot_header:
        dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd multiboot_header, multiboot_header, load_end, bss_end, start

%macro PHASE 1
        mov al, %1
        out 0x80, al
%endmacro

; Installs interrupt gate `vector` -> `handler` in the IDT (selector 0x08, the boot ROM's code).
%macro GATE 2
        mov eax, %2
        mov [idt + %1 * 8], ax
        mov word [idt + %1 * 8 + 2], 0x08
        mov word [idt + %1 * 8 + 4], 0x8E00
        shr eax, 16
        mov [idt + %1 * 8 + 6], ax
%endmacro

start:
        mov esp, stack_top
        GATE 0x20, irq0
        GATE 0x24, irq4
        lidt [idt_descriptor]
        ; PIC: ICW1 edge + ICW4, vectors 0x20/0x28, cascade on IRQ2, 8086 mode; all masked.
        mov al, 0x11
        out 0x20, al
        out 0xA0, al
        mov al, 0x20
        out 0x21, al
        mov al, 0x28
        out 0xA1, al
        mov al, 4
        out 0x21, al
        mov al, 2
        out 0xA1, al
        mov al, 1
        out 0x21, al
        out 0xA1, al
        mov al, 0xFF
        out 0x21, al
        out 0xA1, al

        PHASE 1
        call alu_loop

        ; PIT channel 0, mode 2, at 1 kHz.
        mov al, 0x34
        out 0x43, al
        mov ax, PIT_HZ / 1000
        out 0x40, al
        mov al, ah
        out 0x40, al
        ; COM1: THRE interrupt on, OUT2 gates IRQ4 to the PIC.
        mov dx, COM1 + 1
        mov al, 0x02
        out dx, al
        mov dx, COM1 + 4
        mov al, 0x08
        out dx, al
        mov al, 0xEE                    ; unmask IRQ0 and IRQ4
        out 0x21, al
        sti
        PHASE 2
        call alu_loop
        cli
        PHASE 3
        mov al, 0
        out 0xF4, al
.halt:  hlt
        jmp .halt

alu_loop:
        mov ecx, DEV_ITERATIONS
.loop:  add eax, ebx
        xor ebx, ecx
        rol edx, 3
        sub esi, eax
        dec ecx
        jnz .loop
        ret

irq0:   push eax
        inc dword [ticks]
        mov al, 0x20
        out 0x20, al
        pop eax
        iret

irq4:   push eax
        push edx
        mov dx, COM1 + 2                ; IIR: reading it acknowledges the THRE interrupt
        in al, dx
        mov dx, COM1
        mov al, '.'
        out dx, al
        inc dword [sent]
        mov al, 0x20
        out 0x20, al
        pop edx
        pop eax
        iret

idt_descriptor:
        dw 256 * 8 - 1
        dd idt

load_end:

section .bss
alignb 8
idt:    resb 256 * 8
ticks:  resd 1
sent:   resd 1
        resb 4096
stack_top:
bss_end:
