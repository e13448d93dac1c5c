// The eight ALU operations (add or adc sbb and sub xor cmp) in all their encodings, inc/dec,
// neg/not, test. Flags are lazy: the result and operands are recorded, bits computed on demand.
// AF after and/or/xor/test is undefined in the manuals; Intel processors clear it, as here.
import type { Cpu } from '../cpu.ts';
import { EAX } from '../constants.ts';
import { LAZY_ADC, LAZY_ADD, LAZY_SBB, LAZY_SUB } from '../state.ts';
import { getR, getReg, getRm, getRmRmw, type Handler, MASK, SIGN, setR, setReg, setRm, sx8 } from './operands.ts';

export const ALU_NAMES = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;

type AluFn = (c: Cpu, a: number, b: number, sz: number) => number;

const add: AluFn = (c, a, b, sz) => {
  const r = ((a + b) & MASK[sz]) | 0;
  c.setArith(LAZY_ADD, a, b, r, SIGN[sz]);
  return r;
};
const or: AluFn = (c, a, b, sz) => {
  const r = a | b;
  c.setResultFlags(r, SIGN[sz], 0);
  return r;
};
const adc: AluFn = (c, a, b, sz) => {
  const cf = c.getCF();
  const r = ((a + b + cf) & MASK[sz]) | 0;
  c.setArith(cf ? LAZY_ADC : LAZY_ADD, a, b, r, SIGN[sz]);
  return r;
};
const sbb: AluFn = (c, a, b, sz) => {
  const cf = c.getCF();
  const r = ((a - b - cf) & MASK[sz]) | 0;
  c.setArith(cf ? LAZY_SBB : LAZY_SUB, a, b, r, SIGN[sz]);
  return r;
};
const and: AluFn = (c, a, b, sz) => {
  const r = a & b;
  c.setResultFlags(r, SIGN[sz], 0);
  return r;
};
const sub: AluFn = (c, a, b, sz) => {
  const r = ((a - b) & MASK[sz]) | 0;
  c.setArith(LAZY_SUB, a, b, r, SIGN[sz]);
  return r;
};
const xor: AluFn = (c, a, b, sz) => {
  const r = a ^ b;
  c.setResultFlags(r, SIGN[sz], 0);
  return r;
};
/** cmp returns its first operand, so that callers storing the "result" store nothing new. */
const cmp: AluFn = (c, a, b, sz) => {
  sub(c, a, b, sz);
  return a;
};
const ALU_FNS: readonly AluFn[] = [add, or, adc, sbb, and, sub, xor, cmp];

/** Applies ALU operation `op` to unsigned operands of size index sz; returns the result to store. */
export function alu(c: Cpu, op: number, a: number, b: number, sz: number): number {
  return ALU_FNS[op](c, a, b, sz);
}

function makeAlu(op: number) {
  const write = op !== 7;
  const alu = ALU_FNS[op];
  const EbGb: Handler = (c) => {
    const r = alu(c, write ? getRmRmw(c, 0) : getRm(c, 0), getReg(c, 0), 0);
    if (write) setRm(c, 0, r);
  };
  const EvGv: Handler = (c) => {
    const sz = c.o32 + 1;
    const r = alu(c, write ? getRmRmw(c, sz) : getRm(c, sz), getReg(c, sz), sz);
    if (write) setRm(c, sz, r);
  };
  const GbEb: Handler = (c) => {
    const r = alu(c, getReg(c, 0), getRm(c, 0), 0);
    if (write) setReg(c, 0, r);
  };
  const GvEv: Handler = (c) => {
    const sz = c.o32 + 1;
    const r = alu(c, getReg(c, sz), getRm(c, sz), sz);
    if (write) setReg(c, sz, r);
  };
  const ALIb: Handler = (c) => {
    const r = alu(c, c.r8[0], c.imm, 0);
    if (write) c.r8[0] = r;
  };
  const eAXIz: Handler = (c) => {
    const sz = c.o32 + 1;
    const r = alu(c, getR(c, sz, EAX), c.imm & MASK[sz], sz);
    if (write) setR(c, sz, EAX, r);
  };
  // Group 1: 80 Eb,Ib; 81 Ev,Iz; 83 Ev,Ib sign-extended.
  const EbIb: Handler = (c) => {
    const r = alu(c, write ? getRmRmw(c, 0) : getRm(c, 0), c.imm, 0);
    if (write) setRm(c, 0, r);
  };
  const EvIz: Handler = (c) => {
    const sz = c.o32 + 1;
    const r = alu(c, write ? getRmRmw(c, sz) : getRm(c, sz), c.imm & MASK[sz], sz);
    if (write) setRm(c, sz, r);
  };
  const EvIb: Handler = (c) => {
    const sz = c.o32 + 1;
    const r = alu(c, write ? getRmRmw(c, sz) : getRm(c, sz), sx8(c.imm) & MASK[sz], sz);
    if (write) setRm(c, sz, r);
  };
  return { EbGb, EvGv, GbEb, GvEv, ALIb, eAXIz, EbIb, EvIz, EvIb };
}

/** Handlers for each ALU operation, indexed by op (ModRM.reg order). */
export const ALU = ALU_NAMES.map((_, op) => makeAlu(op));

function incDec(c: Cpu, v: number, sz: number, dec: boolean): number {
  const m = MASK[sz];
  const cf = c.getCF();
  const r = ((dec ? v - 1 : v + 1) & m) | 0;
  c.setArith(dec ? LAZY_SUB : LAZY_ADD, v, 1, r, SIGN[sz]);
  // inc and dec leave CF alone.
  c.flags = (c.flags & ~1) | cf;
  c.lazyMask &= ~1;
  return r;
}

export const incEb: Handler = (c) => setRm(c, 0, incDec(c, getRmRmw(c, 0), 0, false));
export const decEb: Handler = (c) => setRm(c, 0, incDec(c, getRmRmw(c, 0), 0, true));
export const incEv: Handler = (c) => {
  const sz = c.o32 + 1;
  setRm(c, sz, incDec(c, getRmRmw(c, sz), sz, false));
};
export const decEv: Handler = (c) => {
  const sz = c.o32 + 1;
  setRm(c, sz, incDec(c, getRmRmw(c, sz), sz, true));
};
/** 40+r / 48+r: inc/dec of the register in the opcode's low bits. */
export const incReg: Handler = (c) => {
  const sz = c.o32 + 1;
  const n = c.opcode & 7;
  setR(c, sz, n, incDec(c, getR(c, sz, n), sz, false));
};
export const decReg: Handler = (c) => {
  const sz = c.o32 + 1;
  const n = c.opcode & 7;
  setR(c, sz, n, incDec(c, getR(c, sz, n), sz, true));
};

function neg(c: Cpu, sz: number): void {
  const v = getRmRmw(c, sz);
  const r = ((0 - v) & MASK[sz]) | 0;
  c.setArith(LAZY_SUB, 0, v, r, SIGN[sz]);
  setRm(c, sz, r);
}
export const negEb: Handler = (c) => neg(c, 0);
export const negEv: Handler = (c) => neg(c, c.o32 + 1);
export const notEb: Handler = (c) => setRm(c, 0, ~getRm(c, 0));
export const notEv: Handler = (c) => {
  const sz = c.o32 + 1;
  setRm(c, sz, ~getRm(c, sz));
};

export const testEbGb: Handler = (c) => c.setResultFlags((getRm(c, 0) & getReg(c, 0)) >>> 0, 0x80, 0);
export const testEvGv: Handler = (c) => {
  const sz = c.o32 + 1;
  c.setResultFlags(getRm(c, sz) & getReg(c, sz), SIGN[sz], 0);
};
export const testALIb: Handler = (c) => c.setResultFlags(c.r8[0] & c.imm, 0x80, 0);
export const testeAXIz: Handler = (c) => {
  const sz = c.o32 + 1;
  c.setResultFlags(getR(c, sz, EAX) & c.imm & MASK[sz], SIGN[sz], 0);
};
export const testEbIb: Handler = (c) => c.setResultFlags(getRm(c, 0) & c.imm, 0x80, 0);
export const testEvIz: Handler = (c) => {
  const sz = c.o32 + 1;
  c.setResultFlags(getRm(c, sz) & c.imm & MASK[sz], SIGN[sz], 0);
};
