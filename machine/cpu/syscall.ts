// The fast system-call instructions where long mode changes them, with the vendor differences:
// syscall (64-bit mode on both; compatibility and legacy protected mode only on AMD, #UD on
// Intel), sysret (to 64-bit or compatibility mode; Intel checks RCX is canonical and raises #GP
// in ring 0, AMD loads it and the fetch faults in ring 3), swapgs, and sysenter/sysexit in long
// mode (Intel: 64-bit entry, sysexit with REX.W returns to 64-bit code; AMD: #UD).
import type { Cpu } from './cpu.ts';
import { CS, ECX, EDX, EFER_LMA, EFER_SCE, ESP, GS, IF, R11, RF, SS, VM } from './constants.ts';
import { gp, ud } from './fault.ts';
import { canonical } from './long-mode.ts';
import { setRip } from './mem64.ts';
import { SLOT_CSTAR, SLOT_FMASK, SLOT_KERNEL_GS, SLOT_LSTAR, SLOT_STAR } from './msr.ts';
import type { Handler } from './ops/operands.ts';
import { flatSegment } from './ops/system.ts';

/** RFLAGS bits sysret restores from R11 (RF and VM never; bit 1 always set). */
const SYSRET_FLAGS = 0x3c7fd7;

/** syscall: ring 0 at LSTAR (64-bit mode), CSTAR (compatibility mode) or STAR[31:0] (legacy mode). */
export const syscall: Handler = (c) => {
  const long = (c.efer & EFER_LMA) !== 0;
  if ((c.efer & EFER_SCE) === 0 || !c.protectedMode()) ud();
  if (c.vendor === 'intel' && c.mode64 === 0) ud();
  const sel = c.msr64[SLOT_STAR + 1] & 0xfffc;
  const flags = c.getEflags();
  if (long) {
    c.regs[ECX] = c.eip | 0;
    c.regsHi[ECX] = c.ripHi;
    c.regs[R11] = flags & ~RF;
    c.regsHi[R11] = 0;
    const slot = c.mode64 ? SLOT_LSTAR : SLOT_CSTAR;
    flatSegment(c, CS, sel, true, 0, true);
    flatSegment(c, SS, sel + 8, false, 0);
    c.setCpl(0);
    setRip(c, c.msr64[slot], c.msr64[slot + 1]);
    c.flags = flags & ~c.msr64[SLOT_FMASK] & ~RF;
  } else {
    c.regs[ECX] = c.eip | 0;
    flatSegment(c, CS, sel, true, 0);
    flatSegment(c, SS, sel + 8, false, 0);
    c.setCpl(0);
    c.eip = c.msr64[SLOT_STAR] >>> 0;
    c.flags = flags & ~(IF | VM | RF);
  }
  c.lazyMask = 0;
};

/**
 * sysret: ring 3 at RCX (REX.W: 64-bit code) or ECX (compatibility code; legacy 32-bit code on
 * AMD outside long mode). Intel raises #GP(0) here, still in ring 0 on the user's stack, when
 * RCX is not canonical; AMD returns and faults on the fetch in ring 3.
 */
export const sysret: Handler = (c) => {
  const long = (c.efer & EFER_LMA) !== 0;
  if ((c.efer & EFER_SCE) === 0) ud();
  if (c.vendor === 'intel' && c.mode64 === 0) ud();
  if (!c.protectedMode() || c.cpl !== 0) gp(0);
  const base = (c.msr64[SLOT_STAR + 1] >>> 16) & 0xfffc;
  const to64 = c.mode64 === 1 && c.osz === 3;
  if (to64 && c.vendor === 'intel' && !canonical(c.regsHi[ECX])) gp(0);
  if (long) {
    c.flags = (c.regs[R11] & SYSRET_FLAGS) | 2;
    c.lazyMask = 0;
  } else {
    c.materializeFlags();
    c.flags |= IF;
  }
  flatSegment(c, CS, (to64 ? base + 16 : base) | 3, true, 3, to64);
  flatSegment(c, SS, (base + 8) | 3, false, 3);
  c.setCpl(3);
  setRip(c, c.regs[ECX], to64 ? c.regsHi[ECX] : 0);
  c.pollInterrupts();
  c.updateAccessMasks();
};

/** swapgs: exchanges the GS base with IA32_KERNEL_GS_BASE; 64-bit mode, ring 0. */
export const swapgs: Handler = (c) => {
  if (c.mode64 === 0) ud();
  if (c.cpl !== 0) gp(0);
  const lo = c.segBase[GS], hi = c.segBaseHi[GS];
  c.segBase[GS] = c.msr64[SLOT_KERNEL_GS];
  c.segBaseHi[GS] = c.msr64[SLOT_KERNEL_GS + 1];
  c.msr64[SLOT_KERNEL_GS] = lo;
  c.msr64[SLOT_KERNEL_GS + 1] = hi;
};

/** sysenter in long mode: Intel enters 64-bit code at SYSENTER_EIP with RSP = SYSENTER_ESP; AMD has none (#UD). */
export function sysenterLong(c: Cpu): void {
  if (c.vendor === 'amd') ud();
  if ((c.sysenterCs & 0xfffc) === 0) gp(0);
  c.materializeFlags();
  c.flags &= ~(VM | IF | RF);
  flatSegment(c, CS, c.sysenterCs & 0xfffc, true, 0, true);
  flatSegment(c, SS, (c.sysenterCs + 8) & 0xfffc, false, 0);
  c.setCpl(0);
  c.regs[ESP] = c.sysenterEsp;
  c.regsHi[ESP] = c.sysenterEspHi;
  setRip(c, c.sysenterEip, c.sysenterEipHi);
}

/** sysexit in long mode (Intel): REX.W returns to 64-bit code at RDX with RSP = RCX, else to compatibility code at EDX. */
export function sysexitLong(c: Cpu): void {
  if (c.vendor === 'amd') ud();
  if (c.cpl !== 0 || (c.sysenterCs & 0xfffc) === 0) gp(0);
  const to64 = c.mode64 === 1 && c.osz === 3;
  if (to64 && (!canonical(c.regsHi[EDX]) || !canonical(c.regsHi[ECX]))) gp(0);
  flatSegment(c, CS, ((c.sysenterCs + (to64 ? 32 : 16)) & 0xfffc) | 3, true, 3, to64);
  flatSegment(c, SS, ((c.sysenterCs + (to64 ? 40 : 24)) & 0xfffc) | 3, false, 3);
  c.setCpl(3);
  c.regs[ESP] = c.regs[ECX];
  c.regsHi[ESP] = to64 ? c.regsHi[ECX] : 0;
  setRip(c, c.regs[EDX], to64 ? c.regsHi[EDX] : 0);
}

/** The 64-bit mode handlers of sysenter and sysexit (by operand size). */
export const sysenter64: Handler = (c) => sysenterLong(c);
export const sysexit64: Handler = (c) => sysexitLong(c);
