import { describe, expect, it } from 'vitest';
import { CR0_TS, TR } from '../../machine/cpu/constants.ts';
import { bare, gateDescriptor, GDT, IDT, SEL, segmentDescriptor, TSS } from './harness.ts';

const TSS_B = 0x30000;

/** A second task whose TSS starts it at `eip` with flat ring-0 segments and its own stack. */
function addTask(t: ReturnType<typeof bare>, eip: number): void {
  t.writeDescriptor(GDT, 8, segmentDescriptor(TSS_B, 0x67, 0x89, 0));
  t.cpu.gdtLimit = 10 * 8 - 1;
  t.mem.write32(TSS_B + 32, eip);
  t.mem.write32(TSS_B + 36, 0x2);
  t.mem.write32(TSS_B + 56, 0x38000);
  const segs = [SEL.data0, SEL.code0, SEL.data0, SEL.data0, SEL.data0, SEL.data0];
  segs.forEach((s, i) => t.mem.write32(TSS_B + 72 + i * 4, s));
}

describe('hardware task switching', () => {
  it('a far call to a TSS runs the task; its iret returns through the back link', () => {
    const t = bare(`
      jmp short start
      dd task_b
    start:
      mov esi, 0x1234
      call 0x40:0
      mov edx, 0x99
      hlt
    task_b:
      mov dword [0x20000], 0x77
      str cx
      mov [0x20004], cx
      pushfd
      pop dword [0x20008]
      mov esi, 0x5555
      iretd`);
    addTask(t, t.read32(0x10002));
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(-1);
    expect(t.read32(0x20000)).toBe(0x77);
    expect(t.mem.read16(0x20004)).toBe(0x40);
    // Task B ran with NT set (it was called); its registers stayed in its TSS.
    expect(t.read32(0x20008) & 0x4000).toBe(0x4000);
    expect(t.cpu.regs[6]).toBe(0x1234);
    expect(t.read32(TSS_B + 40 + 6 * 4)).toBe(0x5555);
    expect(t.cpu.regs[2]).toBe(0x99);
    expect(t.cpu.segSel[TR]).toBe(SEL.tss);
    expect(t.mem.read16(TSS_B)).toBe(SEL.tss);
    // Back in the first task: task B is available again, the first task busy, CR0.TS set.
    expect(t.mem.read8(GDT + 0x40 + 5) & 0xf).toBe(0x9);
    expect(t.mem.read8(GDT + SEL.tss + 5) & 0xf).toBe(0xb);
    expect(t.cpu.cr0 & CR0_TS).toBe(CR0_TS);
    expect(t.cpu.getEflags() & 0x4000).toBe(0);
  });

  it('a double fault through a task gate runs on a fresh task with the error code on its stack', () => {
    const t = bare(`
      jmp short start
      dd task_b
    start:
      mov ax, 0x7f8
      mov ds, ax
    task_b:
      hlt`);
    addTask(t, t.read32(0x10002));
    t.writeDescriptor(IDT, 13, [0, 0]);
    t.writeDescriptor(IDT, 8, gateDescriptor(0x40, 0, 0x5, 0));
    expect(t.run()).toBe('hlt');
    expect(t.cpu.segSel[TR]).toBe(0x40);
    expect(t.cpu.regs[4] >>> 0).toBe(0x38000 - 4);
    expect(t.read32(0x38000 - 4)).toBe(0);
    // The outgoing task's state was saved at the faulting instruction.
    expect(t.mem.read16(TSS_B)).toBe(SEL.tss);
    // jmp short + dd (6), mov ax (4): the mov ds at 0x1000a.
    expect(t.read32(TSS + 32)).toBe(0x10000 + 10);
  });

  it('a busy TSS cannot be called again (#GP with its selector)', () => {
    const t = bare(`
      call ${SEL.tss}:0`);
    t.run();
    expect(t.vector()).toBe(13);
    expect(t.read32(t.cpu.regs[4] >>> 0)).toBe(SEL.tss);
  });
});
