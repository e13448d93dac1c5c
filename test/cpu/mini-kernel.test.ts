// An end-to-end guest: boots from the reset vector through a ROM jump, switches to protected
// mode, builds its own GDT, IDT, TSS and page tables, drops to ring 3 with iret, and makes
// system calls through int 0x80, sysenter and a call gate while timer interrupts arrive.
import { describe, expect, it } from 'vitest';
import { bootFromReset, PROTECTED_MODE_ENTRY } from './rom-boot.ts';

const KERNEL = `${PROTECTED_MODE_ENTRY}  ; IDT: vector 0x20 (timer, interrupt gate DPL 0), 0x80 (trap gate DPL 3), 0x0E (page fault)
  mov eax, timer
  mov ebx, 0x20
  mov ecx, 0x8e00
  call set_gate
  mov eax, syscall_int
  mov ebx, 0x80
  mov ecx, 0xef00
  call set_gate
  mov eax, page_fault
  mov ebx, 0x0e
  mov ecx, 0x8e00
  call set_gate
  lidt [idtr]
  ; TSS at 0x3000: ESP0/SS0
  mov dword [0x3004], 0x80000
  mov dword [0x3008], 0x10
  mov word [0x3066], 104
  mov ax, 0x28
  ltr ax
  ; call gate in GDT slot 6 (selector 0x30) to gate_entry, DPL 3, one parameter
  mov eax, gate_entry
  mov [gdt + 6*8], ax
  mov word [gdt + 6*8 + 2], 0x08
  mov word [gdt + 6*8 + 4], 0xec01
  shr eax, 16
  mov [gdt + 6*8 + 6], ax
  ; sysenter MSRs
  mov ecx, 0x174
  mov eax, 0x08
  xor edx, edx
  wrmsr
  mov ecx, 0x175
  mov eax, 0x70000
  wrmsr
  mov ecx, 0x176
  mov eax, sysenter_entry
  wrmsr
  ; paging: identity-map 4 MiB, user-accessible, except the TSS page (0x3000): supervisor only
  mov edi, 0x20000
  mov eax, 0x07
  mov ecx, 1024
.fill:
  stosd
  add eax, 0x1000
  loop .fill
  mov dword [0x20000 + 3*4], 0x3003
  mov dword [0x1f000], 0x20007
  mov eax, 0x1f000
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80010000
  mov cr0, eax
  ; to ring 3 (data selector 0x23, code 0x1b, user stack 0x60000, IF set)
  mov ax, 0x23
  mov ds, ax
  mov es, ax
  push 0x23
  push 0x60000
  push 0x202
  push 0x1b
  push user
  iretd

set_gate: ; eax = handler, ebx = vector, ecx = type/attributes word
  mov [idt + ebx*8], ax
  mov word [idt + ebx*8 + 2], 0x08
  mov [idt + ebx*8 + 4], cx
  shr eax, 16
  mov [idt + ebx*8 + 6], ax
  ret

timer:
  inc dword [ticks]
  iretd

syscall_int:           ; eax = number: 1 write char bl to VGA, 2 return ticks
  push ds
  push es
  mov dx, 0x10
  mov ds, dx
  mov es, dx
  cmp eax, 1
  jne .ticks
  mov edi, [cursor]
  mov bh, 0x07
  mov [0xb8000 + edi*2], bx
  inc dword [cursor]
  xor eax, eax
  jmp .done
.ticks:
  mov eax, [ticks]
.done:
  pop es
  pop ds
  iretd

gate_entry:            ; [esp+8] = the parameter: adds 1000
  mov eax, [esp + 8]
  add eax, 1000
  retf 4

sysenter_entry:        ; returns 42 + ebx
  lea eax, [ebx + 42]
  sysexit

page_fault:
  mov eax, cr2
  mov [0x500], eax
  hlt

user:
  mov eax, 1
  mov bl, 'O'
  int 0x80
  mov eax, 1
  mov bl, 'K'
  int 0x80
  push 5
  call 0x33:0
  mov esi, eax
  mov ebx, 8
  mov ecx, esp
  mov edx, .back
  sysenter
.back:
  mov edi, eax
.wait:
  mov eax, 2
  int 0x80
  cmp eax, 3
  jb .wait
  mov ebp, eax
  mov eax, [0x3000]        ; the supervisor-only page: #PF with U=1, P=1
  jmp $

align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff   ; 0x08 kernel code
  dq 0x00cf92000000ffff   ; 0x10 kernel data
  dq 0x00cffa000000ffff   ; 0x1b user code
  dq 0x00cff2000000ffff   ; 0x23 user data
  dw 0x67, 0x3000, 0x8900, 0x0000 ; 0x28 TSS at 0x3000
  dq 0                    ; 0x30 call gate, filled in at run time
gdt_end:
gdtr:
  dw gdt_end - gdt - 1
  dd gdt
idtr:
  dw 256*8 - 1
  dd idt
ticks: dd 0
cursor: dd 0
align 8
idt: times 256 dq 0
`;

describe('a miniature kernel on the bare CPU', () => {
  it('boots from reset, enters ring 3 and serves system calls through three mechanisms', () => {
    const { cpu, mem, reason } = bootFromReset(KERNEL, { ramSize: 4 << 20, slices: 200, sliceSize: 500 });
    const where = () => JSON.stringify({ eip: cpu.eip.toString(16), cpl: cpu.cpl, cr2: (cpu.cr2 >>> 0).toString(16), report: cpu.shutdownReport });
    expect(reason, where()).toBe('hlt');
    expect(mem.read16(0xb8000), where()).toBe(0x0700 | 'O'.charCodeAt(0));
    expect(mem.read16(0xb8002)).toBe(0x0700 | 'K'.charCodeAt(0));
    expect(cpu.regs[6]).toBe(1005);
    expect(cpu.regs[7]).toBe(50);
    expect(cpu.regs[5]).toBeGreaterThanOrEqual(3);
    expect(mem.read32(0x500)).toBe(0x3000);
    // The page-fault frame on the ring-0 stack: error code 5 (present, user, read), user CS.
    const esp = cpu.regs[4] >>> 0;
    expect(mem.read32(esp)).toBe(5);
    expect(mem.read32(esp + 8)).toBe(0x1b);
  });
});
