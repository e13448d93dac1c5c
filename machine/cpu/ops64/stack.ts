// Stack instructions in 64-bit mode: pushes and pops are 8 bytes (2 with a 66 prefix), RSP is
// 64-bit and SS's base and limit are ignored; pushf/popf, push/pop FS and GS, enter/leave.
import type { Cpu } from '../cpu.ts';
import { EBP, ESP, FS, GS, RF, VM } from '../constants.ts';
import { addOffset, checkWritable, lastHi, popSized, pushSized, readMem } from '../mem64.ts';
import { loadSegment } from '../segmentation.ts';
import { popfChangeable, setFlagsMasked } from '../ops/stack.ts';
import type { Handler } from '../ops/operands.ts';
import { getR, getRm, setR, setRm, signHi, sx8 } from './operands.ts';

/** Bytes a push or pop of operand size osz (1 or 3) moves. */
function width(osz: number): number {
  return osz === 1 ? 2 : 8;
}

/** Pushes at the operand size (16 or 64 bits). */
export function push(c: Cpu, osz: number, lo: number, hi: number): void {
  pushSized(c, width(osz), lo, hi);
}
/** Pops at the operand size; the high half in c.opHi. */
export function pop(c: Cpu, osz: number): number {
  return popSized(c, width(osz));
}

export const pushReg: Handler = (c) => {
  const v = getR(c, c.osz, c.rm);
  push(c, c.osz, v, c.opHi);
};
export const popReg: Handler = (c) => {
  const v = pop(c, c.osz);
  setR(c, c.osz, c.rm, v, c.opHi);
};
export const pushIz: Handler = (c) => push(c, c.osz, c.imm, signHi(c.imm));
export const pushIb: Handler = (c) => {
  const v = sx8(c.imm);
  push(c, c.osz, v, signHi(v));
};
export const pushEv: Handler = (c) => {
  const v = getRm(c, c.osz);
  push(c, c.osz, v, c.opHi);
};
/** 8F /0: with RSP as base the address is computed after RSP is incremented. */
export const popEv: Handler = (c) => {
  const size = width(c.osz);
  const v = readMem(c, 2, c.regs[ESP], c.regsHi[ESP], size), vhi = c.opHi;
  if (c.eaBaseEsp) {
    c.eaOff = addOffset(c.eaOff, c.eaHi, size);
    c.eaHi = lastHi();
  }
  const oldLo = c.regs[ESP], oldHi = c.regsHi[ESP];
  c.regs[ESP] = addOffset(oldLo, oldHi, size);
  c.regsHi[ESP] = lastHi();
  try {
    setRm(c, c.osz, v, vhi);
  } catch (e) {
    c.regs[ESP] = oldLo;
    c.regsHi[ESP] = oldHi;
    throw e;
  }
};

/** push FS/GS: a 64-bit push writes the selector zero-extended (as Intel processors do for 16-bit slots, all 8 bytes here). */
function pushSeg(c: Cpu, seg: number): void {
  push(c, c.osz, c.segSel[seg], 0);
}
function popSeg(c: Cpu, seg: number): void {
  const lo = c.regs[ESP], hi = c.regsHi[ESP];
  const sel = readMem(c, 2, lo, hi, width(c.osz)) & 0xffff;
  loadSegment(c, seg, sel);
  c.regs[ESP] = addOffset(lo, hi, width(c.osz));
  c.regsHi[ESP] = lastHi();
}
export const pushFS: Handler = (c) => pushSeg(c, FS);
export const pushGS: Handler = (c) => pushSeg(c, GS);
export const popFS: Handler = (c) => popSeg(c, FS);
export const popGS: Handler = (c) => popSeg(c, GS);

/** pushfq: RFLAGS with VM and RF read as 0. */
export const pushf: Handler = (c) => {
  const f = c.getEflags();
  push(c, c.osz, c.osz === 1 ? f & 0xffff : f & ~(VM | RF), 0);
};
/** popfq: the privilege rules of popf; VM, VIF, VIP are kept. */
export const popf: Handler = (c) => {
  const v = pop(c, c.osz);
  setFlagsMasked(c, v, popfChangeable(c, c.osz === 1 ? 1 : 2));
  c.flags &= ~RF;
};

/** enter: the frame pointer chain is copied at the operand size (8 or 2 bytes). */
export const enter: Handler = (c) => {
  const size = width(c.osz);
  const alloc = c.imm & 0xffff;
  const level = c.imm2 & 31;
  const sp = c.regs[ESP], spHi = c.regsHi[ESP];
  // Check the lowest byte the instruction writes and the first slot before changing anything.
  checkWritable(c, 2, addOffset(sp, spHi, -size * (level + 1) - alloc), lastHi(), 1);
  checkWritable(c, 2, addOffset(sp, spHi, -size), lastHi(), size);
  const oldBp = c.regs[EBP], oldBpHi = c.regsHi[EBP];
  try {
    push(c, c.osz, getR(c, c.osz, EBP), c.opHi);
    const frameTemp = c.regs[ESP], frameTempHi = c.regsHi[ESP];
    let bp = oldBp, bpHi = oldBpHi;
    for (let i = 1; i < level; i++) {
      bp = addOffset(bp, bpHi, -size);
      bpHi = lastHi();
      const v = readMem(c, 2, bp, bpHi, size);
      push(c, c.osz, v, c.opHi);
    }
    if (level > 0) push(c, c.osz, frameTemp, frameTempHi);
    setR(c, c.osz, EBP, frameTemp, frameTempHi);
  } catch (e) {
    c.regs[ESP] = sp;
    c.regsHi[ESP] = spHi;
    c.regs[EBP] = oldBp;
    c.regsHi[EBP] = oldBpHi;
    throw e;
  }
  c.regs[ESP] = addOffset(c.regs[ESP], c.regsHi[ESP], -alloc);
  c.regsHi[ESP] = lastHi();
};

/** leave: RSP = RBP, then pop RBP. */
export const leave: Handler = (c) => {
  const size = width(c.osz);
  const bp = c.regs[EBP], bpHi = c.regsHi[EBP];
  const v = readMem(c, 2, bp, bpHi, size), vhi = c.opHi;
  c.regs[ESP] = addOffset(bp, bpHi, size);
  c.regsHi[ESP] = lastHi();
  setR(c, c.osz, EBP, v, vhi);
};
