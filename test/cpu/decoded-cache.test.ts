// The decoded-instruction cache and the blocks run from it: every form a block runs an
// instruction with does what the opcode table's handler does, writes to cached code are seen by
// the next fetch (also within the block being run), and the instruction count stays exact when a
// block is cut short by the budget or a fault.
import { describe, expect, it } from 'vitest';
import { Form, Head } from '../../machine/cpu/block-run.ts';
import { CS, FLAGS_FIXED } from '../../machine/cpu/constants.ts';
import { E_META, META_VALID, STRIDE } from '../../machine/cpu/decoded-cache.ts';
import { fetched, readDescriptor, setSegCache } from '../../machine/cpu/segmentation.ts';
import { bare, CODE, SEL } from './harness.ts';
import { prng } from './prng.ts';

const DATA = 0x20000;
const DATA_SIZE = 0x2000;
const STACK = 0x8000;

/** One instruction of each block form, and neighbours that stay on the table's handlers. */
const FORMS = [
  'add eax, edx', 'or edi, eax', 'and eax, edx', 'sub edx, edi', 'xor eax, eax', 'cmp eax, edx', 'adc eax, edx', 'sbb edi, eax',
  'db 0x03, 0xc2', 'db 0x2b, 0xf8', 'db 0x3b, 0xd0', 'db 0x33, 0xc7', 'db 0x13, 0xc2', 'db 0x1b, 0xf8',
  'add eax, [ebx+4]', 'cmp edx, [ebx+ecx*4]', 'sub edi, [ebx]', 'xor eax, [ebx+ecx+0x10]', 'and edx, [0x20010]', 'adc eax, [ebx]', 'sbb eax, [ebx+8]',
  'add [ebx+4], eax', 'sub [ebx+ecx*4], edx', 'cmp [ebx], edi', 'xor [ebx+0x10], eax', 'or [0x20020], edx', 'adc [ebx], eax', 'sbb [ebx+4], edx',
  'add dword [ebx+4], 7', 'sub dword [ebx], -2', 'cmp dword [ebx], 5', 'and dword [ebx+8], 0xff00', 'adc dword [ebx], 0x12345678',
  'test [ebx], eax', 'test dword [ebx], 0x80', 'inc dword [ebx+8]', 'dec dword [ebx]',
  'add byte [ebx], 5', 'cmp byte [ebx+3], 0x7f', 'test byte [ebx], 1', 'and byte [ebx], 0xf0', 'sbb byte [ebx+1], 3', 'test byte [ebx], dl',
  'shl eax, 3', 'shr edx, 1', 'sar edi, cl', 'rol eax, 7', 'ror edx, 1', 'rcl eax, 3', 'rcr edi, cl', 'shl edx, cl', 'shr eax, 31',
  'sar eax, 1', 'sar edx, 31', 'rol edi, 1', 'ror eax, 31', 'rol edx, cl', 'ror eax, cl', 'shr edi, cl', 'rcl edx, 1', 'rcr eax, 31',
  'db 0xc1, 0xe0, 0x00', 'db 0xc1, 0xf0, 0x05', 'db 0xd1, 0xf2', 'nop',
  'add edi, 0x12345678', 'sub eax, -3', 'cmp edx, 0x7f', 'and eax, 0xff00ff00', 'xor edi, -1', 'or eax, 1', 'adc edx, 1', 'sbb eax, 0x80',
  'add eax, 0x7fffffff', 'cmp eax, 0x80000000', 'sub eax, 0x10000', 'add eax, 5', 'cmp eax, 5', 'test eax, 0x100', 'test edx, 0x80000000',
  'xor dl, al', 'db 0x32, 0xd0', 'add al, dh', 'cmp dl, ah', 'sub ah, al', 'and dh, al', 'or al, dl', 'adc al, bl', 'sbb ch, dl',
  'add al, 5', 'cmp dl, 0x80', 'xor ah, 0xff', 'sub bh, 1', 'test al, 0x80', 'test dh, 3',
  'test eax, edx', 'test al, dl', 'test ah, dh', 'neg edx', 'not eax', 'neg eax',
  'inc eax', 'dec edi', 'inc edx', 'dec eax', 'db 0xff, 0xc1', 'db 0xff, 0xca',
  'push eax', 'push esp', 'pop edx', 'pop esp', 'push dword 0x1234', 'push byte -5', 'push dword [ebx+4]', 'push dword [esp+4]',
  'mov edi, eax', 'db 0x8b, 0xc2', 'mov eax, [ebx+8]', 'mov [ebx+ecx], edx', 'mov eax, 0x12345678', 'db 0xc7, 0xc2, 0x78, 0x56, 0x34, 0x12',
  'mov dword [ebx], 0x11223344', 'lea eax, [ebx+ecx*8+0x100]', 'lea edx, [eax+edi]', 'lea esp, [esp+8]',
  'movzx edx, byte [ebx+ecx]', 'movzx eax, dh', 'movzx eax, word [ebx]', 'movzx edx, ax', 'movsx eax, byte [ebx]', 'movsx edx, word [ebx+2]',
  'movsx eax, dl', 'movsx edx, di',
  'mov al, [ebx]', 'mov [ebx+1], dh', 'mov byte [ebx], 0x12', 'mov dl, ah', 'mov dh, 0x34', 'db 0xc6, 0xc3, 0x56', 'db 0x8a, 0xc4',
  'mov eax, [0x20008]', 'mov [0x2000c], eax', 'mov al, [0x20001]', 'mov [0x20003], al', 'mov eax, [fs:ebx+4]', 'mov [es:ebx], edx',
  'xchg eax, edx', 'xchg edi, eax', 'xchg ecx, ebx', 'cdq',
  'setz al', 'setl dh', 'setb ch', 'setg bl', 'cmovz eax, edx', 'cmovae edi, ecx', 'cmovg edx, [ebx+4]', 'cmovo eax, [ebx]',
  'jo $+0x20', 'jno $+0x20', 'jb $+0x20', 'jae $+0x20', 'jz $+0x20', 'jnz $+0x20', 'jbe $+0x20', 'ja $+0x20',
  'js $-0x10', 'jns $-0x10', 'jp $-0x10', 'jnp $-0x10', 'jl $-0x10', 'jge $-0x10', 'jle $-0x10', 'jg $-0x10',
  'jz near $+0x200', 'jl near $-0x200', 'jmp short $+0x10', 'jmp near $+0x300', 'call $+0x100', 'ret', 'ret 8',
  'call edx', 'call [ebx+4]', 'jmp eax', 'jmp [ebx]', 'loop $-0x10',
  'stosb', 'lodsd', 'cld', 'imul eax, edx', 'bswap edx', 'o16 add ax, dx', 'a16 mov eax, [bx]', 'lock add [ebx], eax',
];

/** The form the block at CODE runs its first instruction with. */
function formAtCode(t: ReturnType<typeof bare>): number {
  const block = t.cpu.decoded.page(CODE >>> 12).blocks[CODE & 0xfff];
  return block === null ? -1 : block.words[0] & Head.FormMask;
}

interface State {
  regs: number[];
  eip: number;
  eflags: number;
  data: string;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function capture(t: ReturnType<typeof bare>): State {
  return {
    regs: Array.from(t.cpu.regs.subarray(0, 8)),
    eip: t.cpu.eip >>> 0,
    eflags: t.cpu.getEflags() >>> 0,
    // As hex: comparing two strings is much faster than comparing two arrays of 8,704 numbers.
    data: `${hex(t.mem.ram.subarray(DATA, DATA + DATA_SIZE))} ${hex(t.mem.ram.subarray(STACK - 0x100, STACK + 0x100))}`,
  };
}

/** The cache entry's meta word for the instruction at CODE. */
function entryMeta(t: ReturnType<typeof bare>): number {
  const words = t.cpu.decoded.page(CODE >>> 12).words;
  return words[(CODE & 0xfff) * STRIDE + E_META];
}

describe('decoded cache and blocks', () => {
  it.each(FORMS.flatMap((src) => [[src, 0], [src, 3]] as const))('the block form of %s matches the table handler in ring %i', (src, ring) => {
    const t = bare(`${src}\nhlt`, { ring });
    const random = prng(src.length * 7919 + src.charCodeAt(0) + src.charCodeAt(src.length - 1) * 31);
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
      // step() runs the opcode table's handler (through the decoded cache's entry), run(1) the block.
      set();
      t.cpu.step();
      const table = capture(t);
      set();
      t.cpu.run(1);
      const block = capture(t);
      expect(block).toEqual(table);
    }
    expect(entryMeta(t) & META_VALID).not.toBe(0);
  });

  it.each(['add eax, edx', 'add [ebx+4], eax', 'xor dl, al', 'shl eax, 3', 'jz $+0x20', 'call $+0x100', 'mov eax, [ebx+8]', 'push eax', 'ret'])(
    '%s runs as a block form, not through the table',
    (src) => {
      const t = bare(`${src}\nhlt`);
      t.cpu.regs[3] = DATA;
      t.cpu.run(1);
      expect(formAtCode(t)).toBeGreaterThan(Form.Table);
    },
  );

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

  it('a store to a later instruction of the block being run is seen when that instruction is reached, also once it is cached', () => {
    const t = bare(`
      mov ecx, 3
      mov edx, 7
    again:
      mov byte [target + 1], dl
      nop
      add esi, 1
    target:
      mov eax, 1
      add edi, eax
      inc edx
      dec ecx
      jnz again
      hlt`);
    t.cpu.regs[7] = 0;
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[7]).toBe(7 + 8 + 9);
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
    expect(entryMeta(t) & META_VALID).not.toBe(0);
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

  it('a store by a table-handled instruction into the block being run is seen too', () => {
    const t = bare(`
      mov edi, target + 1
      mov al, 42
      cld
      stosb
      nop
    target:
      mov edx, 1
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.regs[2]).toBe(42);
  });

  it('a push over a later instruction of the block being run is seen', () => {
    const t = bare(`
      mov esp, target + 5
      push dword 0x90909090
    target:
      mov eax, 1
      mov ebx, 2
      hlt`);
    expect(t.run()).toBe('hlt');
    // The push lands on the immediate of mov eax, 1.
    expect(t.cpu.regs[0]).toBe(0x90909090 | 0);
    expect(t.cpu.regs[3]).toBe(2);
  });

  it('a budget that ends inside a block stops after exactly that many instructions', () => {
    const t = bare(`
      inc eax
      inc eax
      inc eax
      inc eax
      inc eax
      inc eax
      hlt`);
    expect(t.run(4)).toBe('budget');
    expect(t.cpu.instructions).toBe(4);
    expect(t.cpu.eip).toBe(CODE + 4);
    expect(t.cpu.regs[0]).toBe(4);
    expect(t.run(1)).toBe('budget');
    expect(t.cpu.regs[0]).toBe(5);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.instructions).toBe(7);
  });

  it('a fault inside a block reports the faulting instruction and the count of those before it', () => {
    const t = bare(`
      mov edx, 9
      mov eax, 1
      mov ebx, 0xfffffffe
      add eax, 2
      mov ecx, [ebx]
      mov edx, 3
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(13);
    // Four instructions, then the #GP handler's hlt.
    expect(t.cpu.instructions).toBe(5);
    expect(t.cpu.regs[0]).toBe(3);
    // The frame holds the error code, then the address of mov ecx, [ebx] (after 5 + 5 + 5 + 3 bytes).
    expect(t.read32(t.cpu.regs[4] + 4)).toBe(CODE + 18);
    expect(t.cpu.regs[2]).toBe(9);
  });

  it('an interrupt raised between runs lands at the instruction boundary the budget left', () => {
    const t = bare(`
      sti
      inc eax
      inc eax
      inc eax
      inc eax
      hlt`);
    expect(t.run(3)).toBe('budget');
    t.irq.queue.push(0x20);
    t.cpu.pollInterrupts();
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(0x20);
    expect(t.cpu.regs[0]).toBe(2);
    expect(t.read32(t.cpu.regs[4])).toBe(CODE + 3);
  });
});

describe('blocks across code sizes', () => {
  it('a block is not run with entries the other code size decoded from the same bytes', () => {
    // imul (run by the opcode table's handler) lies at offset 10 in both decodings.
    const t = bare('mov eax, 0x12345\nmov edx, 0x10\nimul eax, edx\nhlt', { org: 0xa000 });
    const setCs = (sel: number) => {
      readDescriptor(t.cpu, sel);
      setSegCache(t.cpu, CS, sel, fetched.lo, fetched.hi);
    };
    const from = (sel: number, eip: number) => {
      setCs(sel);
      t.cpu.eip = eip;
      t.cpu.halted = false;
      expect(t.run()).toBe('hlt');
    };
    from(SEL.code0, 0xa000);
    expect(t.cpu.regs[0]).toBe(0x123450);
    // 16-bit code entering at the imul: imul ax, dx there.
    from(SEL.code16, 0xa00a);
    from(SEL.code0, 0xa000);
    expect(t.cpu.regs[0]).toBe(0x123450);
  });

  it('an instruction decoded again for the same code size (the fetch window was closed) keeps the blocks of its page', () => {
    // Interrupt delivery and far transfers close the fetch window; the next instruction, stepped,
    // is then decoded again into its own entry.
    const t = bare('top: inc eax\ncmp eax, 1000\njb top\nhlt', { org: 0xa000 });
    t.cpu.eip = 0xa000;
    expect(t.run()).toBe('hlt');
    const page = t.cpu.decoded.page(0xa000 >>> 12);
    const first = page.blocks[0];
    expect(first).not.toBeNull();
    t.cpu.eip = 0xa000;
    t.cpu.fetchLo = t.cpu.fetchHi = 0;
    t.cpu.step();
    expect(t.cpu.regs[0]).toBe(1001);
    expect(page.blocks[0]).toBe(first);
  });
});
