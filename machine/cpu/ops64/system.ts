// System instructions in 64-bit mode: control and debug registers as 64-bit values (their upper
// halves reserved except CR2's), lgdt/lidt/sgdt/sidt with 8-byte bases, invlpg of a 64-bit
// address, lmsw/smsw, and the instructions of ops/system.ts, ops/io.ts and cpuid whose 32-bit
// register results zero-extend.
import type { Cpu } from '../cpu.ts';
import { gp, ud } from '../fault.ts';
import { canonical } from '../long-mode.ts';
import { linear, lastHi } from '../mem64.ts';
import type { Handler } from '../ops/operands.ts';
import { lmswValue, writeCr0, writeCr3, writeCr4 } from '../ops/system.ts';
import { getRm, readAtEa, setR, setRm, writeAtEa } from './operands.ts';

/** Runs a legacy handler, then clears the high halves of the registers it wrote at 32 bits. */
export function zeroExtending(h: Handler, ...regs: number[]): Handler {
  return (c) => {
    h(c);
    for (const r of regs) c.regsHi[r] = 0;
  };
}

function requireCpl0(c: Cpu): void {
  if (c.cpl !== 0) gp(0);
}

/** 0F 22: mov CRn, r64 (CR8 and undefined registers are #UD). */
export const movCqRq: Handler = (c) => {
  if (c.reg > 4 || c.reg === 1) ud();
  requireCpl0(c);
  const lo = c.regs[c.rm], hi = c.regsHi[c.rm];
  if (c.reg === 2) {
    c.cr2 = lo;
    c.cr2Hi = hi;
    return;
  }
  if (hi !== 0) gp(0);
  if (c.reg === 0) writeCr0(c, lo);
  else if (c.reg === 3) writeCr3(c, lo);
  else writeCr4(c, lo);
};
/** 0F 20: mov r64, CRn. */
export const movRqCq: Handler = (c) => {
  if (c.reg > 4 || c.reg === 1) ud();
  requireCpl0(c);
  const n = c.reg;
  setR(c, 3, c.rm, n === 0 ? c.cr0 : n === 2 ? c.cr2 : n === 3 ? c.cr3 : c.cr4, n === 2 ? c.cr2Hi : 0);
};

/** DR4 and DR5 alias DR6 and DR7; DR8-DR15 do not exist. */
function drIndex(c: Cpu): number {
  if (c.reg > 7) ud();
  return c.reg === 4 || c.reg === 5 ? c.reg + 2 : c.reg;
}
/** 0F 21 / 0F 23: debug registers; breakpoint addresses keep their low 32 bits (breakpoints match below 4 GiB). */
export const movRqDq: Handler = (c) => {
  requireCpl0(c);
  setR(c, 3, c.rm, c.dr[drIndex(c)], 0);
};
export const movDqRq: Handler = (c) => {
  requireCpl0(c);
  const n = drIndex(c);
  const hi = c.regsHi[c.rm];
  if ((n >= 6 && hi !== 0) || !canonical(hi)) gp(0);
  const v = c.regs[c.rm];
  c.dr[n] = n === 6 ? v | (0xffff0ff0 | 0) : n === 7 ? (v & ~0xd800) | 0x400 : v;
  if (n !== 6) {
    c.updateBreakpoints();
    c.attention = true;
  }
};

/** lgdt/lidt: a 2-byte limit and an 8-byte base (the operand size is always 64 bits). */
function loadTable(c: Cpu): [number, number, number] {
  requireCpl0(c);
  const limit = readAtEa(c, 0, 2);
  const base = readAtEa(c, 2, 8), baseHi = c.opHi;
  if (!canonical(baseHi)) gp(0);
  return [limit, base, baseHi];
}
export const lgdt: Handler = (c) => {
  [c.gdtLimit, c.gdtBase, c.gdtBaseHi] = loadTable(c);
};
export const lidt: Handler = (c) => {
  [c.idtLimit, c.idtBase, c.idtBaseHi] = loadTable(c);
};
export const sgdt: Handler = (c) => {
  writeAtEa(c, 0, 2, c.gdtLimit, 0);
  writeAtEa(c, 2, 8, c.gdtBase, c.gdtBaseHi);
};
export const sidt: Handler = (c) => {
  writeAtEa(c, 0, 2, c.idtLimit, 0);
  writeAtEa(c, 2, 8, c.idtBase, c.idtBaseHi);
};

/** invlpg: a non-canonical address invalidates nothing and does not fault. */
export const invlpg: Handler = (c) => {
  requireCpl0(c);
  let lo: number, hi: number;
  try {
    lo = linear(c, c.eaSeg, c.eaOff, c.eaHi);
    hi = lastHi();
  } catch {
    return;
  }
  if (hi === 0) c.invalidatePage(lo);
  else {
    c.highTlb.invalidate(lo, hi);
    c.fetchLo = c.fetchHi = 0;
  }
};

export const smsw: Handler = (c) => {
  if (c.mod === 3) setR(c, c.osz, c.rm, c.osz === 1 ? c.cr0 & 0xffff : c.cr0, 0);
  else setRm(c, 1, c.cr0 & 0xffff, 0);
};
export const lmsw: Handler = (c) => {
  requireCpl0(c);
  lmswValue(c, getRm(c, 1));
};
