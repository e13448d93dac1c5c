import { describe, expect, it } from 'vitest';
import { bare } from './harness.ts';
import { flags } from './flags.ts';

function run(src: string) {
  const t = bare(src + '\nhlt');
  expect(t.run()).toBe('hlt');
  expect(t.vector()).toBe(-1);
  return t;
}
const u32 = (v: number) => v >>> 0;

describe('shifts and rotates', () => {
  it('shl/shr/sar results and CF', () => {
    let t = run('mov eax, 0x80000001\nshl eax, 1');
    expect(t.cpu.regs[0]).toBe(2);
    expect(flags(t.cpu).cf).toBe(true);
    expect(flags(t.cpu).of).toBe(true);
    t = run('mov eax, 0x80000001\nshr eax, 1');
    expect(u32(t.cpu.regs[0])).toBe(0x40000000);
    expect(flags(t.cpu).cf).toBe(true);
    expect(flags(t.cpu).of).toBe(true);
    t = run('mov eax, -16\nmov cl, 3\nsar eax, cl');
    expect(t.cpu.regs[0]).toBe(-2);
    expect(flags(t.cpu).cf).toBe(false);
    t = run('mov al, 0x81\nshl al, 8');
    expect(t.cpu.r8[0]).toBe(0);
    expect(flags(t.cpu).cf).toBe(true);
    expect(flags(t.cpu).zf).toBe(true);
  });

  it('a count of zero (after masking) changes no flag', () => {
    const t = run('mov eax, 0\nsub eax, 1\nmov cl, 32\nshl eax, cl');
    expect(t.cpu.regs[0]).toBe(-1);
    expect(flags(t.cpu).cf).toBe(true);
    expect(flags(t.cpu).sf).toBe(true);
  });

  it('rol/ror/rcl/rcr', () => {
    let t = run('mov al, 0x81\nrol al, 1');
    expect(t.cpu.r8[0]).toBe(0x03);
    expect(flags(t.cpu).cf).toBe(true);
    t = run('mov ax, 0x0001\nror ax, 1');
    expect(t.cpu.r16[0]).toBe(0x8000);
    expect(flags(t.cpu).cf).toBe(true);
    expect(flags(t.cpu).of).toBe(true);
    t = run('stc\nmov eax, 0x80000000\nrcl eax, 1');
    expect(t.cpu.regs[0]).toBe(1);
    expect(flags(t.cpu).cf).toBe(true);
    t = run('clc\nmov bl, 1\nrcr bl, 1');
    expect(t.cpu.r8[12]).toBe(0);
    expect(flags(t.cpu).cf).toBe(true);
    t = run('stc\nmov al, 0\nrcl al, 9');
    expect(t.cpu.r8[0]).toBe(0);
    expect(flags(t.cpu).cf).toBe(true);
  });

  it('shld and shrd at 32 and 16 bits', () => {
    let t = run('mov eax, 0x12345678\nmov ebx, 0x9abcdef0\nshld eax, ebx, 8');
    expect(u32(t.cpu.regs[0])).toBe(0x3456789a);
    expect(flags(t.cpu).cf).toBe(false);
    t = run('mov eax, 0x12345678\nmov ebx, 0x9abcdef0\nmov cl, 4\nshrd eax, ebx, cl');
    expect(u32(t.cpu.regs[0])).toBe(0x01234567);
    expect(flags(t.cpu).cf).toBe(true);
    t = run('mov ax, 0x1234\nmov bx, 0x5678\nshld ax, bx, 4');
    expect(t.cpu.r16[0]).toBe(0x2345);
  });
});

describe('bit instructions', () => {
  it('bt/bts/btr/btc on registers and on memory with a far bit offset', () => {
    let t = run('mov eax, 0b1010\nbt eax, 1\nsetc bl\nbts eax, 0\nbtr eax, 3\nbtc eax, 4');
    expect(t.cpu.r8[12]).toBe(1);
    expect(t.cpu.regs[0]).toBe(0b10011);
    t = run('mov dword [0x20004], 0\nmov ecx, 33\nbts dword [0x20000], ecx\nmov eax, [0x20004]\nmov ecx, -1\nbt dword [0x20004], ecx\nsetc dl');
    expect(t.cpu.regs[0]).toBe(2);
    expect(t.cpu.r8[8]).toBe(0);
  });

  it('bsf/bsr set ZF on zero and leave the destination', () => {
    let t = run('mov eax, 0x00f0\nbsf ebx, eax\nbsr ecx, eax');
    expect(t.cpu.regs[3]).toBe(4);
    expect(t.cpu.regs[1]).toBe(7);
    expect(flags(t.cpu).zf).toBe(false);
    t = run('mov ebx, 77\nxor eax, eax\nbsf ebx, eax');
    expect(t.cpu.regs[3]).toBe(77);
    expect(flags(t.cpu).zf).toBe(true);
  });

  it('setcc and cmovcc follow the conditions', () => {
    const t = run('mov eax, 1\ncmp eax, 2\nsetl bl\nsetb cl\nsetg dl\nmov esi, 5\nmov edi, 9\ncmovl esi, edi\ncmovg edi, eax');
    expect([t.cpu.r8[12], t.cpu.r8[4], t.cpu.r8[8]]).toEqual([1, 1, 0]);
    expect(t.cpu.regs[6]).toBe(9);
    expect(t.cpu.regs[7]).toBe(9);
  });

  it('bswap', () => {
    expect(u32(run('mov eax, 0x11223344\nbswap eax').cpu.regs[0])).toBe(0x44332211);
  });
});
