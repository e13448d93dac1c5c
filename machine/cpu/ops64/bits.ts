// Bit instructions in 64-bit mode: bt bts btr btc, bsf bsr, setcc, cmovcc, with 64-bit operands.
// A register bit offset into memory is signed and may reach far outside the operand.
import type { Cpu } from '../cpu.ts';
import { CF, ZF } from '../constants.ts';
import { cond } from '../ops/cond.ts';
import type { Handler } from '../ops/operands.ts';
import { getReg, getRm, getRmRmw, setReg, setRm } from './operands.ts';

function setCF(c: Cpu, bit: number): void {
  c.materializeFlags();
  c.flags = (c.flags & ~CF) | bit;
}

/** op: 0 bt, 1 bts, 2 btr, 3 btc on bit n (already reduced modulo the operand width). */
function applyBit(c: Cpu, sz: number, n: number, op: number): void {
  const v = op !== 0 ? getRmRmw(c, sz) : getRm(c, sz);
  const vhi = c.opHi;
  const inHi = sz === 3 && n >= 32;
  const word = inHi ? vhi : v;
  const m = 1 << (n & 31);
  setCF(c, (word >>> (n & 31)) & 1);
  if (op === 0) return;
  const r = op === 1 ? word | m : op === 2 ? word & ~m : word ^ m;
  if (inHi) setRm(c, sz, v, r);
  else setRm(c, sz, r, vhi);
}

/** A register offset with a memory operand: the address moves by whole operands (offset >> log2(bits)) first. */
function bitOpReg(c: Cpu, op: number): void {
  const sz = c.osz;
  const bits = 8 << sz;
  const off = getReg(c, sz), offHi = c.opHi;
  if (c.mod === 3) {
    applyBit(c, sz, off & (bits - 1), op);
    return;
  }
  // Byte displacement = (signed offset >> log2(bits)) * (bits / 8) = (offset >> 3) rounded down to the operand size.
  let lo: number, hi: number;
  if (sz === 3) {
    lo = ((off >>> 6) | (offHi << 26)) << 3;
    hi = ((offHi >> 6) << 3) | (((off >>> 6) | (offHi << 26)) >>> 29);
  } else {
    const signed = sz === 2 ? off : (off << 16) >> 16;
    lo = (signed >> (sz + 3)) << sz;
    hi = lo >> 31;
  }
  const s = (c.eaOff >>> 0) + (lo >>> 0);
  c.eaHi = (c.eaHi + hi + (s >= 4294967296 ? 1 : 0)) | 0;
  c.eaOff = s | 0;
  if (c.asz === 2) c.eaHi = 0;
  applyBit(c, sz, off & (bits - 1), op);
}

export const btEvGv: Handler = (c) => bitOpReg(c, 0);
export const btsEvGv: Handler = (c) => bitOpReg(c, 1);
export const btrEvGv: Handler = (c) => bitOpReg(c, 2);
export const btcEvGv: Handler = (c) => bitOpReg(c, 3);
export const btEvIb: Handler = (c) => applyBit(c, c.osz, c.imm & ((8 << c.osz) - 1), 0);
export const btsEvIb: Handler = (c) => applyBit(c, c.osz, c.imm & ((8 << c.osz) - 1), 1);
export const btrEvIb: Handler = (c) => applyBit(c, c.osz, c.imm & ((8 << c.osz) - 1), 2);
export const btcEvIb: Handler = (c) => applyBit(c, c.osz, c.imm & ((8 << c.osz) - 1), 3);

/** bsf/bsr: ZF when the source is 0 (the destination is then left alone), else the bit index. */
function scan(c: Cpu, reverse: boolean): void {
  const sz = c.osz;
  const v = getRm(c, sz), vhi = sz === 3 ? c.opHi : 0;
  c.materializeFlags();
  if (v === 0 && vhi === 0) {
    c.flags |= ZF;
    return;
  }
  c.flags &= ~ZF;
  let n: number;
  if (reverse) n = vhi !== 0 ? 63 - Math.clz32(vhi) : 31 - Math.clz32(v);
  else n = v !== 0 ? 31 - Math.clz32(v & -v) : 63 - Math.clz32(vhi & -vhi);
  setReg(c, sz, n, 0);
}
export const bsfGvEv: Handler = (c) => scan(c, false);
export const bsrGvEv: Handler = (c) => scan(c, true);

export const setcc: Handler = (c) => setRm(c, 0, cond(c, c.opcode & 15) ? 1 : 0, 0);
/** cmovcc reads its source whatever the condition; a 32-bit destination's high half is cleared even when nothing moves. */
export const cmovcc: Handler = (c) => {
  const sz = c.osz;
  const v = getRm(c, sz), vhi = c.opHi;
  if (cond(c, c.opcode & 15)) setReg(c, sz, v, vhi);
  else if (sz === 2) c.regsHi[c.reg] = 0;
};
