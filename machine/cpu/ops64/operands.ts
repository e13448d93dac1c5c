// Operand access for 64-bit mode handlers. Sizes are indexes: 0 8-bit, 1 16-bit, 2 32-bit,
// 3 64-bit. A 64-bit value travels as its low half (the return value, int32) and its high half
// in c.opHi. Writing a 32-bit register zeroes its high half; 8- and 16-bit writes keep the rest.
import type { Cpu } from '../cpu.ts';
import { addOffset, checkWritable, lastHi, readMem, writeMem } from '../mem64.ts';

/** Index into Cpu.r8 of byte register n: with a REX prefix 4-7 are SPL..DIL, without it AH..BH. */
export function byteIndex(c: Cpu, n: number): number {
  return c.rex !== 0 || n < 4 ? n << 2 : ((n - 4) << 2) + 1;
}

/** Register n at size sz. */
export function getR(c: Cpu, sz: number, n: number): number {
  if (sz === 3) {
    c.opHi = c.regsHi[n];
    return c.regs[n];
  }
  if (sz === 2) return c.regs[n];
  return sz === 1 ? c.r16[n << 1] : c.r8[byteIndex(c, n)];
}

/** Stores register n at size sz (hi is used only at size 3). */
export function setR(c: Cpu, sz: number, n: number, lo: number, hi: number): void {
  if (sz === 3) {
    c.regs[n] = lo;
    c.regsHi[n] = hi;
  } else if (sz === 2) {
    c.regs[n] = lo;
    c.regsHi[n] = 0;
  } else if (sz === 1) {
    c.r16[n << 1] = lo;
  } else {
    c.r8[byteIndex(c, n)] = lo;
  }
}

/** The ModRM.reg register. */
export function getReg(c: Cpu, sz: number): number {
  return getR(c, sz, c.reg);
}
export function setReg(c: Cpu, sz: number, lo: number, hi: number): void {
  setR(c, sz, c.reg, lo, hi);
}

/** The r/m operand: a register, or memory at the decoded address. */
export function getRm(c: Cpu, sz: number): number {
  return c.mod === 3 ? getR(c, sz, c.rm) : readMem(c, c.eaSeg, c.eaOff, c.eaHi, 1 << sz);
}
export function setRm(c: Cpu, sz: number, lo: number, hi: number): void {
  if (c.mod === 3) setR(c, sz, c.rm, lo, hi);
  else writeMem(c, c.eaSeg, c.eaOff, c.eaHi, 1 << sz, lo, hi);
}

/** The r/m operand of a read-modify-write: memory is checked for writing before anything changes. */
export function getRmRmw(c: Cpu, sz: number): number {
  if (c.mod !== 3) checkWritable(c, c.eaSeg, c.eaOff, c.eaHi, 1 << sz);
  return getRm(c, sz);
}

/** Reads `size` bytes at the decoded address plus `delta`. */
export function readAtEa(c: Cpu, delta: number, size: number): number {
  const lo = addOffset(c.eaOff, c.eaHi, delta);
  return readMem(c, c.eaSeg, lo, lastHi(), size);
}

/** Writes `size` bytes at the decoded address plus `delta`. */
export function writeAtEa(c: Cpu, delta: number, size: number, lo: number, hi: number): void {
  const at = addOffset(c.eaOff, c.eaHi, delta);
  writeMem(c, c.eaSeg, at, lastHi(), size, lo, hi);
}

/** Masks a value to size sz (0-2); 32-bit values stay int32. */
export const MASK = [0xff, 0xffff, -1];

/** Sign-extends an immediate's low byte / word; the high half of a sign-extended 32-bit value. */
export function sx8(v: number): number {
  return (v << 24) >> 24;
}
export function sx16(v: number): number {
  return (v << 16) >> 16;
}
export function signHi(v: number): number {
  return v >> 31;
}
