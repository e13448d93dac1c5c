import { describe, expect, it } from 'vitest';
import { CS, DS } from '../../machine/cpu/constants.ts';
import { Cpu } from '../../machine/cpu/cpu.ts';
import { PhysicalMemory } from '../../machine/memory/physical.ts';
import { asm } from '../helpers/asm.ts';
import { bare, TestInterrupts, TestIo } from './harness.ts';

describe('reset and real mode', () => {
  it('starts at F000:FFF0 with base FFFF0000, the signature in EDX and CR0 = 60000010', () => {
    const mem = new PhysicalMemory({ ramSize: 1 << 20 });
    const rom = new Uint8Array(0x10000);
    rom.set(asm('mov ax, 0x1234\nhlt', { bits: 16 }), 0xfff0);
    mem.mapBios(rom);
    const cpu = new Cpu({ memory: mem, io: new TestIo(), interrupts: new TestInterrupts() });
    const s = cpu.snapshot();
    expect(s.segments.cs).toMatchObject({ selector: 0xf000, base: 0xffff0000 });
    expect(s.eip).toBe(0xfff0);
    expect(s.edx).toBe(0x633);
    expect(s.cr0).toBe(0x60000010);
    expect(s.eflags).toBe(2);
    expect(cpu.run(10)).toBe('hlt');
    expect(cpu.regs[0] & 0xffff).toBe(0x1234);
  });

  it('delivers int n through the IVT and returns with iret', () => {
    const t = bare(`
      mov word [0x21*4], handler
      mov word [0x21*4+2], 0
      mov ax, 5
      int 0x21
      mov bx, ax
      hlt
    handler:
      add ax, 10
      iret`, { mode: 'real' });
    expect(t.run()).toBe('hlt');
    expect(t.cpu.r16[6]).toBe(15);
    expect(t.cpu.regs[4]).toBe(0x7000);
  });

  it('switches from real to protected mode with lgdt, CR0.PE and a far jump', () => {
    const t = bare(`
      cli
      lgdt [gdtr]
      mov eax, cr0
      or al, 1
      mov cr0, eax
      jmp 0x08:pm
    bits 32
    pm:
      mov ax, 0x10
      mov ds, ax
      mov ss, ax
      mov esp, 0x8000
      mov dword [0xb8000], 0x07690748
      push eax
      hlt
    align 8
    gdt: dq 0
      dq 0x00cf9a000000ffff
      dq 0x00cf92000000ffff
    gdtr: dw 23
      dd gdt`, { mode: 'real' });
    expect(t.run()).toBe('hlt');
    expect(t.cpu.protectedMode()).toBe(true);
    expect(t.cpu.segSel[CS]).toBe(0x08);
    expect(t.cpu.code32).toBe(1);
    expect(t.read32(0xb8000)).toBe(0x07690748);
    expect(t.cpu.regs[4]).toBe(0x8000 - 4);
  });

  it('keeps a cached 4 GiB limit after returning to real mode (unreal mode)', () => {
    const t = bare(`
      cli
      lgdt [gdtr]
      mov eax, cr0
      or al, 1
      mov cr0, eax
      mov bx, 0x10
      mov ds, bx
      and al, 0xfe
      mov cr0, eax
      xor bx, bx
      mov ds, bx
      mov dword [dword 0x200000], 0xcafe
      hlt
    align 8
    gdt: dq 0
      dq 0
      dq 0x00cf92000000ffff
    gdtr: dw 23
      dd gdt`, { mode: 'real' });
    expect(t.run()).toBe('hlt');
    expect(t.cpu.protectedMode()).toBe(false);
    expect(t.read32(0x200000)).toBe(0xcafe);
  });

  it('raises #GP (int 13) for a word access that wraps past 0xFFFF in real mode', () => {
    const t = bare(`
      mov word [13*4], handler
      mov word [13*4+2], 0
      mov ax, [0xffff]
      hlt
    handler:
      mov cx, 0x77
      hlt`, { mode: 'real' });
    expect(t.run()).toBe('hlt');
    expect(t.cpu.r16[2]).toBe(0x77);
    expect(t.cpu.segSel[DS]).toBe(0);
  });
});
