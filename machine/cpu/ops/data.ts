// Data movement: mov in all forms, movzx/movsx, lea, xchg, cbw/cwd family, lahf/sahf, xlat,
// cmpxchg, xadd, cmpxchg8b, and the far-pointer loads lds les lfs lgs lss.
import type { Cpu } from '../cpu.ts';
import { AF, CF, CS, DS, EAX, EBX, ECX, EDX, ES, FS, GS, PF, SF, SS, ZF } from '../constants.ts';
import { ud } from '../fault.ts';
import { loadSegment } from '../segmentation.ts';

import { alu } from './alu.ts';
import { getR, getReg, getRm, getRm16, getRmRmw, getRm8, type Handler, MASK, R8, SIGN, setR, setReg, setRm, setRm16, setRm8, sx16, sx8 } from './operands.ts';

export const movEbGb: Handler = (c) => setRm8(c, getReg(c, 0));
export const movEvGv: Handler = (c) => {
  const sz = c.o32 + 1;
  setRm(c, sz, getReg(c, sz));
};
export const movGbEb: Handler = (c) => setReg(c, 0, getRm8(c));
export const movGvEv: Handler = (c) => {
  const sz = c.o32 + 1;
  setReg(c, sz, getRm(c, sz));
};
export const movEbIb: Handler = (c) => setRm8(c, c.imm);
export const movEvIz: Handler = (c) => {
  const sz = c.o32 + 1;
  setRm(c, sz, c.imm);
};
export const movRegIb: Handler = (c) => {
  c.r8[R8[c.opcode & 7]] = c.imm;
};
export const movRegIz: Handler = (c) => {
  const sz = c.o32 + 1;
  setR(c, sz, c.opcode & 7, c.imm);
};
export const movALOb: Handler = (c) => {
  c.r8[0] = c.rd8(c.dataSeg(), c.imm);
};
export const moveAXOv: Handler = (c) => {
  const sz = c.o32 + 1;
  setR(c, sz, EAX, sz === 2 ? c.rd32(c.dataSeg(), c.imm) : c.rd16(c.dataSeg(), c.imm));
};
export const movObAL: Handler = (c) => c.wr8(c.dataSeg(), c.imm, c.r8[0]);
export const movOveAX: Handler = (c) => {
  const sz = c.o32 + 1;
  if (sz === 2) c.wr32(c.dataSeg(), c.imm, c.regs[EAX]);
  else c.wr16(c.dataSeg(), c.imm, c.r16[0]);
};

/** 8C: a register destination with 32-bit operand size gets the selector zero-extended (P6 and later). */
export const movEvSw: Handler = (c) => {
  const sz = c.o32 + 1;
  const sel = c.segSel[c.reg];
  if (c.mod === 3 && sz === 2) c.regs[c.rm] = sel;
  else setRm16(c, sel);
};
/** 8E: loading CS this way is #UD (the table has no row for reg 1); SS starts an interrupt shadow. */
export const movSwEw: Handler = (c) => {
  const seg = c.reg;
  if (seg === CS) ud();
  loadSegment(c, seg, getRm16(c));
  if (seg === SS) c.inhibitInterrupts();
};

export const lea: Handler = (c) => {
  const sz = c.o32 + 1;
  setReg(c, sz, c.eaOff);
};
export const movzxGvEb: Handler = (c) => {
  const sz = c.o32 + 1;
  setReg(c, sz, getRm8(c));
};
export const movzxGvEw: Handler = (c) => {
  const sz = c.o32 + 1;
  setReg(c, sz, getRm16(c));
};
export const movsxGvEb: Handler = (c) => {
  const sz = c.o32 + 1;
  setReg(c, sz, sx8(getRm8(c)) & MASK[sz]);
};
export const movsxGvEw: Handler = (c) => {
  const sz = c.o32 + 1;
  setReg(c, sz, sx16(getRm16(c)) & MASK[sz]);
};

export const xchgEbGb: Handler = (c) => {
  const a = getRm8(c), b = getReg(c, 0);
  setRm8(c, b);
  setReg(c, 0, a);
};
export const xchgEvGv: Handler = (c) => {
  const sz = c.o32 + 1;
  const a = getRm(c, sz), b = getReg(c, sz);
  setRm(c, sz, b);
  setReg(c, sz, a);
};
/** 90+r; 90 itself is nop (and F3 90 pause). */
export const xchgReg: Handler = (c) => {
  const sz = c.o32 + 1;
  const n = c.opcode & 7;
  if (n === 0) return;
  const a = getR(c, sz, EAX);
  setR(c, sz, EAX, getR(c, sz, n));
  setR(c, sz, n, a);
};

export const cbw: Handler = (c) => {
  const sz = c.o32 + 1;
  if (sz === 2) c.regs[EAX] = sx16(c.r16[0]);
  else c.r16[0] = sx8(c.r8[0]);
};
export const cwd: Handler = (c) => {
  const sz = c.o32 + 1;
  if (sz === 2) c.regs[EDX] = c.regs[EAX] >> 31;
  else c.r16[EDX * 2] = sx16(c.r16[0]) >> 16;
};

const LAHF_BITS = SF | ZF | AF | PF | CF;
export const lahf: Handler = (c) => {
  c.r8[1] = (c.getEflags() & LAHF_BITS) | 2;
};
export const sahf: Handler = (c) => {
  c.materializeFlags();
  c.flags = (c.flags & ~LAHF_BITS) | (c.r8[1] & LAHF_BITS);
};

export const xlat: Handler = (c) => {
  const base = c.a32 ? c.regs[EBX] : c.r16[EBX * 2];
  const off = c.a32 ? (base + c.r8[0]) | 0 : (base + c.r8[0]) & 0xffff;
  c.r8[0] = c.rd8(c.dataSeg(), off);
};

/** cmpxchg: the destination is written in both cases, as the locked bus cycle does. */
function cmpxchg(c: Cpu, sz: number): void {
  const dest = getRmRmw(c, sz);
  const acc = getR(c, sz, EAX);
  alu(c, 7, acc, dest, sz);
  if (acc === dest) {
    setRm(c, sz, getReg(c, sz));
  } else {
    setRm(c, sz, dest);
    setR(c, sz, EAX, dest);
  }
}
export const cmpxchgEbGb: Handler = (c) => cmpxchg(c, 0);
export const cmpxchgEvGv: Handler = (c) => cmpxchg(c, c.o32 + 1);

function xadd(c: Cpu, sz: number): void {
  const dest = getRm(c, sz), src = getReg(c, sz);
  const sum = (dest + src) & MASK[sz];
  setRm(c, sz, sum);
  setReg(c, sz, dest);
  c.setArith(0, dest, src, sum, SIGN[sz]);
}
export const xaddEbGb: Handler = (c) => xadd(c, 0);
export const xaddEvGv: Handler = (c) => xadd(c, c.o32 + 1);

/** 0F C7 /1: only ZF changes. The memory is written in both cases. */
export const cmpxchg8b: Handler = (c) => {
  const seg = c.eaSeg, off = c.eaOff;
  const lo = c.rd32(seg, off), hi = c.rd32(seg, off + 4);
  c.materializeFlags();
  if (lo === c.regs[EAX] && hi === c.regs[EDX]) {
    c.wr32(seg, off, c.regs[EBX]);
    c.wr32(seg, off + 4, c.regs[ECX]);
    c.flags |= ZF;
  } else {
    c.wr32(seg, off, lo);
    c.wr32(seg, off + 4, hi);
    c.regs[EAX] = lo;
    c.regs[EDX] = hi;
    c.flags &= ~ZF;
  }
};

function loadFarPointer(c: Cpu, seg: number, sz: number): void {
  const off = sz === 2 ? c.rd32(c.eaSeg, c.eaOff) : c.rd16(c.eaSeg, c.eaOff);
  const sel = c.rd16(c.eaSeg, (c.eaOff + (sz === 2 ? 4 : 2)) | 0);
  loadSegment(c, seg, sel);
  setReg(c, sz, off);
  if (seg === SS) c.inhibitInterrupts();
}
export const les: Handler = (c) => {
  const sz = c.o32 + 1;
  loadFarPointer(c, ES, sz);
};
export const lds: Handler = (c) => {
  const sz = c.o32 + 1;
  loadFarPointer(c, DS, sz);
};
export const lss: Handler = (c) => {
  const sz = c.o32 + 1;
  loadFarPointer(c, SS, sz);
};
export const lfs: Handler = (c) => {
  const sz = c.o32 + 1;
  loadFarPointer(c, FS, sz);
};
export const lgs: Handler = (c) => {
  const sz = c.o32 + 1;
  loadFarPointer(c, GS, sz);
};

