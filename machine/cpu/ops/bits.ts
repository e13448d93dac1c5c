// Bit instructions: bt bts btr btc (register and immediate offsets), bsf bsr, bswap, setcc,
// cmovcc. After bt*, only CF changes (OF SF AF PF are undefined and kept); after bsf/bsr only ZF
// changes, and a zero source leaves the destination unchanged, as Intel and AMD processors do.
import type { Cpu } from '../cpu.ts';
import { CF, ZF } from '../constants.ts';
import { cond } from './cond.ts';
import { getReg, getRm, getRmRmw, type Handler, setReg, setRm, setRm8 } from './operands.ts';

function setCF(c: Cpu, bit: number): void {
  c.materializeFlags();
  c.flags = (c.flags & ~CF) | bit;
}

/** op: 0 bt, 1 bts, 2 btr, 3 btc. `offset` is the bit offset (signed for register offsets in memory). */
function bitOp(c: Cpu, sz: number, offset: number, fromReg: boolean, op: number): void {
  const bits = 8 << sz;
  if (c.mod === 3 || !fromReg) {
    const n = offset & (bits - 1);
    const v = op !== 0 ? getRmRmw(c, sz) : getRm(c, sz);
    setCF(c, (v >>> n) & 1);
    if (op !== 0) setRm(c, sz, op === 1 ? v | (1 << n) : op === 2 ? v & ~(1 << n) : v ^ (1 << n));
    return;
  }
  // A register bit offset reaches outside the operand: it selects the word or dword at
  // EA + (offset >> log2(bits)) * bytes, the offset taken as signed.
  const signedOffset = sz === 2 ? offset | 0 : (offset << 16) >> 16;
  const bytes = bits >>> 3;
  const delta = Math.floor(signedOffset / bits) * bytes;
  const base = c.eaOff;
  c.eaOff = c.a32 ? (base + delta) | 0 : (base + delta) & 0xffff;
  const n = signedOffset & (bits - 1);
  const v = op !== 0 ? getRmRmw(c, sz) : getRm(c, sz);
  setCF(c, (v >>> n) & 1);
  if (op !== 0) setRm(c, sz, op === 1 ? v | (1 << n) : op === 2 ? v & ~(1 << n) : v ^ (1 << n));
}

export const btEvGv: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, getReg(c, sz), true, 0);
};
export const btsEvGv: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, getReg(c, sz), true, 1);
};
export const btrEvGv: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, getReg(c, sz), true, 2);
};
export const btcEvGv: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, getReg(c, sz), true, 3);
};
export const btEvIb: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, c.imm, false, 0);
};
export const btsEvIb: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, c.imm, false, 1);
};
export const btrEvIb: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, c.imm, false, 2);
};
export const btcEvIb: Handler = (c) => {
  const sz = c.o32 + 1;
  bitOp(c, sz, c.imm, false, 3);
};

function scan(c: Cpu, sz: number, reverse: boolean): void {
  const v = getRm(c, sz);
  c.materializeFlags();
  if (v === 0) {
    c.flags |= ZF;
    return;
  }
  c.flags &= ~ZF;
  setReg(c, sz, reverse ? 31 - Math.clz32(v) : 31 - Math.clz32(v & -v));
}
export const bsfGvEv: Handler = (c) => {
  const sz = c.o32 + 1;
  scan(c, sz, false);
};
export const bsrGvEv: Handler = (c) => {
  const sz = c.o32 + 1;
  scan(c, sz, true);
};

/** 0F C8+r. With a 16-bit operand the result is undefined; Intel processors zero the low word. */
export const bswap: Handler = (c) => {
  const sz = c.o32 + 1;
  const n = c.opcode & 7;
  if (sz === 1) {
    c.r16[n << 1] = 0;
    return;
  }
  const v = c.regs[n];
  c.regs[n] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
};

export const setcc: Handler = (c) => setRm8(c, cond(c, c.opcode & 15) ? 1 : 0);
/** cmovcc always reads its source (so a bad address faults even when the condition is false). */
export const cmovcc: Handler = (c) => {
  const sz = c.o32 + 1;
  const v = getRm(c, sz);
  if (cond(c, c.opcode & 15)) setReg(c, sz, v);
};

export const salc: Handler = (c) => {
  c.r8[0] = c.getCF() ? 0xff : 0;
};

