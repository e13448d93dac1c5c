// A miniature 64-bit kernel on the bare CPU: from the reset vector through real mode and
// protected mode into long mode (PAE, EFER.LME, CR3, CR0.PG, far jump), its own GDT, 16-byte IDT
// gates and 64-bit TSS, then ring 3: 64-bit code calling the kernel through syscall (returning
// through sysret; the kernel switches stacks with swapgs), and 32-bit compatibility code calling
// it through int 0x80 (returning through iretq), with timer interrupts arriving in both.
import { describe, expect, it } from 'vitest';
import { bootFromReset, PROTECTED_MODE_ENTRY } from './rom-boot.ts';

const KERNEL = `${PROTECTED_MODE_ENTRY}  ; page tables at 0x10000: PML4 -> PDPT -> PD of 2 MiB pages identity-mapping 8 MiB, user and writable
  mov dword [0x10000], 0x11007
  mov dword [0x11000], 0x12007
  mov dword [0x12000], 0x000087
  mov dword [0x12008], 0x200087
  mov dword [0x12010], 0x400087
  mov dword [0x12018], 0x600087
  mov eax, cr4
  or eax, 0x20
  mov cr4, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, 0x901           ; LME, NXE, SCE
  wrmsr
  mov eax, 0x10000
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  jmp 0x18:long_entry
bits 64
long_entry:
  mov rsp, 0x90000
  ; the 64-bit TSS (at 0x3000): RSP0; its 16-byte descriptor at selector 0x40
  mov qword [0x3004], 0x80000
  mov word [0x3066], 104
  mov rax, 0x3000
  mov word [gdt_tss], 0x67
  mov [gdt_tss + 2], ax
  mov byte [gdt_tss + 5], 0x89
  mov ax, gdt_tss - gdt
  ltr ax
  ; IDT: 0x20 timer and 0x0e page fault (interrupt gates), 0x80 (trap gate, DPL 3)
  lea rax, [rel timer]
  mov ebx, 0x20
  mov ecx, 0x8e00
  call set_gate
  lea rax, [rel page_fault]
  mov ebx, 0x0e
  call set_gate
  lea rax, [rel int80]
  mov ebx, 0x80
  mov ecx, 0xef00
  call set_gate
  lidt [idtr]
  ; syscall: kernel CS 0x18 (SS 0x20), sysret base 0x28 (compat CS 0x2b, SS 0x33, 64-bit CS 0x3b)
  mov ecx, 0xc0000081
  xor eax, eax
  mov edx, 0x00280018
  wrmsr
  mov ecx, 0xc0000082
  lea rax, [rel syscall_entry]
  mov rdx, rax
  shr rdx, 32
  wrmsr
  mov ecx, 0xc0000084
  mov eax, 0x700
  xor edx, edx
  wrmsr
  ; KERNEL_GS_BASE: the per-CPU block (kernel stack, saved user stack)
  mov ecx, 0xc0000102
  mov eax, percpu
  xor edx, edx
  wrmsr
  mov qword [percpu], 0x70000
  ; to ring 3, 64-bit code, IF set
  push 0x33
  push 0x60000
  push 0x202
  push 0x3b
  lea rax, [rel user64]
  push rax
  iretq

set_gate: ; rax = handler, rbx = vector, cx = type/attributes
  shl rbx, 4
  mov [idt + rbx], ax
  mov word [idt + rbx + 2], 0x18
  mov [idt + rbx + 4], cx
  shr rax, 16
  mov [idt + rbx + 6], ax
  shr rax, 16
  mov [idt + rbx + 8], eax
  ret

timer:
  inc qword [ticks]
  iretq

; the service: rax = number, rdi = argument; 1 writes the character to VGA, 2 returns ticks, 60 stops
service:
  cmp rax, 1
  jne .ticks
  mov rsi, [cursor]
  mov ah, 0x07
  mov al, dil
  mov [0xb8000 + rsi*2], ax
  inc qword [cursor]
  xor eax, eax
  ret
.ticks:
  cmp rax, 2
  jne .exit
  mov rax, [ticks]
  ret
.exit:
  hlt

syscall_entry:
  swapgs
  mov [gs:8], rsp
  mov rsp, [gs:0]
  push rcx
  push r11
  call service
  pop r11
  pop rcx
  mov rsp, [gs:8]
  swapgs
  o64 sysret

int80: ; i386 ABI from compatibility mode: eax = number, ebx = argument
  push rdi
  mov edi, ebx
  call service
  pop rdi
  iretq

page_fault:
  mov rax, cr2
  mov [0x500], rax
  hlt

user64:
  mov eax, 1
  mov edi, 'L'
  syscall
  mov eax, 1
  mov edi, 'M'
  syscall
  mov r12, rcx
.wait:
  mov eax, 2
  syscall
  cmp rax, 3
  jb .wait
  mov r13, rax
  jmp far [rel to_compat]
to_compat:
  dq compat
  dw 0x2b

bits 32
compat:
  mov eax, 1
  mov ebx, '3'
  int 0x80
  mov eax, 1
  mov ebx, '2'
  int 0x80
  mov ecx, cs
  mov esi, ecx
  mov eax, 60
  int 0x80
  jmp $

align 16
gdt:
  dq 0
  dq 0x00cf9a000000ffff   ; 0x08 32-bit kernel code
  dq 0x00cf92000000ffff   ; 0x10 kernel data
  dq 0x00af9a000000ffff   ; 0x18 64-bit kernel code
  dq 0x00cf92000000ffff   ; 0x20 kernel data (syscall SS)
  dq 0x00cffa000000ffff   ; 0x2b 32-bit user code (compatibility mode)
  dq 0x00cff2000000ffff   ; 0x33 user data
  dq 0x00affa000000ffff   ; 0x3b 64-bit user code
gdt_tss:
  dq 0, 0                 ; 0x40 the 64-bit TSS (16 bytes), filled in at run time
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dq gdt
idtr:
  dw 256*16 - 1
  dq idt
ticks: dq 0
cursor: dq 0
percpu: dq 0, 0
align 16
idt: times 256 dq 0, 0
`;

describe('a miniature 64-bit kernel on the bare CPU', () => {
  it.each(['intel', 'amd'] as const)('boots from reset into long mode and serves syscall and int 0x80 (%s)', (vendor) => {
    const { cpu, mem, reason } = bootFromReset(KERNEL, { ramSize: 8 << 20, slices: 400, sliceSize: 300, vendor });
    const where = () => JSON.stringify({ eip: cpu.eip.toString(16), cpl: cpu.cpl, mode64: cpu.mode64, report: cpu.shutdownReport });
    expect(reason, where()).toBe('hlt');
    const text = [0, 1, 2, 3].map((i) => String.fromCharCode(mem.read16(0xb8000 + 2 * i) & 0xff)).join('');
    expect(text, where()).toBe('LM32');
    expect(mem.read16(0xb8000) >> 8).toBe(0x07);
    // In ring 0 through int 0x80 from compatibility code: its frame is on RSP0 of the TSS.
    expect(cpu.cpl).toBe(0);
    expect(cpu.regs[6]).toBe(0x2b);
    expect(mem.read32(0x80000 - 32)).toBe(0x2b);
    expect(cpu.regs[13]).toBeGreaterThanOrEqual(3);
    expect(cpu.efer & 0x400).toBe(0x400);
  });
});
