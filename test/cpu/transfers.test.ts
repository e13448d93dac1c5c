import { describe, expect, it } from 'vitest';
import { CS } from '../../machine/cpu/constants.ts';
import { bare, gateDescriptor, GDT, IDT, SEL, segmentDescriptor, USER_STACK } from './harness.ts';

const TO_RING3 = `
  mov ax, ${SEL.data3}
  mov ds, ax
  mov es, ax
  push ${SEL.data3}
  push ${USER_STACK}
  pushfd
  push ${SEL.code3}
  push user
  iretd
user:`;

describe('near and far transfers', () => {
  it('call/ret, loop, jecxz, enter/leave, pusha/popa', () => {
    const t = bare(`
      mov ecx, 3
      xor eax, eax
    again: add eax, ecx
      loop again
      jecxz zero
      mov eax, -1
    zero:
      call fn
      mov ebp, 0x1234
      enter 16, 0
      mov edi, esp
      leave
      mov edx, 7
      pushad
      xor edx, edx
      popad
      hlt
    fn: inc eax
      ret`);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0]).toBe(7);
    expect(t.cpu.regs[7] >>> 0).toBe(0x8000 - 4 - 16);
    expect(t.cpu.regs[5]).toBe(0x1234);
    expect(t.cpu.regs[2]).toBe(7);
    expect(t.cpu.regs[4]).toBe(0x8000);
  });

  it('far jmp and far call/retf at the same level, including a 16-bit code segment', () => {
    const t = bare(`
      call 0x08:target
      jmp word ${SEL.code16}:(code16 - 0x10000)
    target:
      mov ebx, 5
      retf
    code16:
    bits 16
      mov cx, 0x16
      hlt`);
    t.writeDescriptor(GDT, 6, segmentDescriptor(0x10000, 0xffff, 0x9a, 0));
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[3]).toBe(5);
    expect(t.cpu.r16[2]).toBe(0x16);
    expect(t.cpu.segSel[CS]).toBe(SEL.code16);
    expect(t.cpu.code32).toBe(0);
  });

  it('real-mode far call, retf and iret', () => {
    const t = bare(`
      call 0x0000:fn
      pushf
      push cs
      push done
      iret
    done:
      hlt
    fn: mov ax, 0x55
      retf`, { mode: 'real' });
    expect(t.run()).toBe('hlt');
    expect(t.cpu.r16[0]).toBe(0x55);
    expect(t.cpu.r16[8]).toBe(0x7000);
  });

  it('a conforming code segment runs at the caller privilege', () => {
    const t = bare(`
      ${TO_RING3}
      call 0x4b:0
      int 0x80`);
    t.writeDescriptor(GDT, 9, segmentDescriptor(0x30000, 0xfffff, 0x9e, 0xc));
    t.cpu.gdtLimit = 10 * 8 - 1;
    // The conforming routine: int 0x81.
    t.mem.write8(0x30000, 0xcd);
    t.mem.write8(0x30001, 0x81);
    t.run();
    expect(t.vector()).toBe(0x81);
    // The frame shows the conforming segment entered with RPL 3 (CPL unchanged).
    expect(t.read32((t.cpu.regs[4] >>> 0) + 4)).toBe(0x4b);
  });

  it('a 16-bit call gate pushes 16-bit values and copies word parameters', () => {
    const t = bare(`
      jmp short start
      dd kernel
    start:
      ${TO_RING3}
      push word 0x1111
      push word 0x2222
      call 0x43:0
      int 0x81
    kernel:
      mov esi, esp
      mov edi, 0x20000
      mov ecx, 6
      rep movsw
      int 0x82`);
    // A 16-bit gate holds a 16-bit offset: the target segment is based at the code.
    t.writeDescriptor(GDT, 9, segmentDescriptor(0x10000, 0xfffff, 0x9a, 0xc));
    t.writeDescriptor(GDT, 8, gateDescriptor(0x48, t.read32(0x10002) - 0x10000, 0x4, 3, 2));
    t.cpu.gdtLimit = 10 * 8 - 1;
    t.run();
    expect(t.vector()).toBe(0x82);
    const words = [0, 2, 4, 6, 8, 10].map((o) => t.mem.read16(0x20000 + o));
    expect(words.slice(1)).toEqual([SEL.code3, 0x2222, 0x1111, (USER_STACK - 4) & 0xffff, SEL.data3]);
  });
});

describe('flags under privilege rules', () => {
  it('popf in ring 3 with IOPL 0 changes neither IF nor IOPL (no fault); pushf shows them', () => {
    const t = bare(`
      sti
      ${TO_RING3}
      pushfd
      and dword [esp], ~0x200
      or dword [esp], 0x3000
      popfd
      pushfd
      pop eax
      int 0x80`);
    t.run();
    expect(t.vector()).toBe(0x80);
    expect(t.cpu.regs[0] & 0x3200).toBe(0x200);
  });

  it('with IOPL 3, ring 3 may use cli/sti and in/out', () => {
    const t = bare(`
      pushfd
      or dword [esp], 0x3000
      popfd
      ${TO_RING3}
      cli
      mov al, 1
      out 0x80, al
      int 0x80`);
    t.run();
    expect(t.vector()).toBe(0x80);
    expect(t.io.writes).toEqual([[0x80, 1, 1]]);
  });
});

describe('interrupt gate checks', () => {
  it('a not-present gate is #NP with the IDT error code; a task gate to the busy current task is #GP(TSS)', () => {
    let t = bare('int 0x41');
    t.writeDescriptor(IDT, 0x41, [gateDescriptor(SEL.code0, 0x5000, 0xe, 3)[0], gateDescriptor(SEL.code0, 0x5000, 0xe, 3)[1] & ~0x8000]);
    t.run();
    expect(t.vector()).toBe(11);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(0x41 * 8 + 2);
    t = bare('int 0x42');
    t.writeDescriptor(IDT, 0x42, gateDescriptor(SEL.tss, 0, 0x5, 3));
    t.run();
    expect(t.vector()).toBe(13);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(SEL.tss);
  });

  it('an external interrupt through a bad gate reports EXT in the error code', () => {
    const t = bare('sti\nnop\nnop\nhlt');
    t.writeDescriptor(IDT, 0x30, [0, 0]);
    t.irq.queue.push(0x30);
    t.run();
    expect(t.vector()).toBe(13);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(0x30 * 8 + 2 + 1);
  });

  it('a 16-bit interrupt gate pushes a 16-bit frame', () => {
    const t = bare('int 0x43');
    t.writeDescriptor(IDT, 0x43, gateDescriptor(SEL.code0, 0x5000 + 0x43 * 4, 0x6, 3));
    t.run();
    expect(t.vector()).toBe(0x43);
    expect(t.cpu.regs[4]).toBe(0x8000 - 6);
    expect(t.mem.read16(0x8000 - 4)).toBe(SEL.code0);
  });
});

describe('returns to an outer level', () => {
  it('retf from ring 0 to ring 3 loads SS:ESP from the stack and nulls ring-0 data segments', () => {
    const t = bare(`
      mov ax, ${SEL.data0}
      mov es, ax
      push ${SEL.data3}
      push ${USER_STACK - 16}
      push ${SEL.code3}
      push user
      retf
    user:
      mov ebx, es
      mov ecx, ss
      int 0x80`);
    t.run();
    expect(t.vector()).toBe(0x80);
    expect(t.cpu.regs[3]).toBe(0);
    expect(t.cpu.regs[1]).toBe(SEL.data3);
    expect(t.read32((t.cpu.regs[4] >>> 0) + 12)).toBe(USER_STACK - 16);
  });

  it('a 16-bit iret at the same level pops IP, CS and FLAGS as words', () => {
    const t = bare(`
      pushfd
      pop eax
      push word ax
      push word ${SEL.code0}
      push word back
      o16 iret
      hlt
    back:
      mov ebx, esp
      hlt`, { org: 0x6000 });
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[3]).toBe(0x8000);
  });

  it('retf to a more privileged level is #GP(selector)', () => {
    const t = bare(`
      ${TO_RING3}
      push ${SEL.code0}
      push 0
      retf`);
    t.run();
    expect(t.vector()).toBe(13);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(SEL.code0);
  });
});

describe('real-mode shutdown', () => {
  it('an interrupt beyond the IVT limit escalates to a triple fault with a report', () => {
    const t = bare(`
      lidt [idtr]
      int 3
    idtr: dw 3
      dd 0`, { mode: 'real' });
    expect(t.run()).toBe('triple-fault');
    expect(t.cpu.shutdownReport).toMatch(/^triple fault at cs:eip=0000:00007c05/);
  });
});
