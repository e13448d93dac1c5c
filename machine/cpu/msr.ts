// Model-specific registers this CPU implements; any other index raises #GP(0).
import type { Cpu } from './cpu.ts';
import { FEATURE_SEP } from './cpuid.ts';
import { FS, GS } from './constants.ts';
import { gp } from './fault.ts';
import { canonical, writeEfer } from './long-mode.ts';

/** MSR indexes. */
export const MSR_TSC = 0x10;
export const MSR_SYSENTER_CS = 0x174;
export const MSR_SYSENTER_ESP = 0x175;
export const MSR_SYSENTER_EIP = 0x176;
export const MSR_EFER = 0xc0000080;
export const MSR_STAR = 0xc0000081;
export const MSR_LSTAR = 0xc0000082;
export const MSR_CSTAR = 0xc0000083;
export const MSR_FMASK = 0xc0000084;
export const MSR_FS_BASE = 0xc0000100;
export const MSR_GS_BASE = 0xc0000101;
export const MSR_KERNEL_GS_BASE = 0xc0000102;

/** Slots of Cpu.msr64 (low half at the slot, high half after it) for the long-mode MSRs held whole. */
export const SLOT_STAR = 0, SLOT_LSTAR = 2, SLOT_CSTAR = 4, SLOT_FMASK = 6, SLOT_KERNEL_GS = 8;
export const MSR64_SLOTS = 10;
const SLOT_OF: Record<number, number> = {
  [MSR_STAR]: SLOT_STAR, [MSR_LSTAR]: SLOT_LSTAR, [MSR_CSTAR]: SLOT_CSTAR, [MSR_FMASK]: SLOT_FMASK, [MSR_KERNEL_GS_BASE]: SLOT_KERNEL_GS,
};
/** MSRs whose value is an address and must be canonical. */
const ADDRESS_MSRS = new Set([MSR_LSTAR, MSR_CSTAR, MSR_KERNEL_GS_BASE, MSR_FS_BASE, MSR_GS_BASE]);

/** The time-stamp counter: virtual cycles, one per retired instruction, plus the software offset. */
export function readTsc(c: Cpu): [number, number] {
  const v = c.instructions + c.tscOffset;
  const lo = v % 4294967296;
  return [lo >>> 0, Math.floor(v / 4294967296) >>> 0];
}

/** The SYSENTER MSRs exist only on parts with SEP: #GP(0) like any missing MSR otherwise. */
function requireSep(c: Cpu): void {
  if ((c.features & FEATURE_SEP) === 0) gp(0);
}

/** Reads MSR `index` as [low, high] 32-bit halves; #GP(0) when it does not exist. */
export function readMsr(c: Cpu, index: number): [number, number] {
  switch (index >>> 0) {
    case MSR_TSC:
      return readTsc(c);
    case MSR_SYSENTER_CS:
      requireSep(c);
      return [c.sysenterCs, 0];
    case MSR_SYSENTER_ESP:
      requireSep(c);
      return [c.sysenterEsp, c.sysenterEspHi];
    case MSR_SYSENTER_EIP:
      requireSep(c);
      return [c.sysenterEip, c.sysenterEipHi];
    case MSR_EFER:
      return [c.efer, 0];
    case MSR_FS_BASE:
      return [c.segBase[FS], c.segBaseHi[FS]];
    case MSR_GS_BASE:
      return [c.segBase[GS], c.segBaseHi[GS]];
    default: {
      const slot = SLOT_OF[index >>> 0];
      if (slot === undefined) return gp(0);
      return [c.msr64[slot], c.msr64[slot + 1]];
    }
  }
}

/** Writes MSR `index`; #GP(0) when it does not exist. */
export function writeMsr(c: Cpu, index: number, lo: number, hi: number): void {
  switch (index >>> 0) {
    case MSR_TSC:
      c.tscOffset = (hi >>> 0) * 4294967296 + (lo >>> 0) - c.instructions;
      return;
    case MSR_SYSENTER_CS:
      requireSep(c);
      c.sysenterCs = lo & 0xffff;
      return;
    case MSR_SYSENTER_ESP:
    case MSR_SYSENTER_EIP:
      requireSep(c);
      // Addresses: 64 bits wide (used by sysenter in long mode), so they must be canonical.
      if (!canonical(hi)) gp(0);
      if ((index >>> 0) === MSR_SYSENTER_ESP) {
        c.sysenterEsp = lo | 0;
        c.sysenterEspHi = hi | 0;
      } else {
        c.sysenterEip = lo | 0;
        c.sysenterEipHi = hi | 0;
      }
      return;
    case MSR_EFER:
      writeEfer(c, lo, hi);
      return;
    default: {
      const slot = SLOT_OF[index >>> 0];
      const base = (index >>> 0) === MSR_FS_BASE ? FS : (index >>> 0) === MSR_GS_BASE ? GS : -1;
      if (slot === undefined && base < 0) gp(0);
      if (ADDRESS_MSRS.has(index >>> 0) && !canonical(hi)) gp(0);
      if (base >= 0) {
        c.segBase[base] = lo;
        c.segBaseHi[base] = hi;
      } else {
        c.msr64[slot] = lo;
        c.msr64[slot + 1] = hi;
      }
    }
  }
}
