// Descriptor-table and selector instructions: lgdt lidt sgdt sidt lldt ltr sldt str, lar lsl
// verr verw arpl. The selector instructions (lldt ltr sldt str lar lsl verr verw arpl) are #UD
// outside protected mode.
import type { Cpu } from '../cpu.ts';
import { EFER_LMA, LDTR, TR, ZF } from '../constants.ts';
import { Desc, SEG_CODE, SEG_CONFORMING, SEG_READ_WRITE, SYS_CALL_GATE16, SYS_CALL_GATE32, SYS_LDT, SYS_TASK_GATE, SYS_TSS16, SYS_TSS16_BUSY, SYS_TSS32, SYS_TSS32_BUSY } from '../descriptor.ts';
import { CpuFault, gp, ud } from '../fault.ts';
import { sysReadAt, sysWriteAt } from '../mem64.ts';
import { descriptorAddress, fetched, loadNull, readDescriptor, setSegCache } from '../segmentation.ts';
import { getRm16, type Handler, setReg, setRm16 } from './operands.ts';

function requireProtected(c: Cpu): void {
  if (!c.protectedMode()) ud();
}
function requireCpl0(c: Cpu): void {
  if (c.protectedMode() && c.cpl !== 0) gp(0);
}

function storeTable(c: Cpu, limit: number, base: number): void {
  c.wr16(c.eaSeg, c.eaOff, limit);
  c.wr32(c.eaSeg, (c.eaOff + 2) | 0, base);
}
export const sgdt: Handler = (c) => storeTable(c, c.gdtLimit, c.gdtBase);
export const sidt: Handler = (c) => storeTable(c, c.idtLimit, c.idtBase);

function loadTable(c: Cpu): [number, number] {
  requireCpl0(c);
  const limit = c.rd16(c.eaSeg, c.eaOff);
  let base = c.rd32(c.eaSeg, (c.eaOff + 2) | 0);
  // With a 16-bit operand size only 24 bits of the base are loaded.
  if (!c.o32) base &= 0xffffff;
  return [limit, base];
}
export const lgdt: Handler = (c) => {
  const [limit, base] = loadTable(c);
  c.gdtLimit = limit;
  c.gdtBase = base;
};
export const lidt: Handler = (c) => {
  const [limit, base] = loadTable(c);
  c.idtLimit = limit;
  c.idtBase = base;
};

function storeSelector(c: Cpu, sel: number): void {
  requireProtected(c);
  if (c.mod === 3 && c.o32) c.regs[c.rm] = sel;
  else setRm16(c, sel);
}
export const sldt: Handler = (c) => storeSelector(c, c.segSel[LDTR]);
export const str: Handler = (c) => storeSelector(c, c.segSel[TR]);

export const lldt: Handler = (c) => {
  requireProtected(c);
  requireCpl0(c);
  loadLdt(c, getRm16(c));
};

/** Reads the upper half of a 16-byte system descriptor (long mode): base bits 32-63; its type field must be 0. */
function upperBase(c: Cpu, sel: number): number {
  const upper = sysReadAt(c, fetched.addr, fetched.addrHi, 12, 4);
  if (((upper >>> 8) & 0x1f) !== 0) gp(sel);
  return sysReadAt(c, fetched.addr, fetched.addrHi, 8, 4);
}

/** Loads LDTR from `sel` (lldt); in long mode the descriptor has 16 bytes and a 64-bit base. */
export function loadLdt(c: Cpu, sel: number): void {
  if ((sel & 0xfffc) === 0) {
    loadNull(c, LDTR, sel);
    return;
  }
  if (sel & 4) gp(sel);
  readDescriptor(c, sel);
  const { lo, hi } = fetched;
  if (Desc.isCodeOrData(hi) || Desc.type(hi) !== SYS_LDT) gp(sel);
  if (!Desc.present(hi)) throw new CpuFault(11, sel & 0xfffc);
  const baseHi = longMode(c) ? upperBase(c, sel) : 0;
  setSegCache(c, LDTR, sel, lo, hi);
  c.segBaseHi[LDTR] = baseHi;
}

/** ltr: loads an available TSS and marks its descriptor busy. */
export const ltr: Handler = (c) => {
  requireProtected(c);
  requireCpl0(c);
  loadTr(c, getRm16(c));
};

/** Loads TR from `sel` (ltr); in long mode only a 64-bit TSS (type 9) with a 16-byte descriptor. */
export function loadTr(c: Cpu, sel: number): void {
  if ((sel & 0xfffc) === 0) gp(0);
  if (sel & 4) gp(sel);
  readDescriptor(c, sel);
  const { lo, hi, addr, addrHi } = fetched;
  const type = Desc.type(hi);
  if (Desc.isCodeOrData(hi) || (type !== SYS_TSS32 && (longMode(c) || type !== SYS_TSS16))) gp(sel);
  if (!Desc.present(hi)) throw new CpuFault(11, sel & 0xfffc);
  const baseHi = longMode(c) ? upperBase(c, sel) : 0;
  const busy = hi | 0x200;
  sysWriteAt(c, addr, addrHi, 5, 1, (busy >>> 8) & 0xff);
  setSegCache(c, TR, sel, lo, busy);
  c.segBaseHi[TR] = baseHi;
}

function setZF(c: Cpu, on: boolean): void {
  c.materializeFlags();
  c.flags = on ? c.flags | ZF : c.flags & ~ZF;
}

/** Reads the descriptor for lar/lsl/verr/verw; false when the selector is null or outside its table. */
function peekDescriptor(c: Cpu, sel: number): boolean {
  if ((sel & 0xfffc) === 0 || descriptorAddress(c, sel) === -1) return false;
  readDescriptor(c, sel);
  return true;
}
/** Privilege rule shared by lar lsl verr verw: conforming code is always visible. */
function visible(c: Cpu, sel: number, hi: number): boolean {
  const type = Desc.type(hi);
  if (Desc.isCodeOrData(hi) && (type & (SEG_CODE | SEG_CONFORMING)) === (SEG_CODE | SEG_CONFORMING)) return true;
  const dpl = Desc.dpl(hi);
  return dpl >= c.cpl && dpl >= (sel & 3);
}

/** System descriptor types lar reports (TSSs, LDT, call and task gates) and lsl reports (no gates); long mode knows only its own. */
const LSL_SYSTEM = new Set([SYS_TSS16, SYS_LDT, SYS_TSS16_BUSY, SYS_TSS32, SYS_TSS32_BUSY]);
const LAR_SYSTEM = new Set([...LSL_SYSTEM, SYS_CALL_GATE16, SYS_TASK_GATE, SYS_CALL_GATE32]);
const LSL_SYSTEM_LONG = new Set([SYS_LDT, SYS_TSS32, SYS_TSS32_BUSY]);
const LAR_SYSTEM_LONG = new Set([...LSL_SYSTEM_LONG, SYS_CALL_GATE32]);

function longMode(c: Cpu): boolean {
  return (c.efer & EFER_LMA) !== 0;
}

/** lar's access rights (descriptor bits 32-63 masked to 0x00ffff00), or -1 with ZF clear; sets ZF. */
export function accessRights(c: Cpu, sel: number): number {
  if (!peekDescriptor(c, sel)) return clearZF(c);
  const hi = fetched.hi;
  const system = longMode(c) ? LAR_SYSTEM_LONG : LAR_SYSTEM;
  if ((!Desc.isCodeOrData(hi) && !system.has(Desc.type(hi))) || !visible(c, sel, hi)) return clearZF(c);
  setZF(c, true);
  return hi & 0x00ffff00;
}

/** lsl's byte-granular limit, or -1 with ZF clear; sets ZF. */
export function segmentLimit(c: Cpu, sel: number): number {
  if (!peekDescriptor(c, sel)) return clearZF(c);
  const { lo, hi } = fetched;
  const system = longMode(c) ? LSL_SYSTEM_LONG : LSL_SYSTEM;
  if ((!Desc.isCodeOrData(hi) && !system.has(Desc.type(hi))) || !visible(c, sel, hi)) return clearZF(c);
  setZF(c, true);
  return Desc.limit(lo, hi);
}

function clearZF(c: Cpu): number {
  setZF(c, false);
  return -1;
}

export const lar: Handler = (c) => {
  const sz = c.o32 + 1;
  requireProtected(c);
  const v = accessRights(c, getRm16(c));
  if (v >= 0) setReg(c, sz, sz === 2 ? v : v & 0xff00);
};
export const lsl: Handler = (c) => {
  const sz = c.o32 + 1;
  requireProtected(c);
  const v = segmentLimit(c, getRm16(c));
  if (v >= 0) setReg(c, sz, v);
};

/** verr/verw of `sel`: ZF set when the segment is readable (writable) at the current privilege. */
export function verifySelector(c: Cpu, sel: number, write: boolean): void {
  if (!peekDescriptor(c, sel)) return setZF(c, false);
  const hi = fetched.hi;
  const type = Desc.type(hi);
  if (!Desc.isCodeOrData(hi) || !visible(c, sel, hi)) return setZF(c, false);
  const code = (type & SEG_CODE) !== 0;
  const ok = write ? !code && (type & SEG_READ_WRITE) !== 0 : !code || (type & SEG_READ_WRITE) !== 0;
  setZF(c, ok);
}
export const verr: Handler = (c) => {
  requireProtected(c);
  verifySelector(c, getRm16(c), false);
};
export const verw: Handler = (c) => {
  requireProtected(c);
  verifySelector(c, getRm16(c), true);
};

export const arpl: Handler = (c) => {
  requireProtected(c);
  const dest = getRm16(c);
  const src = c.r16[c.reg << 1];
  if ((dest & 3) < (src & 3)) {
    setRm16(c, (dest & ~3) | (src & 3));
    setZF(c, true);
  } else {
    setZF(c, false);
  }
};
