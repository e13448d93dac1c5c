// Interrupt and exception delivery in long mode (from 64-bit and compatibility code): 16-byte IDT
// gates (64-bit interrupt and trap gates only), a 64-bit code segment as target, the stack from
// the 64-bit TSS (RSP0-2 on a privilege change, or an IST slot whenever the gate names one)
// aligned to 16 bytes, and the fixed frame SS, RSP, RFLAGS, CS, RIP [, error code] of 8 bytes
// each. On a privilege change SS becomes a null selector with RPL = the new CPL.
import type { Cpu } from './cpu.ts';
import { CS, ESP, IF, NT, RF, SS, TF, TR, VM } from './constants.ts';
import { Desc, SEG_CODE, SEG_CONFORMING, SYS_INT_GATE32, SYS_TRAP_GATE32 } from './descriptor.ts';
import { CpuFault, gp, hasErrorCode } from './fault.ts';
import { KIND_EXCEPTION, KIND_SOFTWARE } from './interrupts.ts';
import { ATTR_D, ATTR_L, canonical } from './long-mode.ts';
import { addOffset, checkWritable, lastHi, normalizeRip, setRip, sysReadAt, writeMem } from './mem64.ts';
import { fetched, loadNull, markAccessed, readDescriptor, setSegCache } from './segmentation.ts';
import { SegSave } from './segsave.ts';

/** Byte offsets in the 64-bit TSS: RSP0-2, then IST1-7, then the I/O map base. */
export const Tss64 = { RSP0: 4, IST1: 36, IOMAP_BASE: 102 } as const;

const savedSs = new SegSave();
const frame = new Int32Array(12);

/** Reads the 8-byte stack pointer at `offset` in the 64-bit TSS; #TS(TR) when TR cannot supply it. */
export function readTss64(c: Cpu, offset: number, ext: number): number {
  const trError = (c.segSel[TR] & 0xfffc) | ext;
  if ((c.segAttr[TR] & 0x80) === 0 || (c.segSel[TR] & 0xfffc) === 0 || offset + 7 > c.segLimit[TR]) throw new CpuFault(10, trError);
  const base = c.segBase[TR], baseHi = c.segBaseHi[TR];
  const lo = sysReadAt(c, base, baseHi, offset, 4);
  c.opHi = sysReadAt(c, base, baseHi, offset + 4, 4);
  return lo;
}

/** Whether a code descriptor is a 64-bit code segment (L set, D clear). */
export function isCode64(hi: number): boolean {
  const attr = Desc.attr(hi);
  return (attr & ATTR_L) !== 0 && (attr & ATTR_D) === 0;
}

/** Delivers `vector` in long mode; RIP must point where the handler returns. Faults propagate (double-fault rules). */
export function deliverLong(c: Cpu, vector: number, code: number, kind: number, eflags: number): void {
  normalizeRip(c);
  const ext = kind === KIND_SOFTWARE ? 0 : 1;
  const gateCode = vector * 8 + 2 + ext;
  if (vector * 16 + 15 > c.idtLimit) gp(gateCode);
  const at = vector * 16;
  const lo = sysReadAt(c, c.idtBase, c.idtBaseHi, at, 4);
  const hi = sysReadAt(c, c.idtBase, c.idtBaseHi, at + 4, 4);
  const offHi = sysReadAt(c, c.idtBase, c.idtBaseHi, at + 8, 4);
  const type = (hi >>> 8) & 0x1f;
  if (type !== SYS_INT_GATE32 && type !== SYS_TRAP_GATE32) gp(gateCode);
  if (kind === KIND_SOFTWARE && ((hi >>> 13) & 3) < c.cpl) gp(vector * 8 + 2);
  if ((hi & 0x8000) === 0) throw new CpuFault(11, gateCode);
  const offLo = (lo & 0xffff) | (hi & 0xffff0000);
  const sel = lo >>> 16;
  const ist = hi & 7;
  if ((sel & 0xfffc) === 0) gp(ext);
  readDescriptor(c, sel, 13, ext);
  const cLo = fetched.lo, cHi = fetched.hi;
  const dpl = Desc.dpl(cHi);
  if (!Desc.isCodeOrData(cHi) || (Desc.type(cHi) & SEG_CODE) === 0 || !isCode64(cHi) || dpl > c.cpl) gp((sel & 0xfffc) | ext);
  if (!Desc.present(cHi)) throw new CpuFault(11, (sel & 0xfffc) | ext);
  if (!canonical(offHi)) gp(ext);
  const conforming = (Desc.type(cHi) & SEG_CONFORMING) !== 0;
  const newCpl = conforming ? c.cpl : dpl;
  const pushCode = hasErrorCode(vector) && kind === KIND_EXCEPTION && code >= 0;

  // The frame: SS, RSP, RFLAGS, CS, RIP, error code (low and high halves).
  let n = 0;
  const push = (vlo: number, vhi: number) => {
    frame[n++] = vlo;
    frame[n++] = vhi;
  };
  push(c.segSel[SS], 0);
  push(c.regs[ESP], c.mode64 ? c.regsHi[ESP] : 0);
  push(eflags, 0);
  push(c.segSel[CS], 0);
  push(c.eip, c.ripHi);
  if (pushCode) push(code, 0);

  let spLo: number, spHi: number;
  if (ist !== 0) {
    spLo = readTss64(c, Tss64.IST1 + (ist - 1) * 8, ext);
    spHi = c.opHi;
  } else if (newCpl < c.cpl) {
    spLo = readTss64(c, Tss64.RSP0 + newCpl * 8, ext);
    spHi = c.opHi;
  } else {
    spLo = c.regs[ESP];
    spHi = c.mode64 ? c.regsHi[ESP] : 0;
  }
  if (!canonical(spHi)) throw new CpuFault(12, ext);
  spLo &= ~15;
  const bytes = (n / 2) * 8;
  const oldCpl = c.cpl, oldSp = c.regs[ESP], oldSpHi = c.regsHi[ESP];
  savedSs.save(c, SS);
  try {
    if (newCpl !== c.cpl) {
      loadNull(c, SS, newCpl);
      c.setCpl(newCpl);
    }
    const low = addOffset(spLo, spHi, -bytes);
    const lowHi = lastHi();
    checkWritable(c, SS, low, lowHi, bytes);
    for (let i = 0; i < n / 2; i++) {
      const slot = addOffset(low, lowHi, bytes - 8 * (i + 1));
      writeMem(c, SS, slot, lastHi(), 8, frame[2 * i], frame[2 * i + 1]);
    }
    c.regs[ESP] = low;
    c.regsHi[ESP] = lowHi;
  } catch (error) {
    savedSs.restore(c);
    c.regs[ESP] = oldSp;
    c.regsHi[ESP] = oldSpHi;
    c.setCpl(oldCpl);
    throw error;
  }
  readDescriptor(c, sel, 13, ext);
  markAccessed(c);
  setSegCache(c, CS, (sel & 0xfffc) | c.cpl, cLo, fetched.hi);
  setRip(c, offLo, offHi);
  let f = eflags & ~(TF | NT | RF | VM);
  if (type === SYS_INT_GATE32) f &= ~IF;
  c.flags = f;
  c.lazyMask = 0;
}
