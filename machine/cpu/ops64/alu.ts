// The ALU in 64-bit mode: the eight operations, inc/dec, neg/not and test at every operand size.
// Sizes up to 32 bits compute as ops/alu.ts does; 64-bit results compute CF, OF and AF at once
// and leave ZF, SF and PF to the lazy flags through a 32-bit stand-in of the result (its sign
// from the high half, its low byte, and a bit set when any of the 64 is).
import type { Cpu } from '../cpu.ts';
import { AF, CF, EAX, OF } from '../constants.ts';
import { alu } from '../ops/alu.ts';
import { LAZY_ADD, LAZY_SUB } from '../state.ts';
import { getR, getReg, getRm, getRmRmw, MASK, setR, setRm, signHi, sx8 } from './operands.ts';
import type { Handler } from '../ops/operands.ts';

const P32 = 4294967296;
const SIGN32 = 0x80000000 | 0;

/** The 32-bit stand-in of a 64-bit result for ZF, SF and PF. */
export function standIn(lo: number, hi: number): number {
  return (hi & SIGN32) | (lo & 0xff) | ((lo | hi) !== 0 ? 0x100 : 0);
}

/** Records the flags of a 64-bit result: ZF SF PF lazily, CF OF AF as given. */
export function setFlags64(c: Cpu, lo: number, hi: number, cfOfAf: number): void {
  c.setResultFlags(standIn(lo, hi), SIGN32, cfOfAf);
}

/** ALU operation `op` on 64-bit operands a and b; returns the low half of the result to store, the high half in c.opHi. */
export function alu64(c: Cpu, op: number, alo: number, ahi: number, blo: number, bhi: number): number {
  let rlo: number, rhi: number, cfOf: number;
  if (op === 0 || op === 2) {
    const sl = (alo >>> 0) + (blo >>> 0) + (op === 2 ? c.getCF() : 0);
    const sh = (ahi >>> 0) + (bhi >>> 0) + (sl >= P32 ? 1 : 0);
    rlo = sl | 0;
    rhi = sh | 0;
    cfOf = (sh >= P32 ? CF : 0) | (((ahi ^ rhi) & (bhi ^ rhi)) < 0 ? OF : 0) | ((alo ^ blo ^ rlo) & AF);
  } else if (op === 3 || op === 5 || op === 7) {
    const sl = (alo >>> 0) - (blo >>> 0) - (op === 3 ? c.getCF() : 0);
    const sh = (ahi >>> 0) - (bhi >>> 0) - (sl < 0 ? 1 : 0);
    rlo = sl | 0;
    rhi = sh | 0;
    cfOf = (sh < 0 ? CF : 0) | (((ahi ^ bhi) & (ahi ^ rhi)) < 0 ? OF : 0) | ((alo ^ blo ^ rlo) & AF);
  } else {
    rlo = op === 1 ? alo | blo : op === 4 ? alo & blo : alo ^ blo;
    rhi = op === 1 ? ahi | bhi : op === 4 ? ahi & bhi : ahi ^ bhi;
    cfOf = 0;
  }
  setFlags64(c, rlo, rhi, cfOf);
  if (op === 7) {
    c.opHi = ahi;
    return alo;
  }
  c.opHi = rhi;
  return rlo;
}

/** An ALU operation at size sz on a (high half ahi) and b (bhi); the result's high half in c.opHi. */
export function aluSz(c: Cpu, op: number, sz: number, a: number, ahi: number, b: number, bhi: number): number {
  return sz === 3 ? alu64(c, op, a, ahi, b, bhi) : alu(c, op, a, b, sz);
}

function makeAlu(op: number) {
  const write = op !== 7;
  /** r/m op= source (both halves given); stores unless cmp. */
  const intoRm = (c: Cpu, sz: number, b: number, bhi: number): void => {
    const a = write ? getRmRmw(c, sz) : getRm(c, sz);
    const r = aluSz(c, op, sz, a, c.opHi, b, bhi);
    if (write) setRm(c, sz, r, c.opHi);
  };
  const intoReg = (c: Cpu, sz: number, n: number, b: number, bhi: number): void => {
    const a = getR(c, sz, n);
    const r = aluSz(c, op, sz, a, c.opHi, b, bhi);
    if (write) setR(c, sz, n, r, c.opHi);
  };
  const EbGb: Handler = (c) => intoRm(c, 0, getReg(c, 0), 0);
  const EvGv: Handler = (c) => {
    const b = getReg(c, c.osz);
    intoRm(c, c.osz, b, c.opHi);
  };
  const GbEb: Handler = (c) => intoReg(c, 0, c.reg, getRm(c, 0), 0);
  const GvEv: Handler = (c) => {
    const b = getRm(c, c.osz);
    intoReg(c, c.osz, c.reg, b, c.opHi);
  };
  const ALIb: Handler = (c) => intoReg(c, 0, EAX, c.imm & 0xff, 0);
  const eAXIz: Handler = (c) => intoReg(c, c.osz, EAX, c.osz === 3 ? c.imm : c.imm & MASK[c.osz], signHi(c.imm));
  const EbIb: Handler = (c) => intoRm(c, 0, c.imm & 0xff, 0);
  const EvIz: Handler = (c) => intoRm(c, c.osz, c.osz === 3 ? c.imm : c.imm & MASK[c.osz], signHi(c.imm));
  const EvIb: Handler = (c) => {
    const v = sx8(c.imm);
    intoRm(c, c.osz, c.osz === 3 ? v : v & MASK[c.osz], signHi(v));
  };
  return { EbGb, EvGv, GbEb, GvEv, ALIb, eAXIz, EbIb, EvIz, EvIb };
}

/** Handlers for each ALU operation in 64-bit mode, indexed by op (ModRM.reg order). */
export const ALU64 = [0, 1, 2, 3, 4, 5, 6, 7].map(makeAlu);

/** inc/dec at size sz of (v, vhi): CF is kept. */
function incDec(c: Cpu, sz: number, v: number, vhi: number, dec: boolean): number {
  const cf = c.getCF();
  if (sz === 3) {
    const r = alu64(c, dec ? 5 : 0, v, vhi, 1, 0);
    c.flags = (c.flags & ~CF) | cf;
    return r;
  }
  const r = ((dec ? v - 1 : v + 1) & MASK[sz]) | 0;
  c.setArith(dec ? LAZY_SUB : LAZY_ADD, v, 1, r, [0x80, 0x8000, SIGN32][sz]);
  c.flags = (c.flags & ~CF) | cf;
  c.lazyMask &= ~CF;
  return r;
}
export const incEb: Handler = (c) => setRm(c, 0, incDec(c, 0, getRmRmw(c, 0), 0, false), 0);
export const decEb: Handler = (c) => setRm(c, 0, incDec(c, 0, getRmRmw(c, 0), 0, true), 0);
export const incEv: Handler = (c) => {
  const v = getRmRmw(c, c.osz);
  setRm(c, c.osz, incDec(c, c.osz, v, c.opHi, false), c.opHi);
};
export const decEv: Handler = (c) => {
  const v = getRmRmw(c, c.osz);
  setRm(c, c.osz, incDec(c, c.osz, v, c.opHi, true), c.opHi);
};

function neg(c: Cpu, sz: number): void {
  const v = getRmRmw(c, sz);
  const r = aluSz(c, 5, sz, 0, 0, v, c.opHi);
  setRm(c, sz, r, c.opHi);
}
export const negEb: Handler = (c) => neg(c, 0);
export const negEv: Handler = (c) => neg(c, c.osz);
export const notEb: Handler = (c) => setRm(c, 0, ~getRmRmw(c, 0), 0);
export const notEv: Handler = (c) => {
  const v = getRmRmw(c, c.osz);
  setRm(c, c.osz, ~v, ~c.opHi);
};

/** test: and without storing. */
function test(c: Cpu, sz: number, a: number, ahi: number, b: number, bhi: number): void {
  aluSz(c, 4, sz, a, ahi, b, bhi);
}
export const testEbGb: Handler = (c) => test(c, 0, getRm(c, 0), 0, getReg(c, 0), 0);
export const testEvGv: Handler = (c) => {
  const a = getRm(c, c.osz), ahi = c.opHi;
  test(c, c.osz, a, ahi, getReg(c, c.osz), c.opHi);
};
export const testALIb: Handler = (c) => test(c, 0, c.r8[0], 0, c.imm & 0xff, 0);
export const testeAXIz: Handler = (c) => {
  const a = getR(c, c.osz, EAX);
  test(c, c.osz, a, c.opHi, c.osz === 3 ? c.imm : c.imm & MASK[c.osz], signHi(c.imm));
};
export const testEbIb: Handler = (c) => test(c, 0, getRm(c, 0), 0, c.imm & 0xff, 0);
export const testEvIz: Handler = (c) => {
  const a = getRm(c, c.osz);
  test(c, c.osz, a, c.opHi, c.osz === 3 ? c.imm : c.imm & MASK[c.osz], signHi(c.imm));
};
