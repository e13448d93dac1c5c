// 64-bit blocks: every form block-run64.ts runs an instruction with does what the opcode table's
// handler does (step() runs the table's handler through the cache entry, run(1) the block), on
// random register states with random upper halves, in ring 0 and ring 3.
import { describe, expect, it } from 'vitest';
import { Head } from '../../machine/cpu/block-run.ts';
import { FLAGS_FIXED } from '../../machine/cpu/constants.ts';
import { E_META, META_64, META_VALID, STRIDE } from '../../machine/cpu/decoded-cache.ts';
import { bare64, CODE } from './harness64.ts';
import { prng } from './prng.ts';

const DATA = 0x20000;
const DATA_SIZE = 0x2000;
const STACK = 0x9000;

/** One instruction of each block form (and some neighbours that stay on the table's handlers). */
const FORMS = [
  'add rax, rdx', 'or r9, rax', 'and eax, r10d', 'sub rdx, rdi', 'xor eax, eax', 'cmp rax, rdx', 'adc rax, rdx',
  'db 0x48, 0x03, 0xc2', 'db 0x2b, 0xf8', 'db 0x4c, 0x3b, 0xd0', 'db 0x33, 0xc7',
  'add eax, [rbx+4]', 'cmp edx, [rbx+rcx*4]', 'sub rdi, [rbx]', 'xor rax, [rbx+rcx+0x10]', 'and edx, [0x20010]', 'add eax, [rel $+0x100]',
  'add [rbx+4], eax', 'sub [rbx+rcx*4], edx', 'cmp [rbx], edi', 'xor [rbx+0x10], rax', 'or [0x20020], edx',
  'shl rax, 3', 'shr edx, 1', 'sar rdi, 63', 'rol rax, 7', 'ror edx, 1', 'rcl rax, 3', 'shl r11d, 31', 'shr rax, 1', 'rol ecx, 3',
  'add rdi, 0x12345678', 'sub eax, -3', 'cmp rdx, 0x7f', 'and eax, 0xff00ff00', 'xor rdi, -1', 'or eax, 1',
  'add rax, 0x7fffffff', 'cmp rax, -0x80000000', 'sub r12, 0x10000',
  'inc rax', 'dec edi', 'inc edx', 'dec rax', 'inc r13', 'dec r9d',
  'push rax', 'push rsp', 'pop rdx', 'pop rsp', 'push r15', 'pop r8',
  'mov rdi, rax', 'mov edi, eax', 'db 0x48, 0x8b, 0xc2', 'mov rax, [rbx+8]', 'mov eax, [rbx+8]', 'mov [rbx+rcx], rdx', 'mov [rbx+rcx], edx',
  'mov eax, 0x12345678', 'mov r10d, -1', 'lea rax, [rbx+rcx*8+0x100]', 'lea edx, [rax+rdi]', 'lea r8, [rel $]',
  'movzx edx, byte [rbx+rcx]', 'movzx eax, byte [rbx]',
  'jo $+0x20', 'jno $+0x20', 'jb $+0x20', 'jae $+0x20', 'jz $+0x20', 'jnz $+0x20', 'jbe $+0x20', 'ja $+0x20',
  'js $-0x10', 'jns $-0x10', 'jp $-0x10', 'jnp $-0x10', 'jl $-0x10', 'jge $-0x10', 'jle $-0x10', 'jg $-0x10',
  'jz near $+0x200', 'jl near $-0x200', 'jmp short $+0x10', 'jmp near $+0x300', 'call $+0x100', 'ret',
  'sbb rax, rdx', 'adc edi, eax', 'adc rax, 5', 'sbb edx, -1', 'test rax, rdx', 'test eax, edi', 'test r8d, r9d', 'cmp eax, edx',
  'adc rdi, [rbx+8]', 'test [rbx], eax', 'adc [rbx+4], edx', 'sbb eax, [rbx]', 'cmp rdi, [rbx+rcx*8]',
  'mov r9, 0x12345678', 'mov rax, -2', 'mov edx, 0x80000000', 'db 0x41, 0xc7, 0xc1, 1, 2, 3, 4',
  'shl eax, 0', 'shl rax, 0', 'shl rdx, 32', 'sar eax, 33', 'rcr rdx, 5', 'sal rax, 1', 'ror r10, 63',
  'inc r15d', 'dec r12', 'push r12', 'pop r13', 'lea r14d, [r8+r9*2+7]', 'lea rax, [rbx+rcx*8-0x80000000]',
  'movzx r10d, byte [rbx+rcx]', 'mov r11, [rbx+rcx*2]', 'mov [rbx+rcx*2], r11d', 'mov eax, [rel $+0x40]', 'mov [rel $+0x80], rax',
  'shl rax, 31', 'shl rdx, 33', 'shr rax, 32', 'shr rdx, 40', 'sar rax, 31', 'sar rdx, 32', 'sar rdi, 47', 'rol rax, 32', 'rol rdx, 33',
  'ror rax, 31', 'ror rdx, 32', 'rol r9, 1', 'ror r9, 1', 'shr rax, 63', 'shl rdx, 63', 'rcl rdx, 40',
  'xor dl, al', 'add al, dh', 'cmp dl, ah', 'xor sil, dil', 'sub r8b, al', 'adc al, r9b', 'db 0x40, 0x32, 0xd0', 'test al, dl',
  'mov ax, dx', 'o16 add ax, dx', 'a32 mov eax, [ebx]', 'mov eax, [fs:rbx]', 'lock add [rbx], eax', 'movzx edx, dl',
];

/** The form the block at CODE runs its first instruction with. */
function formAtCode(t: ReturnType<typeof bare64>): number {
  const block = t.cpu.decoded.page(CODE >>> 12).blocks[CODE & 0xfff];
  return block === null ? -1 : block.words[0] & Head.FormMask;
}

interface State {
  regs: number[];
  hi: number[];
  rip: bigint;
  eflags: number;
  data: string;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function capture(t: ReturnType<typeof bare64>): State {
  return {
    regs: Array.from(t.cpu.regs),
    hi: Array.from(t.cpu.regsHi),
    rip: t.rip(),
    eflags: t.cpu.getEflags() >>> 0,
    // As hex: comparing two strings is much faster than comparing two arrays of 8,704 numbers.
    data: `${hex(t.mem.ram.subarray(DATA, DATA + DATA_SIZE))} ${hex(t.mem.ram.subarray(STACK - 0x100, STACK + 0x100))}`,
  };
}

describe('64-bit blocks', () => {
  it.each(FORMS.flatMap((src) => [[src, 0], [src, 3]] as const))('the block form of %s matches the table handler in ring %i', (src, ring) => {
    const t = bare64(`${src}\nhlt`, { ring });
    const random = prng(src.length * 7919 + src.charCodeAt(0));
    for (let trial = 0; trial < 40; trial++) {
      // Registers: random, with upper halves that are zero, all ones or random; RBX points at data, RCX indexes it.
      const his = Array.from({ length: 16 }, () => [0, -1, random() | 0][random() % 3]);
      const regs = Array.from({ length: 16 }, () => random() | 0);
      regs[3] = DATA + (random() & 0xff0);
      his[3] = 0;
      regs[1] = random() & 0xff;
      his[1] = 0;
      regs[4] = STACK;
      his[4] = 0;
      const flags = (FLAGS_FIXED | (random() & 0x8d5)) >>> 0;
      const data = Array.from({ length: DATA_SIZE / 4 }, () => random());
      const ret = CODE + 0x40 + (random() & 0xff);
      const set = () => {
        regs.forEach((v, i) => (t.cpu.regs[i] = v));
        his.forEach((v, i) => (t.cpu.regsHi[i] = v));
        t.cpu.flags = flags;
        t.cpu.lazyMask = 0;
        t.cpu.eip = CODE;
        t.cpu.ripHi = 0;
        data.forEach((v, i) => t.mem.write32(DATA + i * 4, v));
        for (let i = -0x100; i < 0x100; i += 8) t.write64(STACK + i, BigInt(ret));
      };
      set();
      t.cpu.step();
      const table = capture(t);
      set();
      t.cpu.run(1);
      const block = capture(t);
      expect(block).toEqual(table);
    }
    const meta = t.cpu.decoded.page(CODE >>> 12).words[(CODE & 0xfff) * STRIDE + E_META];
    expect(meta & (META_VALID | META_64)).toBe(META_VALID | META_64);
  });

  it.each(['add rax, rdx', 'add [rbx+4], eax', 'shl rax, 3', 'jz $+0x20', 'call $+0x100', 'mov rax, [rbx+8]', 'push rax', 'ret', 'lea r8, [rel $]', 'inc r13'])(
    '%s runs as a block form, not through its entry',
    (src) => {
      const t = bare64(`${src}\nhlt`);
      t.cpu.regs[3] = DATA;
      t.cpu.regs[4] = STACK;
      t.cpu.run(1);
      expect(formAtCode(t)).toBeGreaterThan(0);
    },
  );
});
