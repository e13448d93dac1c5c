// Model-specific registers this CPU implements; any other index raises #GP(0).
import type { Cpu } from './cpu.ts';
import { FEATURE_SEP } from './cpuid.ts';
import { gp } from './fault.ts';

/** MSR indexes. */
export const MSR_TSC = 0x10;
export const MSR_SYSENTER_CS = 0x174;
export const MSR_SYSENTER_ESP = 0x175;
export const MSR_SYSENTER_EIP = 0x176;

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
      return [c.sysenterEsp, 0];
    case MSR_SYSENTER_EIP:
      requireSep(c);
      return [c.sysenterEip, 0];
    default:
      return gp(0);
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
      requireSep(c);
      c.sysenterEsp = lo | 0;
      return;
    case MSR_SYSENTER_EIP:
      requireSep(c);
      c.sysenterEip = lo | 0;
      return;
    default:
      gp(0);
  }
}
