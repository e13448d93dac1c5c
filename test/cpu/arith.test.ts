import { describe, expect, it } from 'vitest';
import { bare } from './harness.ts';
import { flags, only } from './flags.ts';

function run(src: string) {
  const t = bare(src + '\nhlt');
  expect(t.run()).toBe('hlt');
  expect(t.vector()).toBe(-1);
  return t;
}

describe('add, sub, adc, sbb, cmp, inc, dec, neg flags', () => {
  it.each([
    ['mov al, 0x7f\nadd al, 1', 0x80, 'SOA'],
    ['mov al, 0xff\nadd al, 1', 0x00, 'CZPA'],
    ['mov ax, 0x8000\nadd ax, 0x8000', 0x0000, 'CZPO'],
    ['mov eax, 0\nsub eax, 1', 0xffffffff, 'CSPA'],
    ['mov eax, 0x80000000\nsub eax, 1', 0x7fffffff, 'OPA'],
    ['stc\nmov eax, 0xffffffff\nadc eax, 0', 0, 'CZPA'],
    ['stc\nmov eax, 0\nsbb eax, 0', 0xffffffff, 'CSPA'],
    ['stc\nmov eax, 5\nsbb eax, 4', 0, 'ZP'],
    ['mov eax, 1\nneg eax', 0xffffffff, 'CSPA'],
    ['mov eax, 0\nneg eax', 0, 'ZP'],
    ['mov eax, 3\ncmp eax, 5', 3, 'CSA'],
  ])('%s', (src, eax, f) => {
    const t = run(src);
    expect((t.cpu.regs[0] & (src.includes(' al') ? 0xff : src.includes(' ax') ? 0xffff : 0xffffffff)) >>> 0).toBe(eax);
    expect(flags(t.cpu)).toEqual(only(f));
  });

  it('inc and dec keep CF', () => {
    const t = run('stc\nmov ecx, 0xffffffff\ninc ecx\nmov edx, ecx\nclc\ndec edx');
    expect(t.cpu.regs[1]).toBe(0);
    expect(t.cpu.regs[2]).toBe(-1);
    expect(flags(t.cpu)).toEqual(only('SPA'));
  });

  it('inc reaching 0x80 sets OF; flags of a memory operand', () => {
    const t = run('mov byte [0x20000], 0x7f\ninc byte [0x20000]\nmov bl, [0x20000]');
    expect(t.cpu.r8[12]).toBe(0x80);
    expect(flags(t.cpu)).toEqual(only('SOA'));
  });

  it('logic instructions clear CF, OF and AF', () => {
    const t = run('mov eax, 0xf0\nadd eax, 0x20\nstc\nand eax, 0x0f');
    expect(t.cpu.regs[0]).toBe(0);
    expect(flags(t.cpu)).toEqual(only('ZP'));
    const u = run('mov eax, 0x80000000\nor eax, 1');
    expect(flags(u.cpu)).toEqual(only('S'));
  });

  it('group 1 with a sign-extended byte immediate, 16-bit operand', () => {
    const t = run('mov ax, 10\nsub ax, byte -3\nmov ebx, 0x1000\nadd bx, -1');
    expect(t.cpu.r16[0]).toBe(13);
    expect(t.cpu.r16[6]).toBe(0x0fff);
  });
});

describe('multiply and divide', () => {
  it('mul and imul forms set CF/OF when the high half matters', () => {
    const t = run('mov eax, 0x10000\nmov ecx, 0x10000\nmul ecx');
    expect(t.cpu.regs[0]).toBe(0);
    expect(t.cpu.regs[2]).toBe(1);
    expect(flags(t.cpu).cf && flags(t.cpu).of).toBe(true);
    const u = run('mov eax, -3\nmov ecx, 7\nimul ecx');
    expect(u.cpu.regs[0]).toBe(-21);
    expect(u.cpu.regs[2]).toBe(-1);
    expect(flags(u.cpu).cf).toBe(false);
    const v = run('mov ecx, 0x7fffffff\nimul eax, ecx, 2\nimul edx, ecx, byte 1');
    expect(v.cpu.regs[0]).toBe(-2);
    expect(flags(v.cpu).cf).toBe(false);
    const w = run('mov ecx, 0x7fffffff\nimul ecx, ecx');
    expect(w.cpu.regs[1]).toBe(1);
    expect(flags(w.cpu).of).toBe(true);
  });

  it('32-bit unsigned mul of large values is exact', () => {
    const t = run('mov eax, 0xffffffff\nmov ebx, 0xffffffff\nmul ebx');
    expect(t.cpu.regs[0] >>> 0).toBe(1);
    expect(t.cpu.regs[2] >>> 0).toBe(0xfffffffe);
  });

  it('div and idiv at every size', () => {
    const t = run('mov edx, 1\nmov eax, 5\nmov ecx, 3\ndiv ecx');
    // 0x1_00000005 / 3 = 0x55555557 remainder 0
    expect(t.cpu.regs[0] >>> 0).toBe(0x55555557);
    expect(t.cpu.regs[2]).toBe(0);
    const u = run('mov edx, -1\nmov eax, -7\nmov ecx, 2\nidiv ecx');
    expect(u.cpu.regs[0]).toBe(-3);
    expect(u.cpu.regs[2]).toBe(-1);
    const v = run('mov ax, 1000\nmov bl, 7\ndiv bl\nmov dx, 0\nmov cx, 0\nmov si, ax');
    expect(v.cpu.r8[0]).toBe(142);
    expect(v.cpu.r8[1]).toBe(6);
    const w = run('mov dx, 0xffff\nmov ax, -100\nmov cx, 7\nidiv cx');
    expect(w.cpu.r16[0]).toBe(0x10000 - 14);
    expect(w.cpu.r16[4]).toBe(0x10000 - 2);
  });

  it('#DE on divide by zero and on quotient overflow, with EIP at the instruction', () => {
    for (const src of ['mov ecx, 0\ndiv ecx', 'mov edx, 2\nmov eax, 0\nmov ecx, 2\ndiv ecx', 'mov edx, 0xffffffff\nmov eax, 0x80000000\nmov ecx, -1\nidiv ecx', 'mov ax, 0x8000\nmov cl, 0xff\nidiv cl']) {
      const t = bare(`${src}\nfault: hlt`);
      expect(t.run()).toBe('hlt');
      expect(t.vector()).toBe(0);
      const esp = t.cpu.regs[4] >>> 0;
      const faultEip = t.read32(esp);
      expect(t.mem.read8(faultEip)).toBeOneOf([0xf7, 0xf6]);
      expect(t.read32(esp + 4)).toBe(0x08);
    }
  });
});

describe('decimal adjust', () => {
  it('daa, das, aaa, aas, aam, aad', () => {
    expect(run('mov al, 0x19\nadd al, 0x28\ndaa').cpu.r8[0]).toBe(0x47);
    const t = run('mov al, 0x99\nadd al, 0x01\ndaa');
    expect(t.cpu.r8[0]).toBe(0x00);
    expect(flags(t.cpu).cf).toBe(true);
    expect(run('mov al, 0x41\nsub al, 0x28\ndas').cpu.r8[0]).toBe(0x13);
    const u = run('mov ax, 0x0009\nadd al, 3\naaa');
    expect(u.cpu.r16[0]).toBe(0x0102);
    expect(run('mov ax, 0x0102\nsub al, 3\naas').cpu.r16[0]).toBe(0x0009);
    expect(run('mov al, 77\naam').cpu.r16[0]).toBe(0x0707);
    expect(run('mov ax, 0x0707\naad').cpu.r16[0]).toBe(77);
    const z = bare('mov al, 5\naam 0\nhlt');
    z.run();
    expect(z.vector()).toBe(0);
  });
});
