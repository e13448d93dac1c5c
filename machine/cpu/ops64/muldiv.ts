// mul, imul, div, idiv in 64-bit mode. Products of 64-bit operands are computed exactly from
// 32x32-bit partial products (no BigInt); the 128-by-64-bit divisions, rare and slow on hardware
// too, use BigInt. Narrower sizes compute as ops/muldiv.ts does; 32-bit results zero-extend.
import type { Cpu } from '../cpu.ts';
import { EAX, EDX } from '../constants.ts';
import { CpuFault } from '../fault.ts';
import { divValue, imulInto, mulFlags, mulU32, mulValue, productHigh, productLow } from '../ops/muldiv.ts';
import type { Handler } from '../ops/operands.ts';
import { getReg, getRm, setR, setReg, signHi, sx8 } from './operands.ts';

const P32 = 4294967296;
/** The 128-bit product's words, least significant first (unsigned 32-bit numbers). */
const w = new Float64Array(4);

/** (ahi:alo) * (bhi:blo) into w, unsigned or signed. */
function mul128(alo: number, ahi: number, blo: number, bhi: number, signed: boolean): void {
  mulU32(alo, blo);
  const p0lo = productLow(), p0hi = productHigh();
  mulU32(alo, bhi);
  const p1lo = productLow(), p1hi = productHigh();
  mulU32(ahi, blo);
  const p2lo = productLow(), p2hi = productHigh();
  mulU32(ahi, bhi);
  const p3lo = productLow(), p3hi = productHigh();
  const mid = p0hi + p1lo + p2lo;
  const high = p1hi + p2hi + p3lo + Math.floor(mid / P32);
  w[0] = p0lo;
  w[1] = mid % P32;
  w[2] = high % P32;
  w[3] = (p3hi + Math.floor(high / P32)) % P32;
  if (!signed) return;
  // Two's complement: subtract the other operand from the upper half for each negative one.
  if (ahi < 0) subUpper(blo, bhi);
  if (bhi < 0) subUpper(alo, ahi);
}
function subUpper(lo: number, hi: number): void {
  const l = w[2] - (lo >>> 0);
  w[2] = l < 0 ? l + P32 : l;
  const h = w[3] - (hi >>> 0) - (l < 0 ? 1 : 0);
  w[3] = ((h % P32) + P32) % P32;
}
/** Whether the upper 64 bits of w are the sign (signed) or zero (unsigned) extension of the lower. */
function fits(signed: boolean): boolean {
  const ext = signed && w[1] >= 0x80000000 ? 0xffffffff : 0;
  return w[2] === ext && w[3] === ext;
}

function mulOp(c: Cpu, signed: boolean): void {
  const sz = c.osz;
  const src = getRm(c, sz);
  if (sz !== 3) {
    mulValue(c, sz, signed, src);
    if (sz === 2) c.regsHi[EAX] = c.regsHi[EDX] = 0;
    return;
  }
  mul128(c.regs[EAX], c.regsHi[EAX], src, c.opHi, signed);
  setR(c, 3, EAX, w[0], w[1]);
  setR(c, 3, EDX, w[2], w[3]);
  mulFlags(c, !fits(signed));
}

function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function divOp(c: Cpu, signed: boolean): void {
  const sz = c.osz;
  const d = getRm(c, sz);
  if (sz !== 3) {
    divValue(c, sz, signed, d);
    if (sz === 2) c.regsHi[EAX] = c.regsHi[EDX] = 0;
    return;
  }
  let divisor = toBig(d, c.opHi);
  if (divisor === 0n) throw new CpuFault(0, -1);
  let dividend = (toBig(c.regs[EDX], c.regsHi[EDX]) << 64n) | toBig(c.regs[EAX], c.regsHi[EAX]);
  if (signed) {
    dividend = BigInt.asIntN(128, dividend);
    divisor = BigInt.asIntN(64, divisor);
  }
  const q = dividend / divisor, r = dividend % divisor;
  if (signed ? q !== BigInt.asIntN(64, q) : q >> 64n !== 0n) throw new CpuFault(0, -1);
  const qu = BigInt.asUintN(64, q), ru = BigInt.asUintN(64, r);
  setR(c, 3, EAX, Number(qu & 0xffffffffn), Number(qu >> 32n));
  setR(c, 3, EDX, Number(ru & 0xffffffffn), Number(ru >> 32n));
}

export const mulEb: Handler = (c) => mulValue(c, 0, false, getRm(c, 0));
export const imulEb: Handler = (c) => mulValue(c, 0, true, getRm(c, 0));
export const divEb: Handler = (c) => divValue(c, 0, false, getRm(c, 0));
export const idivEb: Handler = (c) => divValue(c, 0, true, getRm(c, 0));
export const mulEv: Handler = (c) => mulOp(c, false);
export const imulEv: Handler = (c) => mulOp(c, true);
export const divEv: Handler = (c) => divOp(c, false);
export const idivEv: Handler = (c) => divOp(c, true);

/** Two- and three-operand imul: the truncated signed product, CF=OF when it does not fit. */
function imul(c: Cpu, a: number, ahi: number, b: number, bhi: number): void {
  const sz = c.osz;
  if (sz !== 3) {
    imulInto(c, sz, a, b);
    if (sz === 2) c.regsHi[c.reg] = 0;
    return;
  }
  mul128(a, ahi, b, bhi, true);
  setReg(c, 3, w[0], w[1]);
  mulFlags(c, !fits(true));
}
export const imulGvEv: Handler = (c) => {
  const a = getRm(c, c.osz), ahi = c.opHi;
  const b = getReg(c, c.osz);
  imul(c, a, ahi, b, c.opHi);
};
export const imulGvEvIz: Handler = (c) => {
  const a = getRm(c, c.osz);
  imul(c, a, c.opHi, c.imm, signHi(c.imm));
};
export const imulGvEvIb: Handler = (c) => {
  const a = getRm(c, c.osz), v = sx8(c.imm);
  imul(c, a, c.opHi, v, signHi(v));
};
