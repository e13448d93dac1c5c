// mul, imul (one-, two- and three-operand forms), div, idiv with #DE on a zero divisor or a
// quotient that does not fit. 64-bit products and dividends are handled exactly with 16-bit
// pieces, without BigInt. Undefined flags as the P6 core leaves them (sandpile.org's table of
// undefined flags): mul/imul change only CF and OF; div/idiv change no flag.
import type { Cpu } from '../cpu.ts';
import { CF, EAX, EDX, OF } from '../constants.ts';
import { CpuFault } from '../fault.ts';
import { getReg, getRm, type Handler, setReg, sx16, sx8 } from './operands.ts';

let productLo = 0, productHi = 0;

/** Unsigned 32x32 -> 64 multiply into productLo/productHi. */
export function mulU32(a: number, b: number): void {
  a >>>= 0;
  b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  productLo = (((mid & 0xffff) << 16) | (ll & 0xffff)) >>> 0;
  productHi = (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** Signed 32x32 -> 64 multiply into productLo/productHi. */
export function mulS32(a: number, b: number): void {
  mulU32(a, b);
  let hi = productHi;
  if ((a | 0) < 0) hi -= b >>> 0;
  if ((b | 0) < 0) hi -= a >>> 0;
  productHi = hi >>> 0;
}

/** Sets CF and OF together (the other arithmetic flags are kept). */
export function mulFlags(c: Cpu, overflow: boolean): void {
  c.materializeFlags();
  c.flags = (c.flags & ~(CF | OF)) | (overflow ? CF | OF : 0);
}

const divDE = () => new CpuFault(0, -1);
let quotient = 0, remainder = 0;

/** Unsigned (hi:lo) / d with hi < d, exact; result in quotient/remainder. */
function divU64(hi: number, lo: number, d: number): void {
  const t1 = hi * 65536 + (lo >>> 16);
  const q1 = Math.floor(t1 / d);
  const t2 = (t1 - q1 * d) * 65536 + (lo & 0xffff);
  const q2 = Math.floor(t2 / d);
  quotient = q1 * 65536 + q2;
  remainder = t2 - q2 * d;
}

function mulOp(c: Cpu, sz: number, signed: boolean): void {
  mulValue(c, sz, signed, getRm(c, sz));
}

/** High and low halves of the last mulU32/mulS32 product. */
export function productHigh(): number {
  return productHi;
}
export function productLow(): number {
  return productLo;
}

/** mul/imul of the accumulator by `src` at size sz (0-2): AX, DX:AX or EDX:EAX, CF and OF. */
export function mulValue(c: Cpu, sz: number, signed: boolean, src: number): void {
  src >>>= 0;
  if (sz === 0) {
    const p = signed ? sx8(c.r8[0]) * sx8(src) : c.r8[0] * src;
    c.r16[0] = p;
    mulFlags(c, signed ? p !== sx8(p) : p > 0xff);
  } else if (sz === 1) {
    const p = signed ? sx16(c.r16[0]) * sx16(src) : c.r16[0] * src;
    c.r16[0] = p;
    c.r16[EDX * 2] = p >>> 16;
    mulFlags(c, signed ? p !== sx16(p) : p > 0xffff);
  } else {
    if (signed) mulS32(c.regs[EAX], src);
    else mulU32(c.regs[EAX], src);
    c.regs[EAX] = productLo;
    c.regs[EDX] = productHi;
    const fits = signed ? productHi === ((productLo | 0) < 0 ? 0xffffffff : 0) : productHi === 0;
    mulFlags(c, !fits);
  }
}

function divOp(c: Cpu, sz: number, signed: boolean): void {
  divValue(c, sz, signed, getRm(c, sz));
}

/** div/idiv of the accumulator pair by `divisor` at size sz (0-2); #DE when it is 0 or the quotient does not fit. */
export function divValue(c: Cpu, sz: number, signed: boolean, divisor: number): void {
  const d = divisor >>> 0;
  if (d === 0) throw divDE();
  if (sz === 0) {
    const n = signed ? sx16(c.r16[0]) : c.r16[0];
    const dv = signed ? sx8(d) : d;
    const q = Math.trunc(n / dv);
    if (signed ? q !== sx8(q) : q > 0xff) throw divDE();
    c.r8[0] = q;
    c.r8[1] = n - q * dv;
  } else if (sz === 1) {
    const u = ((c.r16[EDX * 2] << 16) | c.r16[0]) >>> 0;
    const n = signed ? u | 0 : u;
    const dv = signed ? sx16(d) : d;
    const q = Math.trunc(n / dv);
    if (signed ? q !== sx16(q) : q > 0xffff) throw divDE();
    c.r16[0] = q;
    c.r16[EDX * 2] = n - q * dv;
  } else {
    let hi = c.regs[EDX] >>> 0, lo = c.regs[EAX] >>> 0;
    const negative = signed && (hi & 0x80000000) !== 0;
    if (negative) {
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    }
    const dNeg = signed && (d & 0x80000000) !== 0;
    const dAbs = dNeg ? (-(d | 0)) >>> 0 : d;
    if (hi >= dAbs) throw divDE();
    divU64(hi, lo, dAbs);
    let q = quotient, r = remainder;
    if (signed) {
      if (negative !== dNeg) {
        if (q > 0x80000000) throw divDE();
        q = -q;
      } else if (q > 0x7fffffff) {
        throw divDE();
      }
      if (negative) r = -r;
    }
    c.regs[EAX] = q;
    c.regs[EDX] = r;
  }
}

export const mulEb: Handler = (c) => mulOp(c, 0, false);
export const imulEb: Handler = (c) => mulOp(c, 0, true);
export const divEb: Handler = (c) => divOp(c, 0, false);
export const idivEb: Handler = (c) => divOp(c, 0, true);
export const mulEv: Handler = (c) => {
  const sz = c.o32 + 1;
  mulOp(c, sz, false);
};
export const imulEv: Handler = (c) => {
  const sz = c.o32 + 1;
  mulOp(c, sz, true);
};
export const divEv: Handler = (c) => {
  const sz = c.o32 + 1;
  divOp(c, sz, false);
};
export const idivEv: Handler = (c) => {
  const sz = c.o32 + 1;
  divOp(c, sz, true);
};

/** Two- and three-operand imul at 16 or 32 bits into the ModRM.reg register: truncated signed product, CF=OF when it does not fit. */
export function imulInto(c: Cpu, sz: number, a: number, b: number): void {
  if (sz === 1) {
    const p = sx16(a) * sx16(b);
    setReg(c, 1, p & 0xffff);
    mulFlags(c, p !== sx16(p));
  } else {
    mulS32(a, b);
    setReg(c, 2, productLo);
    mulFlags(c, productHi !== ((productLo | 0) < 0 ? 0xffffffff : 0));
  }
}

export const imulGvEv: Handler = (c) => {
  const sz = c.o32 + 1;
  imulInto(c, sz, getRm(c, sz), getReg(c, sz));
};
export const imulGvEvIz: Handler = (c) => {
  const sz = c.o32 + 1;
  imulInto(c, sz, getRm(c, sz), c.imm);
};
export const imulGvEvIb: Handler = (c) => {
  const sz = c.o32 + 1;
  imulInto(c, sz, getRm(c, sz), sx8(c.imm));
};
