// Data movement in 64-bit mode: mov in all forms (mov r64, imm64 and 64-bit moffs included),
// movzx/movsx, movsxd, lea, xchg, cbw/cwde/cdqe, cwd/cdq/cqo, xlat, cmpxchg, xadd,
// cmpxchg8b/16b, bswap, and moves of segment registers.
import type { Cpu } from '../cpu.ts';
import { CS, EAX, EBX, ECX, EDX, SS, ZF } from '../constants.ts';
import { gp, ud } from '../fault.ts';
import { linear, readMem, writeMem } from '../mem64.ts';
import { loadSegment } from '../segmentation.ts';
import type { Handler } from '../ops/operands.ts';
import { aluSz } from './alu.ts';
import { byteIndex, getR, getReg, getRm, getRmRmw, readAtEa, setR, setReg, setRm, signHi, sx16, sx8, writeAtEa } from './operands.ts';

export const movEbGb: Handler = (c) => setRm(c, 0, getReg(c, 0), 0);
export const movEvGv: Handler = (c) => {
  const v = getReg(c, c.osz);
  setRm(c, c.osz, v, c.opHi);
};
export const movGbEb: Handler = (c) => setReg(c, 0, getRm(c, 0), 0);
export const movGvEv: Handler = (c) => {
  const v = getRm(c, c.osz);
  setReg(c, c.osz, v, c.opHi);
};
export const movEbIb: Handler = (c) => setRm(c, 0, c.imm, 0);
/** C7 /0: the 32-bit immediate is sign-extended to 64 bits. */
export const movEvIz: Handler = (c) => setRm(c, c.osz, c.imm, signHi(c.imm));
export const movRegIb: Handler = (c) => {
  c.r8[byteIndex(c, c.rm)] = c.imm;
};
/** B8+r: with REX.W the immediate has 64 bits (imm2 is its high half). */
export const movRegIv: Handler = (c) => setR(c, c.osz, c.rm, c.imm, c.imm2);

/** A0-A3: the offset is a 64-bit (or, with 67, 32-bit) absolute address; FS/GS overrides apply. */
function moffs(c: Cpu): number {
  return c.segOvr >= 0 ? c.segOvr : 3;
}
function moffsHi(c: Cpu): number {
  return c.asz === 3 ? c.imm2 : 0;
}
export const movALOb: Handler = (c) => {
  c.r8[0] = readMem(c, moffs(c), c.imm, moffsHi(c), 1);
};
export const moveAXOv: Handler = (c) => {
  const v = readMem(c, moffs(c), c.imm, moffsHi(c), 1 << c.osz);
  setR(c, c.osz, EAX, v, c.opHi);
};
export const movObAL: Handler = (c) => writeMem(c, moffs(c), c.imm, moffsHi(c), 1, c.r8[0], 0);
export const movOveAX: Handler = (c) => {
  const v = getR(c, c.osz, EAX);
  writeMem(c, moffs(c), c.imm, moffsHi(c), 1 << c.osz, v, c.opHi);
};

/** 8C: a register destination gets the selector zero-extended to the operand size; memory gets 16 bits. */
export const movEvSw: Handler = (c) => {
  const sel = c.segSel[c.reg & 7];
  if (c.mod === 3) setR(c, c.osz, c.rm, sel, 0);
  else setRm(c, 1, sel, 0);
};
/** 8E: loading CS is #UD; SS starts an interrupt shadow. */
export const movSwEw: Handler = (c) => {
  const seg = c.reg & 7;
  if (seg === CS) ud();
  loadSegment(c, seg, getRm(c, 1));
  if (seg === SS) c.inhibitInterrupts();
};

/** lea: the effective address (no segment base) truncated to the operand size. */
export const lea: Handler = (c) => setReg(c, c.osz, c.eaOff, c.eaHi);
export const movzxGvEb: Handler = (c) => setReg(c, c.osz, getRm(c, 0), 0);
export const movzxGvEw: Handler = (c) => setReg(c, c.osz, getRm(c, 1), 0);
export const movsxGvEb: Handler = (c) => {
  const v = sx8(getRm(c, 0));
  setReg(c, c.osz, c.osz === 1 ? v & 0xffff : v, signHi(v));
};
export const movsxGvEw: Handler = (c) => {
  const v = sx16(getRm(c, 1));
  setReg(c, c.osz, c.osz === 1 ? v & 0xffff : v, signHi(v));
};
/** 63 movsxd: REX.W sign-extends a dword; without it the dword (or word) is moved as is. */
export const movsxd: Handler = (c) => {
  const v = getRm(c, c.osz === 1 ? 1 : 2);
  setReg(c, c.osz, v, signHi(v));
};

export const xchgEbGb: Handler = (c) => {
  const a = getRmRmw(c, 0), b = getReg(c, 0);
  setRm(c, 0, b, 0);
  setReg(c, 0, a, 0);
};
export const xchgEvGv: Handler = (c) => {
  const sz = c.osz;
  const a = getRmRmw(c, sz), ahi = c.opHi;
  const b = getReg(c, sz), bhi = c.opHi;
  setRm(c, sz, b, bhi);
  setReg(c, sz, a, ahi);
};
/** 90+r: 90 without REX.B is nop (even at 32 bits: RAX keeps its high half); 90 with REX.B swaps R8. */
export const xchgReg: Handler = (c) => {
  const sz = c.osz, n = c.rm;
  if (n === 0) return;
  const a = getR(c, sz, EAX), ahi = c.opHi;
  const b = getR(c, sz, n), bhi = c.opHi;
  setR(c, sz, EAX, b, bhi);
  setR(c, sz, n, a, ahi);
};

/** 98: cbw, cwde, cdqe. */
export const cbw: Handler = (c) => {
  if (c.osz === 3) setR(c, 3, EAX, c.regs[EAX], signHi(c.regs[EAX]));
  else if (c.osz === 2) setR(c, 2, EAX, sx16(c.r16[0]), 0);
  else c.r16[0] = sx8(c.r8[0]);
};
/** 99: cwd, cdq, cqo. */
export const cwd: Handler = (c) => {
  if (c.osz === 3) setR(c, 3, EDX, c.regsHi[EAX] >> 31, c.regsHi[EAX] >> 31);
  else if (c.osz === 2) setR(c, 2, EDX, c.regs[EAX] >> 31, 0);
  else c.r16[EDX * 2] = sx16(c.r16[0]) >> 16;
};

/** xlat: AL = [rBX + AL] (EBX with a 67 prefix). */
export const xlat: Handler = (c) => {
  const seg = c.segOvr >= 0 ? c.segOvr : 3;
  if (c.asz === 3) {
    const s = (c.regs[EBX] >>> 0) + c.r8[0];
    c.r8[0] = readMem(c, seg, s | 0, (c.regsHi[EBX] + (s >= 4294967296 ? 1 : 0)) | 0, 1);
  } else {
    c.r8[0] = readMem(c, seg, (c.regs[EBX] + c.r8[0]) | 0, 0, 1);
  }
};

/** cmpxchg: the destination is written in both cases, as the locked bus cycle does. */
function cmpxchg(c: Cpu, sz: number): void {
  const dest = getRmRmw(c, sz), destHi = sz === 3 ? c.opHi : 0;
  const acc = getR(c, sz, EAX), accHi = sz === 3 ? c.opHi : 0;
  aluSz(c, 7, sz, acc, accHi, dest, destHi);
  if (acc === dest && accHi === destHi) {
    const src = getReg(c, sz);
    setRm(c, sz, src, c.opHi);
  } else {
    setRm(c, sz, dest, destHi);
    setR(c, sz, EAX, dest, destHi);
  }
}
export const cmpxchgEbGb: Handler = (c) => cmpxchg(c, 0);
export const cmpxchgEvGv: Handler = (c) => cmpxchg(c, c.osz);

function xadd(c: Cpu, sz: number): void {
  const dest = getRmRmw(c, sz), destHi = c.opHi;
  const src = getReg(c, sz), srcHi = c.opHi;
  const sum = aluSz(c, 0, sz, dest, destHi, src, srcHi);
  setRm(c, sz, sum, c.opHi);
  setReg(c, sz, dest, destHi);
}
export const xaddEbGb: Handler = (c) => xadd(c, 0);
export const xaddEvGv: Handler = (c) => xadd(c, c.osz);

function setZF(c: Cpu, on: boolean): void {
  c.materializeFlags();
  c.flags = on ? c.flags | ZF : c.flags & ~ZF;
}

/** 0F C7 /1 cmpxchg8b: EDX:EAX against the qword; only ZF changes; memory is written in both cases. */
export const cmpxchg8b: Handler = (c) => {
  const lo = readAtEa(c, 0, 4), hi = readAtEa(c, 4, 4);
  const equal = lo === c.regs[EAX] && hi === c.regs[EDX];
  const nlo = equal ? c.regs[EBX] : lo, nhi = equal ? c.regs[ECX] : hi;
  writeAtEa(c, 0, 8, nlo, nhi);
  if (!equal) {
    setR(c, 2, EAX, lo, 0);
    setR(c, 2, EDX, hi, 0);
  }
  setZF(c, equal);
};
/** REX.W 0F C7 /1 cmpxchg16b: RDX:RAX against the 16-byte operand, which must be 16-byte aligned (#GP(0)). */
export const cmpxchg16b: Handler = (c) => {
  if ((linear(c, c.eaSeg, c.eaOff, c.eaHi) & 15) !== 0) gp(0);
  const q0 = readAtEa(c, 0, 8), q0hi = c.opHi;
  const q1 = readAtEa(c, 8, 8), q1hi = c.opHi;
  const equal = q0 === c.regs[EAX] && q0hi === c.regsHi[EAX] && q1 === c.regs[EDX] && q1hi === c.regsHi[EDX];
  // Aligned, both halves lie in one page: the first store succeeding means the second will.
  writeAtEa(c, 0, 8, equal ? c.regs[EBX] : q0, equal ? c.regsHi[EBX] : q0hi);
  writeAtEa(c, 8, 8, equal ? c.regs[ECX] : q1, equal ? c.regsHi[ECX] : q1hi);
  if (!equal) {
    setR(c, 3, EAX, q0, q0hi);
    setR(c, 3, EDX, q1, q1hi);
  }
  setZF(c, equal);
};

/** 0F C8+r: bswap of 32 or 64 bits; the 16-bit form's result is undefined (Intel zeroes the word). */
export const bswap: Handler = (c) => {
  const n = c.rm;
  const swap = (v: number) => ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
  if (c.osz === 1) c.r16[n << 1] = 0;
  else if (c.osz === 2) setR(c, 2, n, swap(c.regs[n]), 0);
  else setR(c, 3, n, swap(c.regsHi[n]), swap(c.regs[n]));
};
