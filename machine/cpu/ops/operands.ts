// Operand access for handlers: the ModRM reg and r/m operands at each size.
import type { Cpu } from '../cpu.ts';

/** Handler of one opcode (at one operand size). */
export type Handler = (c: Cpu) => void;

/** Index into Cpu.r8 of 8-bit register n (AL CL DL BL AH CH DH BH). */
export const R8 = Uint8Array.of(0, 4, 8, 12, 1, 5, 9, 13);

/** Masks and sign bits by size index 0 (8-bit), 1 (16-bit), 2 (32-bit). 32-bit values travel as
 * signed int32 (no heap numbers); code needing the unsigned value applies >>> 0 locally. */
export const MASK = [0xff, 0xffff, 0xffffffff];
export const SIGN = [0x80, 0x8000, 0x80000000 | 0];

/** The 8-bit r/m operand (register or memory). */
export function getRm8(c: Cpu): number {
  return c.mod === 3 ? c.r8[R8[c.rm]] : c.rd8(c.eaSeg, c.eaOff);
}
/** Stores the 8-bit r/m operand. */
export function setRm8(c: Cpu, v: number): void {
  if (c.mod === 3) c.r8[R8[c.rm]] = v;
  else c.wr8(c.eaSeg, c.eaOff, v);
}
/** The 16-bit r/m operand. */
export function getRm16(c: Cpu): number {
  return c.mod === 3 ? c.r16[c.rm << 1] : c.rd16(c.eaSeg, c.eaOff);
}
/** Stores the 16-bit r/m operand. */
export function setRm16(c: Cpu, v: number): void {
  if (c.mod === 3) c.r16[c.rm << 1] = v;
  else c.wr16(c.eaSeg, c.eaOff, v);
}
/** The 32-bit r/m operand, as int32. */
export function getRm32(c: Cpu): number {
  return c.mod === 3 ? c.regs[c.rm] : c.rd32(c.eaSeg, c.eaOff);
}
/** Stores the 32-bit r/m operand. */
export function setRm32(c: Cpu, v: number): void {
  if (c.mod === 3) c.regs[c.rm] = v;
  else c.wr32(c.eaSeg, c.eaOff, v);
}
/**
 * The r/m operand of a read-modify-write instruction. A memory destination is checked for
 * writing first, so that a fault leaves flags and registers as they were.
 */
export function getRmRmw(c: Cpu, sz: number): number {
  if (c.mod !== 3) {
    const size = 1 << sz;
    const lin = c.writeAddr(c.eaSeg, c.eaOff, size);
    const user = c.cpl === 3;
    c.translate(lin, true, user);
    if ((lin & 0xfff) + size > 0x1000) c.translate((lin + size - 1) | 0, true, user);
  }
  return getRm(c, sz);
}

/** r/m at size index sz (0, 1, 2). */
export function getRm(c: Cpu, sz: number): number {
  return sz === 2 ? getRm32(c) : sz === 1 ? getRm16(c) : getRm8(c);
}
/** Stores the r/m operand at size index sz. */
export function setRm(c: Cpu, sz: number, v: number): void {
  if (sz === 2) setRm32(c, v);
  else if (sz === 1) setRm16(c, v);
  else setRm8(c, v);
}
/** The ModRM.reg register at size index sz. */
export function getReg(c: Cpu, sz: number): number {
  return sz === 2 ? c.regs[c.reg] : sz === 1 ? c.r16[c.reg << 1] : c.r8[R8[c.reg]];
}
/** Stores the ModRM.reg register at size index sz. */
export function setReg(c: Cpu, sz: number, v: number): void {
  if (sz === 2) c.regs[c.reg] = v;
  else if (sz === 1) c.r16[c.reg << 1] = v;
  else c.r8[R8[c.reg]] = v;
}
/** General register n at size sz. */
export function getR(c: Cpu, sz: number, n: number): number {
  return sz === 2 ? c.regs[n] : sz === 1 ? c.r16[n << 1] : c.r8[R8[n]];
}
/** Stores general register n at size sz. */
export function setR(c: Cpu, sz: number, n: number, v: number): void {
  if (sz === 2) c.regs[n] = v;
  else if (sz === 1) c.r16[n << 1] = v;
  else c.r8[R8[n]] = v;
}

/** Sign-extends the low byte / word. */
export function sx8(v: number): number {
  return (v << 24) >> 24;
}
export function sx16(v: number): number {
  return (v << 16) >> 16;
}
