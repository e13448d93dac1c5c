// System instructions: control and debug registers, clts/lmsw/smsw, invlpg, cache no-ops,
// MSRs, rdtsc, cpuid, sysenter/sysexit, the vmcall native bridge, x87 escapes without an FPU.
import type { Cpu } from '../cpu.ts';
import { CR0_EM, CR0_MP, CR0_PE, CR0_PG, CR0_TS, CR0_WP, CR4_PAE, EFER_LMA, CR4_PSE, CR4_SUPPORTED, CR4_TSD, CS, EAX, ECX, EDX, ESP, IF, RF, SS, VM } from '../constants.ts';
import { cpuid, FEATURE_SEP } from '../cpuid.ts';
import { CpuFault, gp, ud } from '../fault.ts';
import { checkCr4LongMode, cr0LongModeTransition } from '../long-mode.ts';
import { readMsr, readTsc, writeMsr } from '../msr.ts';
import { sysenterLong, sysexitLong } from '../syscall.ts';
import { afterCacheChange } from '../segmentation.ts';
import { getRm16, type Handler, setRm16 } from './operands.ts';

function requireCpl0(c: Cpu): void {
  if (c.protectedMode() && c.cpl !== 0) gp(0);
}

/** Bits of CR0 that exist (others read as 0 and are ignored on writes). */
const CR0_BITS = 0xe005003f | 0;

/** Writes CR0 with its checks (and the long-mode transitions of long-mode.ts). */
export function writeCr0(c: Cpu, v: number): void {
  v = (v & CR0_BITS) | 0x10;
  if ((v & CR0_PG) !== 0 && (v & CR0_PE) === 0) gp(0);
  if ((v & 0x20000000) !== 0 && (v & 0x40000000) === 0) gp(0);
  cr0LongModeTransition(c, c.cr0, v);
  const changed = c.cr0 ^ v;
  c.cr0 = v;
  c.updateAccessMasks();
  if (changed & (CR0_PG | CR0_WP | CR0_PE)) c.flushTlb();
  if (changed & CR0_PE) c.fetchLo = c.fetchHi = 0;
}

/** 0F 22: mov CRn, r32 (mod is ignored: always a register). */
export const movCdRd: Handler = (c) => {
  requireCpl0(c);
  const v = c.regs[c.rm];
  switch (c.reg) {
    case 0:
      writeCr0(c, v);
      return;
    case 2:
      c.cr2 = v;
      return;
    case 3:
      writeCr3(c, v);
      return;
    default:
      writeCr4(c, v);
  }
};

/** Writes CR3 and flushes the TLB; with PAE, bits 5-11 locate the 32-byte PDPT (legacy PAE paging). */
export function writeCr3(c: Cpu, v: number): void {
  c.cr3 = (c.cr4 & CR4_PAE) !== 0 ? v & ~0x7 : v & ~0xfe7;
  c.flushTlb();
}

/** Writes CR4: #GP(0) for unsupported bits and for clearing PAE in long mode. */
export function writeCr4(c: Cpu, v: number): void {
  if (v & ~CR4_SUPPORTED) gp(0);
  checkCr4LongMode(c, v);
  if ((c.cr4 ^ v) & (CR4_PSE | CR4_PAE)) c.flushTlb();
  c.cr4 = v;
}
/** 0F 20: mov r32, CRn. */
export const movRdCd: Handler = (c) => {
  requireCpl0(c);
  const n = c.reg;
  c.regs[c.rm] = n === 0 ? c.cr0 : n === 2 ? c.cr2 : n === 3 ? c.cr3 : c.cr4;
};

/** DR4 and DR5 are aliases of DR6 and DR7 (CR4.DE, which would make them #UD, is not offered). */
function drIndex(c: Cpu): number {
  const n = c.reg;
  return n === 4 || n === 5 ? n + 2 : n;
}
/** 0F 21 / 0F 23: debug registers; DR0-DR3 with DR7 give instruction and data breakpoints. */
export const movRdDd: Handler = (c) => {
  requireCpl0(c);
  c.regs[c.rm] = c.dr[drIndex(c)];
};
export const movDdRd: Handler = (c) => {
  requireCpl0(c);
  const n = drIndex(c);
  const v = c.regs[c.rm];
  c.dr[n] = n === 6 ? v | (0xffff0ff0 | 0) : n === 7 ? (v & ~0xd800) | 0x400 : v;
  if (n !== 6) {
    c.updateBreakpoints();
    c.attention = true;
  }
};

export const clts: Handler = (c) => {
  requireCpl0(c);
  c.cr0 &= ~CR0_TS;
};
/** lmsw loads PE MP EM TS from the low 4 bits and can set PE but not clear it. */
export const lmsw: Handler = (c) => {
  requireCpl0(c);
  lmswValue(c, getRm16(c));
};
/** Loads PE MP EM TS from the low 4 bits of `v`; PE is never cleared. */
export function lmswValue(c: Cpu, v: number): void {
  writeCr0(c, (c.cr0 & ~0xe) | (v & 0xf) | (c.cr0 & CR0_PE));
}
export const smsw: Handler = (c) => {
  if (c.mod === 3 && c.o32) c.regs[c.rm] = c.cr0;
  else setRm16(c, c.cr0 & 0xffff);
};
export const invlpg: Handler = (c) => {
  requireCpl0(c);
  c.invalidatePage((c.segBase[c.eaSeg] + c.eaOff) | 0);
};
export const cacheNop: Handler = (c) => requireCpl0(c);
export const nop: Handler = () => undefined;
export const ud2: Handler = () => ud();

export const rdmsr: Handler = (c) => {
  requireCpl0(c);
  const [lo, hi] = readMsr(c, c.regs[ECX]);
  c.regs[EAX] = lo;
  c.regs[EDX] = hi;
};
export const wrmsr: Handler = (c) => {
  requireCpl0(c);
  writeMsr(c, c.regs[ECX], c.regs[EAX], c.regs[EDX]);
};
export const rdtsc: Handler = (c) => {
  if (c.cr4 & CR4_TSD && c.protectedMode() && c.cpl !== 0) gp(0);
  const [lo, hi] = readTsc(c);
  c.regs[EAX] = lo;
  c.regs[EDX] = hi;
};
export const cpuidOp: Handler = (c) => cpuid(c, c.vendor, c.features);

/** Loads a flat 4 GiB segment cache as sysenter/sysexit/syscall/sysret do (they read no descriptor); `long` makes 64-bit code (L set, D clear). */
export function flatSegment(c: Cpu, seg: number, sel: number, code: boolean, dpl: number, long = false): void {
  c.segSel[seg] = sel & 0xffff;
  c.segBase[seg] = 0;
  c.segBaseHi[seg] = 0;
  c.segLimit[seg] = 0xffffffff;
  // P, DPL, S, type (code: execute/read accessed 0xB; data: read/write accessed 0x3), D/B or L, G.
  c.segAttr[seg] = 0x80 | (dpl << 5) | 0x10 | (code ? 0xb : 0x3) | (long ? 0x2000 : 0x4000) | 0x8000;
  afterCacheChange(c, seg);
}

/** sysenter: #UD on a part without SEP; #GP(0) in real mode or when SYSENTER_CS is null; CS/SS derive from SYSENTER_CS. */
export const sysenter: Handler = (c) => {
  if ((c.features & FEATURE_SEP) === 0) ud();
  if ((c.efer & EFER_LMA) !== 0) {
    sysenterLong(c);
    return;
  }
  if (!c.protectedMode() || (c.sysenterCs & 0xfffc) === 0) gp(0);
  c.materializeFlags();
  c.flags &= ~(VM | IF | RF);
  flatSegment(c, CS, c.sysenterCs & 0xfffc, true, 0);
  flatSegment(c, SS, (c.sysenterCs + 8) & 0xfffc, false, 0);
  c.setCpl(0);
  c.regs[ESP] = c.sysenterEsp;
  c.eip = c.sysenterEip >>> 0;
};

/** sysexit: #UD on a part without SEP; CPL 0 only; returns to CPL 3 at EDX with ESP = ECX. */
export const sysexit: Handler = (c) => {
  if ((c.features & FEATURE_SEP) === 0) ud();
  if ((c.efer & EFER_LMA) !== 0) {
    sysexitLong(c);
    return;
  }
  if (!c.protectedMode() || c.cpl !== 0 || (c.sysenterCs & 0xfffc) === 0) gp(0);
  flatSegment(c, CS, ((c.sysenterCs + 16) & 0xfffc) | 3, true, 3);
  flatSegment(c, SS, ((c.sysenterCs + 24) & 0xfffc) | 3, false, 3);
  c.setCpl(3);
  c.regs[ESP] = c.regs[ECX];
  c.eip = c.regs[EDX] >>> 0;
};

/** vmcall: the native-call bridge in ring 0 with a handler registered; #UD otherwise, as without VMX. */
export const vmcall: Handler = (c) => {
  const handler = c.nativeHandler;
  if (handler === null || (c.protectedMode() && c.cpl !== 0) || c.flags & VM) ud();
  handler(c);
};

/** x87 escape D8-DF: #NM when CR0.EM or CR0.TS is set; with neither, #UD (this CPU has no FPU). */
export const fpuEscape: Handler = (c) => {
  if (c.cr0 & (CR0_EM | CR0_TS)) throw new CpuFault(7, -1);
  c.logOnce('x87 instruction executed with CR0.EM clear: this CPU has no FPU, raising #UD');
  ud();
};
/** wait/fwait: #NM when CR0.TS and CR0.MP are both set; otherwise nothing to wait for. */
export const fwait: Handler = (c) => {
  if ((c.cr0 & (CR0_TS | CR0_MP)) === (CR0_TS | CR0_MP)) throw new CpuFault(7, -1);
};

