import { describe, expect, it } from 'vitest';
import { bare, IDT, SEL, USER_STACK } from './harness.ts';

const TO_RING3 = `
  push ${SEL.data3}
  push ${USER_STACK}
  pushfd
  push ${SEL.code3}
  push user
  iretd
user:`;

function frameEip(t: ReturnType<typeof bare>, withCode = false): number {
  return t.read32((t.cpu.regs[4] >>> 0) + (withCode ? 4 : 0));
}

describe('external interrupts', () => {
  it('waits for IF and honours the one-instruction shadow after sti', () => {
    const t = bare('cli\nnop\nnop\nsti\nnop\nafter: nop\nhlt');
    t.irq.queue.push(0x20);
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x20);
    // Delivered after the instruction following sti: the saved EIP is 'after'.
    expect(frameEip(t)).toBe(0x10000 + 5);
    expect(t.irq.queue).toEqual([]);
  });

  it('mov ss blocks interrupts for one instruction', () => {
    const t = bare(`sti\nnop\nmov ax, ${SEL.data0}\nmov ss, ax\nmov esp, 0x8000\nhlt`);
    t.run(2);
    t.irq.queue.push(0x21);
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x21);
    expect(t.cpu.regs[4] >>> 0).toBe(0x8000 - 12);
  });

  it('hlt stops the run; an interrupt wakes it and the frame returns after hlt', () => {
    const t = bare('sti\nhlt\nmov eax, 1\nhlt');
    expect(t.run()).toBe('hlt');
    expect(t.run()).toBe('hlt');
    expect(t.cpu.eip).toBe(0x10002);
    t.irq.queue.push(0x22);
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x22);
    expect(frameEip(t)).toBe(0x10002);
  });
});

describe('exceptions', () => {
  it('single-steps with TF: #DB after the instruction that follows popf', () => {
    const t = bare('pushfd\nor dword [esp], 0x100\npopfd\nnop\nsecond: nop\nhlt');
    t.run();
    expect(t.vector()).toBe(1);
    expect(frameEip(t)).toBe(0x10000 + 1 + 7 + 1 + 1);
    expect(t.cpu.dr[6] & 0x4000).toBe(0x4000);
  });

  it('int3, into and bound deliver #BP, #OF and #BR with the right return address', () => {
    let t = bare('int3\nnop');
    t.run();
    expect(t.vector()).toBe(3);
    expect(frameEip(t)).toBe(0x10001);
    t = bare('mov al, 0x7f\nadd al, 1\ninto\nnop');
    t.run();
    expect(t.vector()).toBe(4);
    t = bare('mov dword [0x20000], 1\nmov dword [0x20004], 5\nmov eax, 6\nbound eax, [0x20000]');
    t.run();
    expect(t.vector()).toBe(5);
    expect(t.mem.read8(frameEip(t))).toBe(0x62);
  });

  it('#UD for undefined opcodes, logged once', () => {
    const t = bare('db 0x0f, 0x38, 0x00, 0xc0');
    t.run();
    expect(t.vector()).toBe(6);
    expect(t.logs.some((l) => l.includes('0F 38'))).toBe(true);
  });

  it('x87 escapes raise #NM with CR0.EM or CR0.TS, #UD otherwise', () => {
    // fld dword [0], written as bytes: the assembler has no x87.
    const fld = 'db 0xd9, 0x05\ndd 0';
    let t = bare(`mov eax, cr0\nor eax, 4\nmov cr0, eax\n${fld}`);
    t.run();
    expect(t.vector()).toBe(7);
    t = bare(fld);
    t.run();
    expect(t.vector()).toBe(6);
  });

  it('a fault while delivering a contributory fault becomes #DF; a fault delivering #DF is a triple fault', () => {
    const t = bare('mov ax, 0x7f8\nmov ds, ax');
    t.writeDescriptor(IDT, 13, [0, 0]);
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(8);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(0);
    const u = bare('mov ax, 0x7f8\nmov ds, ax');
    u.writeDescriptor(IDT, 13, [0, 0]);
    u.writeDescriptor(IDT, 8, [0, 0]);
    expect(u.run()).toBe('triple-fault');
    expect(u.cpu.shutdownReport).toMatch(/triple fault at cs:eip=0008:00010004/);
    expect(u.run()).toBe('triple-fault');
  });

  it('the pushed EFLAGS of a fault has RF set', () => {
    const t = bare('ud2');
    t.run();
    expect(t.read32((t.cpu.regs[4] >>> 0) + 8) & 0x10000).toBe(0x10000);
  });
});

describe('cpuid, rdtsc, msr', () => {
  it.each([['intel', 'GenuineIntel'], ['amd', 'AuthenticAMD']] as const)('%s vendor string and brand', (vendor, id) => {
    const t = bare('xor eax, eax\ncpuid\nmov [0x20000], ebx\nmov [0x20004], edx\nmov [0x20008], ecx\nmov eax, 0x80000002\ncpuid\nmov [0x20010], eax\nmov eax, 1\ncpuid\nhlt', { vendor });
    t.run();
    expect(new TextDecoder().decode(t.mem.readBytes(0x20000, 12))).toBe(id);
    expect(new TextDecoder().decode(t.mem.readBytes(0x20010, 4))).toBe('sysc');
    // No FPU; TSC, MSR, CX8, SEP, CMOV, PSE present.
    expect(t.cpu.regs[2] & 1).toBe(0);
    expect(t.cpu.regs[2] & 0x8930).toBe(0x8938 & 0x8930);
  });

  it('rdtsc counts virtual cycles; unknown MSRs raise #GP(0)', () => {
    const t = bare('nop\nnop\nrdtsc\nmov ecx, 0x12345\nrdmsr');
    t.run();
    expect(t.cpu.regs[0]).toBe(2);
    expect(t.vector()).toBe(13);
  });
});

describe('native-call bridge', () => {
  it('vmcall in ring 0 runs the registered handler between instructions', () => {
    const t = bare('mov eax, 40\nvmcall\nadd eax, 1\nhlt');
    t.cpu.nativeHandler = (cpu) => {
      cpu.regs[0] += 1;
      expect(cpu.eip).toBe(0x10008);
    };
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0]).toBe(42);
  });

  it('vmcall raises #UD without a handler and from ring 3', () => {
    const t = bare('vmcall');
    t.run();
    expect(t.vector()).toBe(6);
    const u = bare(`${TO_RING3}\nvmcall`);
    let called = false;
    u.cpu.nativeHandler = () => {
      called = true;
    };
    u.run();
    expect(u.vector()).toBe(6);
    expect(called).toBe(false);
  });

  it('a handler may stop the run at the next boundary', () => {
    const t = bare('vmcall\nmov eax, 7\nhlt');
    t.cpu.nativeHandler = (cpu) => cpu.requestStop();
    expect(t.run()).toBe('stopped');
    expect(t.cpu.eip).toBe(0x10003);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0]).toBe(7);
  });
});


describe('alignment checking', () => {
  it('raises #AC(0) for a misaligned ring-3 access with CR0.AM and EFLAGS.AC, and not otherwise', () => {
    const t = bare(`
      mov eax, cr0
      or eax, 0x40000
      mov cr0, eax
      mov ebx, [0x20001]
      pushfd
      or dword [esp], 0x40000
      popfd
      mov ebx, [0x20001]
      mov ax, ${SEL.data3}
      mov ds, ax
      ${TO_RING3}
      mov ecx, [0x20004]
      mov edx, [0x20002]
      int 0x80`);
    t.run();
    expect(t.vector()).toBe(17);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(0);
    expect(t.cpu.cpl).toBe(0);
    expect(t.read32((t.cpu.regs[4] >>> 0) + 8)).toBe(0x1b);
  });
});

describe('debug breakpoints', () => {
  it('an instruction breakpoint faults before the instruction; RF in the frame lets it run once', () => {
    const t = bare(`
      mov dword [${IDT} + 8], handler
      mov word [${IDT} + 8 + 2], ${SEL.code0}
      mov word [${IDT} + 8 + 4], 0x8e00
      mov word [${IDT} + 8 + 6], 0x0001
      mov eax, target
      mov dr0, eax
      mov eax, 1
      mov dr7, eax
      xor ebx, ebx
    target:
      inc ebx
      hlt
    handler:
      inc dword [0x20000]
      or dword [esp + 8], 0x10000
      iretd`);
    expect(t.run()).toBe('hlt');
    expect(t.read32(0x20000)).toBe(1);
    expect(t.cpu.regs[3]).toBe(1);
    expect(t.cpu.dr[0] & 0xffff0000).toBe(0x10000);
    expect(t.cpu.dr[6] & 0xf).toBe(1);
  });

  it('a data breakpoint on writes traps after the writing instruction', () => {
    const t = bare(`
      mov eax, 0x20010
      mov dr1, eax
      mov eax, (1 << 2) | (1 << 20) | (3 << 22)
      mov dr7, eax
      mov ecx, [0x20010]
      mov [0x20012], cl
    after:
      nop
      hlt`);
    t.run();
    expect(t.vector()).toBe(1);
    expect(t.cpu.dr[6] & 0xf).toBe(2);
    // A trap: the frame returns to the instruction after the write.
    expect(t.mem.read8(t.read32(t.cpu.regs[4] >>> 0))).toBe(0x90);
  });
});
