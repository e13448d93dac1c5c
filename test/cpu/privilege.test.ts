import { describe, expect, it } from 'vitest';
import { DS, SS } from '../../machine/cpu/constants.ts';
import { bare, gateDescriptor, GDT, IDT, SEL, segmentDescriptor, TSS, TSS_ESP0, USER_STACK } from './harness.ts';

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
`;

describe('ring transitions', () => {
  it('iret to ring 3, then int 0x80 through a DPL 3 trap gate back to ring 0 on the TSS stack', () => {
    const t = bare(`
      sti
      ${TO_RING3}
    user:
      mov eax, 0x1234
      int 0x80
    after:`);
    t.writeDescriptor(IDT, 0x80, gateDescriptor(SEL.code0, 0x5000 + 0x80 * 4, 0xf, 3));
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x80);
    expect(t.cpu.cpl).toBe(0);
    const esp = t.cpu.regs[4] >>> 0;
    expect(esp).toBe(TSS_ESP0 - 20);
    const frame = [0, 4, 8, 12, 16].map((o) => t.read32(esp + o));
    expect(frame[1]).toBe(SEL.code3);
    expect(frame[3]).toBe(USER_STACK);
    expect(frame[4]).toBe(SEL.data3);
    // A trap gate leaves IF set.
    expect(frame[2] & 0x200).toBe(0x200);
    expect(t.cpu.getEflags() & 0x200).toBe(0x200);
    expect(t.cpu.regs[0]).toBe(0x1234);
  });

  it('an interrupt gate clears IF; iret to an outer level nulls data segments it may not use', () => {
    const t = bare(`
      sti
      ${TO_RING3.replace(/mov (ds|es), ax/g, '')}
    user:
      mov ebx, ds
      int 0x80`);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.getEflags() & 0x200).toBe(0);
    // DS held the ring-0 data selector at the iret: ring 3 saw it as null.
    expect(t.cpu.regs[3]).toBe(0);
  });

  it('int n checks the gate DPL against CPL: #GP((n << 3) | 2)', () => {
    const t = bare(`
      ${TO_RING3}
    user:
      int 0x40`);
    t.writeDescriptor(IDT, 0x40, gateDescriptor(SEL.code0, 0x5000 + 0x40 * 4, 0xe, 0));
    t.run();
    expect(t.vector()).toBe(13);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe((0x40 << 3) | 2);
  });

  it('a far call through a call gate copies parameters and switches stacks; retf 8 returns to ring 3', () => {
    const t = bare(`
      jmp short start
      dd kernel
    start:
      ${TO_RING3}
    user:
      push 111
      push 222
      call 0x43:0
      mov ebp, esp
      int 0x81
    kernel:
      mov esi, esp
      mov edi, 0x20000
      mov ecx, 6
      rep movsd
      mov eax, 0x600d
      retf 8`);
    t.writeDescriptor(GDT, 8, gateDescriptor(SEL.code0, t.read32(0x10002), 0xc, 3, 2));
    t.cpu.gdtLimit = 9 * 8 - 1;
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x81);
    const frame = [0, 4, 8, 12, 16, 20].map((o) => t.read32(0x20000 + o));
    expect(frame.slice(1)).toEqual([SEL.code3, 222, 111, USER_STACK - 8, SEL.data3]);
    expect(t.cpu.regs[0]).toBe(0x600d);
    expect(t.cpu.regs[5]).toBe(USER_STACK);
  });

  it('sysenter and sysexit round trip with selectors derived from SYSENTER_CS', () => {
    const t = bare(`
      mov ecx, 0x174
      mov eax, ${SEL.code0}
      xor edx, edx
      wrmsr
      mov ecx, 0x175
      mov eax, 0x7800
      wrmsr
      mov ecx, 0x176
      mov eax, kentry
      wrmsr
      mov ecx, ${USER_STACK}
      mov edx, user
      sysexit
    user:
      mov esi, cs
      mov edi, ss
      mov ecx, esp
      mov edx, back
      sysenter
    back:
      int 0x80
    kentry:
      mov ebx, cs
      mov ebp, esp
      sysexit`);
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x80);
    expect(t.cpu.regs[6]).toBe(0x1b);
    expect(t.cpu.regs[7]).toBe(0x23);
    expect(t.cpu.regs[3]).toBe(0x08);
    expect(t.cpu.regs[5]).toBe(0x7800);
    const esp = t.cpu.regs[4] >>> 0;
    expect(t.read32(esp + 4)).toBe(0x1b);
    expect(t.read32(esp + 12)).toBe(USER_STACK);
  });

  it('sysenter with SYSENTER_CS = 0 is #GP(0); sysexit from ring 3 is #GP(0)', () => {
    const t = bare('sysenter');
    t.run();
    expect(t.vector()).toBe(13);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(0);
    const u = bare(`${TO_RING3}\nuser: sysexit`);
    u.cpu.sysenterCs = 0x08;
    u.run();
    expect(u.vector()).toBe(13);
  });

  it('a part without SEP reports none in CPUID and has neither the instructions (#UD) nor their MSRs (#GP)', () => {
    const id = bare('mov eax, 1\ncpuid\nhlt', { sep: false });
    id.run();
    expect(id.cpu.regs[2]! & (1 << 11)).toBe(0);
    for (const [ins, vector] of [['sysenter', 6], ['sysexit', 6], ['mov ecx, 0x174\nwrmsr', 13], ['mov ecx, 0x176\nrdmsr', 13]] as const) {
      const t = bare(ins, { sep: false });
      t.run();
      expect(t.vector(), ins).toBe(vector);
    }
    const withSep = bare('mov eax, 1\ncpuid\nmov ecx, 0x174\nrdmsr\nhlt');
    expect(withSep.run()).toBe('hlt');
  });

  it('privileged instructions in ring 3 raise #GP(0)', () => {
    for (const ins of ['hlt', 'cli', 'mov eax, cr0', 'lgdt [0]', 'wrmsr', 'in al, 0x80', 'clts']) {
      const t = bare(`${TO_RING3}\nuser: ${ins}`);
      t.run();
      expect(t.vector(), ins).toBe(13);
      expect(t.read32(t.cpu.regs[4] >>> 0), ins).toBe(0);
    }
  });

  it('the TSS I/O bitmap lets ring 3 use the ports it clears', () => {
    const t = bare(`${TO_RING3}\nuser:\nmov al, 7\nout 0x80, al\nout 0x81, al`);
    t.mem.write8(TSS + 104 + 0x10, 0xfe);
    t.run();
    expect(t.io.writes).toEqual([[0x80, 1, 7]]);
    expect(t.vector()).toBe(13);
  });
});

describe('segment checks', () => {
  function loadFault(ins: string, extra: (t: ReturnType<typeof bare>) => void = () => undefined) {
    const t = bare(`${ins}\nhlt`);
    t.writeDescriptor(GDT, 8, segmentDescriptor(0, 0xfffff, 0x12, 0xc));
    t.writeDescriptor(GDT, 9, segmentDescriptor(0, 0xfffff, 0x98, 0xc));
    t.writeDescriptor(GDT, 10, segmentDescriptor(0x30000, 0xfff, 0x96, 0x4));
    t.cpu.gdtLimit = 11 * 8 - 1;
    extra(t);
    t.run();
    const esp = t.cpu.regs[4] >>> 0;
    return { vector: t.vector(), code: t.read32(esp), t };
  }

  it.each([
    ['mov ax, 0x58\nmov ds, ax', 13, 0x58],
    ['mov ax, 0x40\nmov ds, ax', 11, 0x40],
    ['mov ax, 0x40\nmov ss, ax', 12, 0x40],
    ['mov ax, 0x23\nmov ss, ax', 13, 0x20],
    ['mov ax, 0x48\nmov ds, ax', 13, 0x48],
    ['mov ax, 0x28\nmov es, ax', 13, 0x28],
    ['xor eax, eax\nmov ss, ax', 13, 0],
    ['xor eax, eax\nmov ds, ax\nmov ebx, [0x1000]', 13, 0],
    ['jmp 0x10:0', 13, 0x10],
    ['mov ax, 0x0c\nmov fs, ax', 13, 0x0c],
  ])('%s', (ins, vector, code) => {
    const r = loadFault(ins);
    expect(r.vector).toBe(vector);
    expect(r.code).toBe(code);
  });

  it('expand-down stack segment: offsets at or below the limit fault with #SS(0)', () => {
    const r = loadFault('mov ax, 0x50\nmov ss, ax\nmov esp, 0x2000\npush eax\nmov eax, [ss:0x1000]\nmov ebx, [ss:0xfff]');
    expect(r.vector).toBe(12);
    expect(r.t.read32(0x30000 + (r.t.cpu.regs[4] >>> 0))).toBe(0);
    expect(r.t.cpu.segSel[SS]).toBe(0x50);
    // The frame went on the expand-down stack: EIP of the faulting mov, then CS and EFLAGS.
    expect(r.t.cpu.regs[4] >>> 0).toBe(0x2000 - 4 - 16);
  });

  it('lar, lsl, verr, verw and arpl', () => {
    const t = bare(`
      mov ax, ${SEL.code3}
      lar ebx, ax
      lsl ecx, ax
      verr ax
      setz dl
      verw ax
      setz dh
      mov si, 0x08
      mov di, 0x03
      arpl si, di`);
    t.run();
    expect(t.cpu.regs[3] >>> 0).toBe(0x00cffa00);
    expect(t.cpu.regs[1] >>> 0).toBe(0xffffffff);
    expect(t.cpu.r8[8]).toBe(1);
    expect(t.cpu.r8[9]).toBe(0);
    expect(t.cpu.r16[12]).toBe(0x0b);
  });

  it('lldt and ltr load from the GDT; str and sldt read back; ltr marks the TSS busy', () => {
    const t = bare(`
      mov ax, 0x50
      lldt ax
      sldt bx
      mov ax, 0x58
      ltr ax
      str cx
      mov ax, 0x0c
      mov ds, ax
      mov edx, [0]
      mov ax, 0x14
      mov fs, ax`);
    t.writeDescriptor(GDT, 10, segmentDescriptor(0x30000, 0x0f, 0x82, 0));
    t.writeDescriptor(GDT, 11, segmentDescriptor(TSS, 0x67, 0x89, 0));
    t.cpu.gdtLimit = 12 * 8 - 1;
    // LDT entry 1 (selector 0x0c): a DPL 0 data segment based at 0x40000.
    t.writeDescriptor(0x30000, 1, segmentDescriptor(0x40000, 0xfff, 0x92, 0x4));
    t.mem.write32(0x40000, 0xabcd);
    t.run();
    expect(t.cpu.r16[6]).toBe(0x50);
    expect(t.cpu.r16[2]).toBe(0x58);
    expect(t.cpu.regs[2]).toBe(0xabcd);
    expect(t.cpu.segSel[DS]).toBe(0x0c);
    expect(t.mem.read8(GDT + 0x58 + 5) & 0xf).toBe(0xb);
    // LDT index 2 is beyond the LDT limit.
    expect(t.vector()).toBe(13);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(0x14);
  });
});

