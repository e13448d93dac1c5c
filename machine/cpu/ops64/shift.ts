// Shifts and rotates in 64-bit mode. Counts are masked to 6 bits at 64-bit operand size and to 5
// otherwise; sizes up to 32 bits compute as ops/shift.ts does, and 64-bit ones make the same
// undefined-flag choices (shifts keep AF, rotates touch only CF and OF).
import type { Cpu } from '../cpu.ts';
import { AF, CF, OF } from '../constants.ts';
import { doubleShiftValue, shift } from '../ops/shift.ts';
import type { Handler } from '../ops/operands.ts';
import { setFlags64 } from './alu.ts';
import { getReg, getRmRmw, setRm } from './operands.ts';

let outHi = 0;

/** hi:lo shifted left by n (0-63); high half in outHi. */
function shl(lo: number, hi: number, n: number): number {
  if (n === 0) {
    outHi = hi;
    return lo;
  }
  if (n >= 32) {
    outHi = lo << (n - 32);
    return 0;
  }
  outHi = (hi << n) | (lo >>> (32 - n));
  return lo << n;
}
/** hi:lo shifted right by n (0-63), logically or arithmetically; high half in outHi. */
function shr(lo: number, hi: number, n: number, arith: boolean): number {
  if (n === 0) {
    outHi = hi;
    return lo;
  }
  if (n >= 32) {
    outHi = arith ? hi >> 31 : 0;
    return arith ? hi >> (n - 32) : hi >>> (n - 32);
  }
  outHi = arith ? hi >> n : hi >>> n;
  return (lo >>> n) | (hi << (32 - n));
}
/** Bit n (0-63) of hi:lo. */
function bit(lo: number, hi: number, n: number): number {
  return n >= 32 ? (hi >>> (n - 32)) & 1 : (lo >>> n) & 1;
}

function setCfOf(c: Cpu, cf: number, of: number): void {
  c.flags = (c.flags & ~(CF | OF)) | (cf & 1) | ((of & 1) << 11);
  c.lazyMask &= ~(CF | OF);
}

/** A 64-bit shift or rotate by `count` (already masked to 6 bits); low half returned, high half in c.opHi. */
export function shift64(c: Cpu, op: number, lo: number, hi: number, count: number): number {
  if (count === 0) {
    c.opHi = hi;
    return lo;
  }
  let rlo: number, rhi: number;
  if (op === 0 || op === 1) {
    const left = op === 0 ? count : 64 - count;
    const a = shl(lo, hi, left), ah = outHi;
    const b = shr(lo, hi, 64 - left, false), bh = outHi;
    rlo = a | b;
    rhi = ah | bh;
    if (op === 0) setCfOf(c, rlo & 1, (rhi >>> 31) ^ rlo);
    else setCfOf(c, rhi >>> 31, (rhi >>> 31) ^ (rhi >>> 30));
  } else if (op === 2 || op === 3) {
    // Through CF: a 65-bit rotation, one bit at a time.
    let cf = c.getCF();
    rlo = lo;
    rhi = hi;
    for (let i = 0; i < count; i++) {
      if (op === 2) {
        const out = rhi >>> 31;
        rhi = (rhi << 1) | (rlo >>> 31);
        rlo = (rlo << 1) | cf;
        cf = out;
      } else {
        const out = rlo & 1;
        rlo = (rlo >>> 1) | (rhi << 31);
        rhi = (rhi >>> 1) | (cf << 31);
        cf = out;
      }
    }
    setCfOf(c, cf, op === 2 ? (rhi >>> 31) ^ cf : (rhi >>> 31) ^ (rhi >>> 30));
  } else {
    const keepAf = c.getAF() ? AF : 0;
    let cf: number, of: number;
    if (op === 4 || op === 6) {
      rlo = shl(lo, hi, count);
      rhi = outHi;
      cf = bit(lo, hi, 64 - count);
      of = ((rhi >>> 31) ^ cf) & 1 ? OF : 0;
    } else {
      rlo = shr(lo, hi, count, op === 7);
      rhi = outHi;
      cf = bit(lo, hi, count - 1);
      of = op === 5 && hi < 0 ? OF : 0;
    }
    setFlags64(c, rlo, rhi, cf | of | keepAf);
  }
  c.opHi = rhi | 0;
  return rlo | 0;
}

/** Shift or rotate at size sz with the raw count (masked here). */
function shiftSz(c: Cpu, op: number, sz: number, v: number, vhi: number, count: number): number {
  return sz === 3 ? shift64(c, op, v, vhi, count & 63) : shift(c, op, v, count & 31, sz);
}

function makeShift(op: number) {
  const apply = (c: Cpu, sz: number, count: number): void => {
    const v = getRmRmw(c, sz);
    const r = shiftSz(c, op, sz, v, c.opHi, count);
    setRm(c, sz, r, c.opHi);
  };
  return {
    Eb1: ((c) => apply(c, 0, 1)) as Handler,
    EbCL: ((c) => apply(c, 0, c.r8[4])) as Handler,
    EbIb: ((c) => apply(c, 0, c.imm)) as Handler,
    Ev1: ((c) => apply(c, c.osz, 1)) as Handler,
    EvCL: ((c) => apply(c, c.osz, c.r8[4])) as Handler,
    EvIb: ((c) => apply(c, c.osz, c.imm)) as Handler,
  };
}

/** Handlers per shift operation in 64-bit mode, indexed by ModRM.reg. */
export const SHIFT64 = [0, 1, 2, 3, 4, 5, 6, 7].map(makeShift);

/** shld/shrd at 64 bits: dst shifted, filled from src; the 16- and 32-bit forms as ops/shift.ts. */
function doubleShift(c: Cpu, count: number, left: boolean): void {
  const sz = c.osz;
  count &= sz === 3 ? 63 : 31;
  if (count === 0) {
    // Nothing shifts, but a 32-bit register destination is still written (its high half cleared).
    if (sz === 2 && c.mod === 3) c.regsHi[c.rm] = 0;
    return;
  }
  if (sz !== 3) {
    const dst = getRmRmw(c, sz), src = getReg(c, sz);
    setRm(c, sz, doubleShiftValue(c, sz, dst, src, count, left) | 0, 0);
    return;
  }
  const dst = getRmRmw(c, 3), dstHi = c.opHi;
  const src = getReg(c, 3), srcHi = c.opHi;
  let rlo: number, rhi: number, cf: number;
  if (left) {
    const a = shl(dst, dstHi, count), ah = outHi;
    const b = shr(src, srcHi, 64 - count, false), bh = outHi;
    rlo = a | b;
    rhi = ah | bh;
    cf = bit(dst, dstHi, 64 - count);
  } else {
    const a = shr(dst, dstHi, count, false), ah = outHi;
    const b = shl(src, srcHi, 64 - count), bh = outHi;
    rlo = a | b;
    rhi = ah | bh;
    cf = bit(dst, dstHi, count - 1);
  }
  const keepAf = c.getAF() ? AF : 0;
  setFlags64(c, rlo, rhi, cf | ((rhi ^ dstHi) < 0 ? OF : 0) | keepAf);
  setRm(c, 3, rlo, rhi);
}

export const shldEvGvIb: Handler = (c) => doubleShift(c, c.imm, true);
export const shldEvGvCL: Handler = (c) => doubleShift(c, c.r8[4], true);
export const shrdEvGvIb: Handler = (c) => doubleShift(c, c.imm, false);
export const shrdEvGvCL: Handler = (c) => doubleShift(c, c.r8[4], false);
