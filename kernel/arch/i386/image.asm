; The kernel image: the only machine code of the kernel. It holds the protected-mode startup
; (head.asm), the entry and exit stubs of every vector (entry.asm), and the data the CPU reads
; in place: the GDT, the IDT, the TSS (each filled by the TypeScript kernel in its binary
; format), the per-CPU area the bridge and the stubs share, and the boot stack.
;
; The boot ROM copies this image to physical IMAGE_PHYS (1 MiB); it runs at KERNEL_BASE +
; IMAGE_PHYS once paging is on. Selectors (KERNEL_CS...), bridge numbers (BRIDGE_...) and the
; addresses come from kernel/arch/i386/layout.ts as -D definitions (tools/build/kernel.ts).

bits 32
org KERNEL_BASE + IMAGE_PHYS

image_start:
%include "head.asm"
%include "entry.asm"

align 4
; Shared with the TypeScript side (kernel/arch/i386/cpu-area.ts), which reads these addresses
; from the assembler's symbols. TS writes them during a bridge call; the exit path acts on them.
cpu_area:
.return_esp:    dd 0            ; the stack the exit path restores from (a pt_regs frame)
.cr3:           dd 0            ; the page directory to run with
.flush:         dd 0            ; nonzero: reload CR3 even when it is already loaded
.idle:          dd 0            ; nonzero: nothing to run, wait in the idle loop
.halt:          dd 0            ; nonzero: the kernel panicked, stop the CPU for good
.invlpg_count:  dd 0            ; how many addresses of .invlpg to invalidate (at most 8)
.invlpg:        times 8 dd 0
.sysexit:       dd 0            ; nonzero: the frame may return with sysexit (the kernel checked it)
.sysenter:      dd 0            ; nonzero (set at boot): program the SYSENTER MSRs, the CPU has SEP
.cpu_vendor:    times 12 db 0   ; CPUID leaf 0's vendor string, written by startup_32
.cpu_signature: dd 0            ; CPUID leaf 1's EAX: family, model, stepping
                dw 0            ; aligns the base fields of the two pseudo-descriptors
.gdtr:          dw 0            ; lgdt operand: limit
                dd 0            ;               linear base
                dw 0
.idtr:          dw 0            ; lidt operand: limit
                dd 0            ;               linear base

align 8
gdt:            times 8 * 8 db 0
idt:            times 256 * 8 db 0
align 16
; 104 bytes of 32-bit TSS, then the I/O permission bitmap (65536 ports, one bit each) and the
; 0xFF byte the CPU reads past its end.
tss:            times 104 + 8192 + 1 db 0

align 16
boot_stack:     times 4096 db 0
boot_stack_top:

; SYSENTER_ESP: sysenter_entry moves to the process's kernel stack (TSS.esp0) at once, so this
; stack only ever holds the #DB a user's TF raises before that first instruction.
align 16
sysenter_stack: times 256 db 0
sysenter_stack_top:

; The two vDSO images (vdso.asm laid out as ELF shared objects by tools/build/vdso.ts); at boot
; the kernel copies the one this CPU can run into frames it maps into every process.
align 4
vdso_int80:     incbin "vdso-int80.so"
vdso_int80_end:
align 4
vdso_sysenter:  incbin "vdso-sysenter.so"
vdso_sysenter_end:

image_end:
