// The decoded-instruction cache: a cached instruction's fast form does what the opcode table's
// handler does (the first run of an instruction after its page is written uses the table's
// handler, the second the cache entry), and writes to cached code are seen by the next fetch.
import { describe, expect, it } from 'vitest';
import { FLAGS_FIXED } from '../../machine/cpu/constants.ts';
import { E_META, META_FAST, META_VALID, STRIDE } from '../../machine/cpu/decoded-cache.ts';
import { bare, CODE } from './harness.ts';
import { prng } from './prng.ts';

const DATA = 0x20000;
const DATA_SIZE = 0x2000;
const STACK = 0x8000;

/** One instruction of each fast form (and some neighbours that stay on the table's handlers). */
const FORMS = [
  'add eax, edx', 'or edi, eax', 'and eax, edx', 'sub edx, edi', 'xor eax, eax', 'cmp eax, edx', 'adc eax, edx',
  'db 0x03, 0xc2', 'db 0x2b, 0xf8', 'db 0x3b, 0xd0', 'db 0x33, 0xc7',
  'add eax, [ebx+4]', 'cmp edx, [ebx+ecx*4]', 'sub edi, [ebx]', 'xor eax, [ebx+ecx+0x10]', 'and edx, [0x20010]',
  'add [ebx+4], eax', 'sub [ebx+ecx*4], edx', 'cmp [ebx], edi', 'xor [ebx+0x10], eax', 'or [0x20020], edx',
  'shl eax, 3', 'shr edx, 1', 'sar edi, cl', 'rol eax, 7', 'ror edx, 1', 'rcl eax, 3', 'rcr edi, cl', 'shl edx, cl', 'shr eax, 31',
  'db 0xc1, 0xe0, 0x00', 'nop',
  'add edi, 0x12345678', 'sub eax, -3', 'cmp edx, 0x7f', 'and eax, 0xff00ff00', 'xor edi, -1', 'or eax, 1',
  'add eax, 0x7fffffff', 'cmp eax, 0x80000000', 'sub eax, 0x10000',
  'xor dl, al', 'db 0x32, 0xd0', 'add al, dh', 'cmp dl, ah', 'sub ah, al', 'and dh, al', 'or al, dl',
  'test eax, edx', 'test al, dl', 'test ah, dh',
  'inc eax', 'dec edi', 'inc edx', 'dec eax',
  'push eax', 'push esp', 'pop edx', 'pop esp',
  'mov edi, eax', 'db 0x8b, 0xc2', 'mov eax, [ebx+8]', 'mov [ebx+ecx], edx', 'mov eax, 0x12345678',
  'mov dword [ebx], 0x11223344', 'lea eax, [ebx+ecx*8+0x100]', 'lea edx, [eax+edi]', 'movzx edx, byte [ebx+ecx]', 'movzx eax, dh',
  'jo $+0x20', 'jno $+0x20', 'jb $+0x20', 'jae $+0x20', 'jz $+0x20', 'jnz $+0x20', 'jbe $+0x20', 'ja $+0x20',
  'js $-0x10', 'jns $-0x10', 'jp $-0x10', 'jnp $-0x10', 'jl $-0x10', 'jge $-0x10', 'jle $-0x10', 'jg $-0x10',
  'jz near $+0x200', 'jl near $-0x200', 'jmp short $+0x10', 'jmp near $+0x300', 'call $+0x100', 'ret',
];

interface State {
  regs: number[];
  eip: number;
  eflags: number;
  data: number[];
}

function capture(t: ReturnType<typeof bare>): State {
  return {
    regs: Array.from(t.cpu.regs.subarray(0, 8)),
    eip: t.cpu.eip >>> 0,
    eflags: t.cpu.getEflags() >>> 0,
    data: Array.from(t.mem.readBytes(DATA, DATA_SIZE)).concat(Array.from(t.mem.readBytes(STACK - 0x100, 0x200))),
  };
}

/** The cache entry's meta word for the instruction at CODE. */
function entryMeta(t: ReturnType<typeof bare>): number {
  const words = t.cpu.decoded.page(CODE >>> 12).words;
  return words[(CODE & 0xfff) * STRIDE + E_META];
}

describe('decoded cache', () => {
  it.each(FORMS.flatMap((src) => [[src, 0], [src, 3]] as const))('the cached form of %s matches the table handler in ring %i', (src, ring) => {
    const t = bare(`${src}\nhlt`, { ring });
    const random = prng(src.length * 7919 + src.charCodeAt(0));
    const first = t.mem.read8(CODE);
    for (let trial = 0; trial < 40; trial++) {
      const regs = [random(), random() & 0xff, random(), DATA + (random() & 0xff0), STACK, random(), random(), random()];
      const flags = (FLAGS_FIXED | (random() & 0x8d5)) >>> 0;
      const data = Array.from({ length: DATA_SIZE / 4 }, () => random());
      const ret = CODE + 0x40 + (random() & 0xff);
      const set = () => {
        regs.forEach((v, i) => (t.cpu.regs[i] = v));
        t.cpu.flags = flags;
        t.cpu.lazyMask = 0;
        t.cpu.eip = CODE;
        data.forEach((v, i) => t.mem.write32(DATA + i * 4, v));
        for (let i = -0x100; i < 0x100; i += 4) t.mem.write32(STACK + i, ret);
      };
      // Rewriting the first byte drops the page, so the next run decodes and uses the table.
      t.mem.write8(CODE, first);
      set();
      t.cpu.run(1);
      const table = capture(t);
      set();
      t.cpu.run(1);
      const cached = capture(t);
      expect(cached).toEqual(table);
    }
    expect(entryMeta(t) & META_VALID).not.toBe(0);
  });

  it.each(['add eax, edx', 'add [ebx+4], eax', 'xor dl, al', 'shl eax, 3', 'jz $+0x20', 'call $+0x100', 'mov eax, [ebx+8]'])('%s runs as a fast form', (src) => {
    const t = bare(`${src}\nhlt`);
    t.cpu.regs[3] = DATA;
    t.cpu.run(1);
    expect(entryMeta(t) & META_FAST).not.toBe(0);
  });

  it('an instruction rewritten after it ran runs in its new form', () => {
    const t = bare(`
      xor ebx, ebx
      mov ecx, 3
    again:
      mov eax, 1
      add ebx, eax
      inc byte [again + 1]
      dec ecx
      jnz again
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[3]).toBe(1 + 2 + 3);
  });

  it('a store into the next instruction is seen by its fetch, also when that instruction is cached', () => {
    const t = bare(`
      mov ecx, 2
      mov edx, 7
    again:
      mov byte [next + 1], dl
    next:
      mov eax, 1
      inc edx
      dec ecx
      jnz again
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0]).toBe(8);
  });

  it('writes to physical memory from outside the CPU reach cached code', () => {
    const t = bare('mov eax, 1\nhlt');
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0]).toBe(1);
    t.mem.write8(CODE + 1, 5);
    t.cpu.eip = CODE;
    t.cpu.halted = false;
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0]).toBe(5);
  });

  it('a writer holding RAM directly reaches cached code by reporting its write', () => {
    const t = bare('mov eax, 1\nhlt');
    expect(t.run()).toBe('hlt');
    t.mem.ram[CODE + 1] = 5;
    t.mem.externalWrite(CODE + 1, 1);
    t.cpu.eip = CODE;
    t.cpu.halted = false;
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[0]).toBe(5);
  });

  it('stores to data beside cached code leave the code cached', () => {
    const t = bare(`
      mov ecx, 100
    again:
      mov [scratch], ecx
      dec ecx
      jnz again
      hlt
    scratch: dd 0`);
    expect(t.run()).toBe('hlt');
    expect(entryMeta(t) & META_FAST).not.toBe(0);
  });

  it('a store through another linear mapping of the code page reaches the cached code', () => {
    const PD = 0x30000, PT0 = 0x31000, PT1 = 0x32000, ALIAS = 0x400000;
    const t = bare(`
      xor ebx, ebx
      mov ecx, 3
    again:
      mov eax, 1
      add ebx, eax
      inc byte [${ALIAS} + (again - $$) + 1]
      dec ecx
      jnz again
      hlt`);
    for (let i = 0; i < 1024; i++) t.mem.write32(PT0 + i * 4, (i << 12) | 3);
    t.mem.write32(PD, PT0 | 3);
    t.mem.write32(PD + 4, PT1 | 3);
    t.mem.write32(PT1, CODE | 3);
    t.cpu.cr3 = PD;
    t.cpu.cr0 |= 0x80000000;
    t.cpu.flushTlb();
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[3]).toBe(1 + 2 + 3);
  });
});
