// Stack instructions: push/pop of registers, immediates, memory and segment registers,
// pusha/popa, pushf/popf with the privilege rules for IF and IOPL, enter/leave.
import type { Cpu } from '../cpu.ts';
import { AC, CS, DS, EBP, ES, ESP, FS, GS, ID, IF, IOPL, NT, RF, SS, TF, VIF, VIP, VM } from '../constants.ts';
import { CpuFault } from '../fault.ts';
import { loadSegment } from '../segmentation.ts';
import { getRm, setRm, sx8, type Handler } from './operands.ts';

/** Pushes at the current operand size. */
export function push(c: Cpu, sz: number, v: number): void {
  if (sz === 2) c.push32(v);
  else c.push16(v);
}
/** Pops at the current operand size. */
export function pop(c: Cpu, sz: number): number {
  return sz === 2 ? c.pop32() : c.pop16();
}

export const pushReg: Handler = (c) => {
  const sz = c.o32 + 1;
  push(c, sz, c.regs[c.opcode & 7]);
};
export const popReg: Handler = (c) => {
  const sz = c.o32 + 1;
  const v = pop(c, sz);
  if (sz === 2) c.regs[c.opcode & 7] = v;
  else c.r16[(c.opcode & 7) << 1] = v;
};
export const pushIz: Handler = (c) => {
  const sz = c.o32 + 1;
  push(c, sz, c.imm);
};
export const pushIb: Handler = (c) => {
  const sz = c.o32 + 1;
  push(c, sz, sx8(c.imm));
};
export const pushEv: Handler = (c) => {
  const sz = c.o32 + 1;
  push(c, sz, getRm(c, sz));
};
/** 8F /0: with ESP as base the address is computed after ESP is incremented. */
export const popEv: Handler = (c) => {
  const sz = c.o32 + 1;
  const sp = c.sp();
  const v = sz === 2 ? c.rd32(SS, sp) : c.rd16(SS, sp);
  if (c.eaBaseEsp) c.eaOff = (c.eaOff + (sz === 2 ? 4 : 2)) | 0;
  const oldEsp = c.regs[ESP];
  c.setSp(sp + (sz === 2 ? 4 : 2));
  try {
    setRm(c, sz, v);
  } catch (e) {
    c.regs[ESP] = oldEsp;
    throw e;
  }
};

/** Segment pushes with a 32-bit operand size write only the low 16 bits of the slot, as recent Intel processors do. */
function pushSeg(c: Cpu, sz: number, seg: number): void {
  if (sz === 1) {
    c.push16(c.segSel[seg]);
    return;
  }
  const sp = (c.stack32 ? c.regs[ESP] - 4 : (c.regs[ESP] - 4) & 0xffff) | 0;
  c.writeAddr(SS, sp, 4);
  c.wr16(SS, sp, c.segSel[seg]);
  c.setSp(sp);
}
function popSeg(c: Cpu, sz: number, seg: number): void {
  const sp = c.sp();
  const sel = sz === 2 ? c.rd32(SS, sp) & 0xffff : c.rd16(SS, sp);
  loadSegment(c, seg, sel);
  c.setSp(sp + (sz === 2 ? 4 : 2));
  if (seg === SS) c.inhibitInterrupts();
}
export const pushES: Handler = (c) => {
  const sz = c.o32 + 1;
  pushSeg(c, sz, ES);
};
export const pushCS: Handler = (c) => {
  const sz = c.o32 + 1;
  pushSeg(c, sz, CS);
};
export const pushSS: Handler = (c) => {
  const sz = c.o32 + 1;
  pushSeg(c, sz, SS);
};
export const pushDS: Handler = (c) => {
  const sz = c.o32 + 1;
  pushSeg(c, sz, DS);
};
export const pushFS: Handler = (c) => {
  const sz = c.o32 + 1;
  pushSeg(c, sz, FS);
};
export const pushGS: Handler = (c) => {
  const sz = c.o32 + 1;
  pushSeg(c, sz, GS);
};
export const popES: Handler = (c) => {
  const sz = c.o32 + 1;
  popSeg(c, sz, ES);
};
export const popSS: Handler = (c) => {
  const sz = c.o32 + 1;
  popSeg(c, sz, SS);
};
export const popDS: Handler = (c) => {
  const sz = c.o32 + 1;
  popSeg(c, sz, DS);
};
export const popFS: Handler = (c) => {
  const sz = c.o32 + 1;
  popSeg(c, sz, FS);
};
export const popGS: Handler = (c) => {
  const sz = c.o32 + 1;
  popSeg(c, sz, GS);
};

export const pusha: Handler = (c) => {
  const sz = c.o32 + 1;
  const size = sz === 2 ? 4 : 2;
  const start = c.sp();
  const mask = c.stack32 ? -1 : 0xffff;
  c.writeAddr(SS, ((start - 8 * size) & mask) | 0, 8 * size);
  const esp = c.regs[ESP];
  for (let i = 0; i < 8; i++) push(c, sz, i === ESP ? esp : c.regs[i]);
};
export const popa: Handler = (c) => {
  const sz = c.o32 + 1;
  const size = sz === 2 ? 4 : 2;
  c.readAddr(SS, c.sp(), 8 * size);
  for (let i = 7; i >= 0; i--) {
    const v = pop(c, sz);
    if (i === ESP) continue;
    if (sz === 2) c.regs[i] = v;
    else c.r16[i << 1] = v;
  }
};

function iopl(c: Cpu): number {
  return (c.flags >>> 12) & 3;
}

export const pushf: Handler = (c) => {
  const sz = c.o32 + 1;
  if (c.flags & VM) throw new CpuFault(13, 0);
  const f = c.getEflags();
  push(c, sz, sz === 2 ? f & ~(VM | RF) : f & 0xffff);
};

/** popf: CPL 0 may change IOPL and IF; CPL <= IOPL may change IF; VM, VIF, VIP are kept; RF is cleared. */
export const popf: Handler = (c) => {
  const sz = c.o32 + 1;
  const v = pop(c, sz);
  setFlagsMasked(c, v, popfChangeable(c, sz));
  c.flags &= ~RF;
};

/** The EFLAGS bits popf may change at operand size sz (1 or 2) and the current privilege. */
export function popfChangeable(c: Cpu, sz: number): number {
  let changeable = 0xcd5 | TF | NT | (sz === 2 ? AC | ID : 0);
  if (!c.protectedMode() || c.cpl === 0) changeable |= IOPL | IF;
  else if (c.cpl <= iopl(c)) changeable |= IF;
  return changeable;
}

/** Writes the `changeable` EFLAGS bits from `v`, keeping the rest; wakes the interrupt check. */
export function setFlagsMasked(c: Cpu, v: number, changeable: number): void {
  c.materializeFlags();
  const old = c.flags;
  c.flags = ((old & ~changeable) | (v & changeable) | 2) & ~(VIF | VIP) | (old & (VIF | VIP));
  if ((c.flags & IF) !== 0 && (old & IF) === 0) c.pollInterrupts();
  if (c.flags & (TF | RF)) c.attention = true;
  c.updateAccessMasks();
}

export const enter: Handler = (c) => {
  const sz = c.o32 + 1;
  const size = sz === 2 ? 4 : 2;
  const alloc = c.imm & 0xffff;
  const level = c.imm2 & 31;
  const mask = c.stack32 ? -1 : 0xffff;
  const start = c.sp();
  const frameTemp = ((start - size) & mask) | 0;
  // Check the whole area the instruction writes before changing anything.
  c.writeAddr(SS, ((start - size * (level + 1) - alloc) & mask) | 0, 1);
  c.writeAddr(SS, frameTemp, size);
  const oldEsp = c.regs[ESP], oldEbp = c.regs[EBP];
  try {
    push(c, sz, c.regs[EBP]);
    let bp = c.stack32 ? c.regs[EBP] : c.r16[EBP << 1];
    for (let i = 1; i < level; i++) {
      bp = ((bp - size) & mask) | 0;
      push(c, sz, size === 4 ? c.rd32(SS, bp) : c.rd16(SS, bp));
    }
    if (level > 0) push(c, sz, frameTemp);
  } catch (e) {
    c.regs[ESP] = oldEsp;
    c.regs[EBP] = oldEbp;
    throw e;
  }
  if (sz === 2) c.regs[EBP] = frameTemp;
  else c.r16[EBP << 1] = frameTemp;
  c.setSp(((c.sp() - alloc) & mask) | 0);
};

export const leave: Handler = (c) => {
  const sz = c.o32 + 1;
  const bp = c.stack32 ? c.regs[EBP] : c.r16[EBP << 1];
  const v = sz === 2 ? c.rd32(SS, bp) : c.rd16(SS, bp);
  c.setSp(bp + (sz === 2 ? 4 : 2));
  if (sz === 2) c.regs[EBP] = v;
  else c.r16[EBP << 1] = v;
};

