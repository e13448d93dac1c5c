// 64-bit mode arithmetic against a BigInt model: the ALU operations, shifts and rotates,
// multiplication and division at every operand size on random operands, with the flags and the
// upper halves (32-bit results zero-extend, 8- and 16-bit results keep the rest of the register).
import { describe, expect, it } from 'vitest';
import { bare64 } from './harness64.ts';
import { prng } from './prng.ts';

const DATA = 0x20000;
const M64 = (1n << 64n) - 1n;
const CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;

function parity(v: bigint): number {
  let n = Number(v & 0xffn), bits = 0;
  for (; n; n >>= 1) bits += n & 1;
  return bits % 2 === 0 ? PF : 0;
}
function szp(r: bigint, w: number): number {
  return (r === 0n ? ZF : 0) | ((r >> BigInt(w - 1)) & 1n ? SF : 0) | parity(r);
}

/** The model of an ALU operation at width w: result and the six flags. */
function aluModel(op: string, a: bigint, b: bigint, cin: number, w: number): [bigint, number] {
  const mask = (1n << BigInt(w)) - 1n, top = BigInt(w - 1);
  const sign = (v: bigint) => (v >> top) & 1n;
  let r: bigint, f = 0;
  switch (op) {
    case 'add': case 'adc': {
      const c = op === 'adc' ? BigInt(cin) : 0n;
      const full = a + b + c;
      r = full & mask;
      f = (full > mask ? CF : 0) | (sign(a) === sign(b) && sign(r) !== sign(a) ? OF : 0) | Number((a ^ b ^ r) & 0x10n);
      break;
    }
    case 'sub': case 'sbb': case 'cmp': {
      const c = op === 'sbb' ? BigInt(cin) : 0n;
      r = (a - b - c) & mask;
      f = (a < b + c ? CF : 0) | (sign(a) !== sign(b) && sign(r) !== sign(a) ? OF : 0) | Number((a ^ b ^ r) & 0x10n);
      break;
    }
    default:
      r = op === 'and' ? a & b : op === 'or' ? a | b : a ^ b;
  }
  return [op === 'cmp' ? a : r, f | szp(r, w)];
}

function randomOperand(next: () => number, w: number): bigint {
  const pick = next() % 8;
  const raw = (BigInt(next() >>> 0) << 32n) | BigInt(next() >>> 0);
  const mask = (1n << BigInt(w)) - 1n;
  // Bias towards the edges where carries and overflows happen.
  if (pick === 0) return 0n;
  if (pick === 1) return mask;
  if (pick === 2) return 1n << BigInt(w - 1);
  if (pick === 3) return (1n << BigInt(w - 1)) - 1n;
  return raw & mask;
}

const REGS: Record<number, [string, string]> = { 8: ['al', 'bl'], 16: ['ax', 'bx'], 32: ['eax', 'ebx'], 64: ['rax', 'rbx'] };
const GARBAGE = 0x5a5a5a5a_a5a5a5a5n;

/**
 * One machine per operation and width: RAX and RBX start as GARBAGE with the operands in their
 * low bits, CF from memory, the instruction runs, RFLAGS lands in RCX.
 */
function harness(instr: string) {
  const t = bare64(`
    mov rax, [${DATA}]
    mov rbx, [${DATA + 8}]
    push qword [${DATA + 16}]
    popfq
    ${instr}
    pushfq
    pop rcx
    hlt`);
  return (a: bigint, b: bigint, w: number, cin: number): { rax: bigint; rbx: bigint; flags: number } => {
    const keep = w === 64 ? 0n : GARBAGE & ~((1n << BigInt(w)) - 1n);
    t.write64(DATA, keep | a);
    t.write64(DATA + 8, keep | b);
    t.write64(DATA + 16, BigInt(0x2 | cin));
    t.cpu.eip = 0x10000;
    t.cpu.ripHi = 0;
    t.cpu.halted = false;
    expect(t.run()).toBe('hlt');
    expect(t.vector()).toBe(-1);
    return { rax: t.r64(0), rbx: t.r64(3), flags: Number(t.r64(1)) & (CF | PF | AF | ZF | SF | OF) };
  };
}

/** What the destination register holds after a result r of width w was written over `before`. */
function written(before: bigint, r: bigint, w: number): bigint {
  if (w === 64) return r;
  if (w === 32) return r;
  return (before & ~((1n << BigInt(w)) - 1n)) | r;
}

describe('ALU operations at every operand size against the model', () => {
  for (const op of ['add', 'adc', 'sub', 'sbb', 'and', 'or', 'xor', 'cmp']) {
    for (const w of [8, 16, 32, 64]) {
      it(`${op} ${w}-bit`, () => {
        const run = harness(`${op} ${REGS[w][0]}, ${REGS[w][1]}`);
        const next = prng(w * 131 + op.length);
        for (let i = 0; i < 60; i++) {
          const a = randomOperand(next, w), b = randomOperand(next, w), cin = next() & 1;
          const [r, f] = aluModel(op, a, b, cin, w);
          const got = run(a, b, w, cin);
          const before = w === 64 ? a : (GARBAGE & ~((1n << BigInt(w)) - 1n)) | a;
          const expected = op === 'cmp' ? before : written(before, r, w);
          expect(got.rax, `${op} ${a.toString(16)}, ${b.toString(16)} cf=${cin}`).toBe(expected);
          expect(got.flags, `${op} ${a.toString(16)}, ${b.toString(16)} cf=${cin}`).toBe(f);
        }
      });
    }
  }

  it('immediate forms (Ib sign-extended, Iz at each size) against the model', () => {
    for (const op of ['add', 'adc', 'sub', 'sbb', 'and', 'or', 'xor', 'cmp']) {
      for (const w of [16, 32, 64]) {
        for (const imm of [5, -3, 0x1234, w === 16 ? -0x1234 : 0x6db88320, w === 16 ? 0x7fff : -0x12475ce0]) {
          const run = harness(`${op} ${REGS[w][0]}, ${imm}`);
          const mask = (1n << BigInt(w)) - 1n;
          const a = 0x8000000080008000n & mask;
          const [r, f] = aluModel(op, a, BigInt.asUintN(w, BigInt(imm)), 1, w);
          const got = run(a, 0n, w, 1);
          const before = w === 64 ? a : (GARBAGE & ~mask) | a;
          expect(got.rax, `${op} ${w} ${imm}`).toBe(op === 'cmp' ? before : written(before, r, w));
          expect(got.flags, `${op} ${w} ${imm}`).toBe(f);
        }
      }
    }
  });

  it('inc and dec at 64 bits keep CF and wrap', () => {
    const run = harness('inc rax\ndec rbx');
    const got = run(M64, 0n, 64, 1);
    expect(got.rax).toBe(0n);
    expect(got.rbx).toBe(M64);
    // dec rbx decides the flags: SF, PF, AF; CF kept from the popfq.
    expect(got.flags).toBe(CF | SF | PF | AF);
  });

  it('neg and not at 64 bits', () => {
    const run = harness('neg rax\nnot rbx');
    const got = run(1n, 0x00ff00ff00ff00ffn, 64, 0);
    expect(got.rax).toBe(M64);
    expect(got.rbx).toBe(0xff00ff00ff00ff00n);
    expect(got.flags).toBe(CF | SF | PF | AF);
  });

  it('immediates are sign-extended to 64 bits', () => {
    const t = bare64(`
      xor eax, eax
      add rax, -2
      mov rbx, 0
      or rbx, 0x80000000
      mov rcx, -1
      and rcx, 0x7fffffff
      mov rdx, 0xffffffff
      push -5
      pop rsi
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(0)).toBe(M64 - 1n);
    expect(t.r64(3)).toBe(0xffffffff80000000n);
    expect(t.r64(1)).toBe(0x7fffffffn);
    expect(t.r64(2)).toBe(0xffffffffn);
    expect(t.r64(6)).toBe(M64 - 4n);
  });
});

/** The model of a shift or rotate at width w with a count already masked. */
function shiftModel(op: string, v: bigint, count: number, cin: number, w: number, oldFlags: number): [bigint, number] {
  const W = BigInt(w), mask = (1n << W) - 1n, top = W - 1n;
  const n = BigInt(count);
  if (count === 0) return [v, oldFlags];
  let r: bigint, cf: number, of: number;
  switch (op) {
    case 'rol': {
      const k = n % W;
      r = ((v << k) | (v >> ((W - k) % W))) & mask;
      cf = Number(r & 1n);
      of = Number((r >> top) & 1n) ^ cf;
      return [r, (oldFlags & ~(CF | OF)) | cf | (of ? OF : 0)];
    }
    case 'ror': {
      const k = n % W;
      r = ((v >> k) | (v << ((W - k) % W))) & mask;
      cf = Number((r >> top) & 1n);
      of = cf ^ Number((r >> (top - 1n)) & 1n);
      return [r, (oldFlags & ~(CF | OF)) | cf | (of ? OF : 0)];
    }
    case 'rcl': {
      let c = BigInt(cin);
      r = v;
      for (let i = 0; i < count % (w + 1); i++) {
        const out = (r >> top) & 1n;
        r = ((r << 1n) | c) & mask;
        c = out;
      }
      cf = Number(c);
      of = Number((r >> top) & 1n) ^ cf;
      return [r, (oldFlags & ~(CF | OF)) | cf | (of ? OF : 0)];
    }
    case 'rcr': {
      let c = BigInt(cin);
      r = v;
      for (let i = 0; i < count % (w + 1); i++) {
        const out = r & 1n;
        r = (r >> 1n) | (c << top);
        c = out;
      }
      cf = Number(c);
      of = Number((r >> top) & 1n) ^ Number((r >> (top - 1n)) & 1n);
      return [r, (oldFlags & ~(CF | OF)) | cf | (of ? OF : 0)];
    }
    case 'shl':
      r = (v << n) & mask;
      cf = count <= w ? Number((v >> (W - n)) & 1n) : 0;
      of = Number((r >> top) & 1n) ^ cf;
      break;
    case 'shr':
      r = v >> n;
      cf = Number((v >> (n - 1n)) & 1n);
      of = Number((v >> top) & 1n);
      break;
    default: {
      const s = BigInt.asIntN(w, v);
      r = BigInt.asUintN(w, s >> n);
      cf = Number((s >> (n - 1n)) & 1n);
      of = 0;
    }
  }
  return [r, (oldFlags & AF) | cf | (of ? OF : 0) | szp(r, w)];
}

describe('shifts and rotates against the model', () => {
  for (const op of ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar']) {
    for (const w of [8, 16, 32, 64]) {
      it(`${op} ${w}-bit by CL`, () => {
        const run = harness(`mov cl, bl\n${op} ${REGS[w][0]}, cl`);
        const next = prng(w * 7 + op.charCodeAt(2));
        for (let i = 0; i < 50; i++) {
          const v = randomOperand(next, w);
          const raw = next() & 0xff;
          const count = raw & (w === 64 ? 63 : 31);
          const cin = next() & 1;
          // popfq sets CF=cin and clears the rest, so the kept flags are just CF.
          const [r, f] = shiftModel(op, v, count, cin, w, cin);
          const got = run(v, BigInt(raw), w, cin);
          const before = w === 64 ? v : (GARBAGE & ~((1n << BigInt(w)) - 1n)) | v;
          expect(got.rax, `${op} ${v.toString(16)} by ${count}`).toBe(written(before, r, w));
          expect(got.flags, `${op} ${v.toString(16)} by ${count}`).toBe(f);
        }
      });
    }
  }

  it('shld and shrd at 64 bits', () => {
    const run = harness('shld rax, rbx, 12\nmov rdx, rax\nshrd rbx, rdx, 40');
    const got = run(0x0123456789abcdefn, 0xfedcba9876543210n, 64, 0);
    const shld = ((0x0123456789abcdefn << 12n) | (0xfedcba9876543210n >> 52n)) & M64;
    expect(got.rax).toBe(shld);
    expect(got.rbx).toBe(((0xfedcba9876543210n >> 40n) | (shld << 24n)) & M64);
  });
});

describe('multiplication and division at 64 bits', () => {
  const model = (a: bigint, b: bigint, signed: boolean): [bigint, bigint, boolean] => {
    const x = signed ? BigInt.asIntN(64, a) : a, y = signed ? BigInt.asIntN(64, b) : b;
    const p = BigInt.asUintN(128, x * y);
    const lo = p & M64, hi = p >> 64n;
    const fits = signed ? hi === (lo >> 63n ? M64 : 0n) : hi === 0n;
    return [lo, hi, fits];
  };
  for (const [name, signed] of [['mul', false], ['imul', true]] as const) {
    it(`${name} rbx: RDX:RAX, CF and OF`, () => {
      const t = bare64(`mov rax, [${DATA}]\nmov rbx, [${DATA + 8}]\n${name} rbx\npushfq\npop rcx\nhlt`);
      const next = prng(signed ? 5 : 6);
      for (let i = 0; i < 80; i++) {
        const a = randomOperand(next, 64), b = randomOperand(next, 64);
        t.write64(DATA, a);
        t.write64(DATA + 8, b);
        t.cpu.eip = 0x10000;
        t.cpu.halted = false;
        expect(t.run()).toBe('hlt');
        const [lo, hi, fits] = model(a, b, signed);
        expect(t.r64(0), `${a} * ${b}`).toBe(lo);
        expect(t.r64(2), `${a} * ${b}`).toBe(hi);
        expect(Number(t.r64(1)) & (CF | OF)).toBe(fits ? 0 : CF | OF);
      }
    });
  }

  it('imul r64, r/m64, imm: truncated product and overflow', () => {
    const t = bare64('mov rax, 0x4000000000000000\nimul rbx, rax, 4\npushfq\npop rcx\nmov rdx, -3\nimul rdx, rdx, -5\nhlt');
    expect(t.run()).toBe('hlt');
    expect(t.r64(3)).toBe(0n);
    expect(Number(t.r64(1)) & (CF | OF)).toBe(CF | OF);
    expect(t.r64(2)).toBe(15n);
  });

  it('div and idiv of RDX:RAX, and #DE when the quotient does not fit', () => {
    const t = bare64(`
      mov rdx, 1
      mov rax, 5
      mov rbx, 3
      div rbx
      mov r8, rax
      mov r9, rdx
      mov rax, -100
      cqo
      mov rbx, 7
      idiv rbx
      mov r10, rax
      mov r11, rdx
      mov rdx, 5
      mov rax, 0
      mov rbx, 5
      div rbx
      hlt`);
    expect(t.run()).toBe('hlt');
    expect(t.r64(8)).toBe(((1n << 64n) + 5n) / 3n);
    expect(t.r64(9)).toBe(((1n << 64n) + 5n) % 3n);
    expect(t.r64(10)).toBe(BigInt.asUintN(64, -14n));
    expect(t.r64(11)).toBe(BigInt.asUintN(64, -2n));
    expect(t.vector()).toBe(0);
  });

  it('32-bit mul and div zero-extend RAX and RDX', () => {
    const t = bare64('mov rax, -1\nmov rdx, -1\nmov ecx, 2\nmul ecx\nmov r8, rax\nmov r9, rdx\nmov rax, -1\nmov rdx, 0\nmov ecx, 16\nmov rdx, 0x1234567800000000\nmov eax, 32\nxor edx, edx\ndiv ecx\nhlt');
    expect(t.run()).toBe('hlt');
    expect(t.r64(8)).toBe(0xfffffffen);
    expect(t.r64(9)).toBe(1n);
    expect(t.r64(0)).toBe(2n);
    expect(t.r64(2)).toBe(0n);
  });
});
