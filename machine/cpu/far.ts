// Far control transfers: jmp/call through code segments and call gates (with the stack switch
// and parameter copy of an inner call), retf to the same or an outer level, and iret/iretd.
// Transfers to TSSs and task gates, and iret with NT, hand over to task.ts.
import type { Cpu } from './cpu.ts';
import { AC, CS, DF, EFER_LMA, ESP, ID, IF, IOPL, NT, RF, SS, TR, VIF, VIP, VM } from './constants.ts';
import { Desc, Gate, SEG_CODE, SEG_CONFORMING, SYS_CALL_GATE16, SYS_CALL_GATE32, SYS_TASK_GATE, SYS_TSS16, SYS_TSS32 } from './descriptor.ts';
import { CpuFault, gp } from './fault.ts';
import { farReturnLong, farTransferLong, interruptReturnLong } from './far64.ts';
import { checkStackSegment, fetched, loadSegReal, markAccessed, nullInaccessibleSegments, readDescriptor, setSegCache } from './segmentation.ts';
import { SegSave } from './segsave.ts';
import { SWITCH_CALL, SWITCH_IRET, SWITCH_JMP, taskSwitch } from './task.ts';
import { readTssStack } from './tss.ts';

const savedSs = new SegSave();
const params = new Int32Array(32);

function np(sel: number): never {
  throw new CpuFault(11, sel & 0xfffc);
}

/** Loads CS:EIP for a jump or call to `sel:off` in real mode (no checks beyond the limit). */
function farReal(c: Cpu, sel: number, off: number, call: boolean, sz: number): void {
  if (off > c.segLimit[CS]) gp(0);
  if (call) {
    const mask = c.stack32 ? -1 : 0xffff;
    const w = sz === 2 ? 4 : 2;
    c.writeAddr(SS, ((c.sp() - 2 * w) & mask) | 0, 2 * w);
    pushW(c, w, c.segSel[CS]);
    pushW(c, w, c.eip);
  }
  loadSegReal(c, CS, sel);
  c.eip = off;
}

function pushW(c: Cpu, w: number, v: number): void {
  if (w === 4) c.push32(v);
  else c.push16(v);
}

/** A far jmp/call to a TSS descriptor or a task gate: a task switch, with the privilege checks. */
function farToTask(c: Cpu, sel: number, type: number, lo: number, hi: number, call: boolean): void {
  if (Desc.dpl(hi) < c.cpl || Desc.dpl(hi) < (sel & 3)) gp(sel);
  if (type === SYS_TASK_GATE) {
    if (!Desc.present(hi)) np(sel);
    taskSwitch(c, Gate.selector(lo), call ? SWITCH_CALL : SWITCH_JMP, -1, 0);
  } else {
    taskSwitch(c, sel, call ? SWITCH_CALL : SWITCH_JMP, -1, 0);
  }
}

/** Far jmp (call=false) or call to sel:off at operand size sz, with every protected-mode check. */
export function farTransfer(c: Cpu, sel: number, off: number, call: boolean, sz: number): void {
  sel &= 0xffff;
  if ((c.efer & EFER_LMA) !== 0) {
    farTransferLong(c, sel, off, 0, call, sz);
    return;
  }
  if (!c.protectedMode()) {
    farReal(c, sel, sz === 2 ? off >>> 0 : off & 0xffff, call, sz);
    return;
  }
  if ((sel & 0xfffc) === 0) gp(0);
  readDescriptor(c, sel);
  const lo = fetched.lo, hi = fetched.hi;
  const type = Desc.type(hi);
  const dpl = Desc.dpl(hi);
  if (Desc.isCodeOrData(hi)) {
    checkDirectCodeTarget(c, sel, type, dpl);
    if (!Desc.present(hi)) np(sel);
    const target = sz === 2 ? off >>> 0 : off & 0xffff;
    if (target > Desc.limit(lo, hi)) gp(0);
    sameLevel(c, sel, lo, target, call, sz === 2 ? 4 : 2);
    return;
  }
  if (type === SYS_TASK_GATE || type === SYS_TSS16 || type === SYS_TSS32) {
    farToTask(c, sel, type, lo, hi, call);
    return;
  }
  if (type !== SYS_CALL_GATE16 && type !== SYS_CALL_GATE32) gp(sel);
  if (dpl < c.cpl || dpl < (sel & 3)) gp(sel);
  if (!Desc.present(hi)) np(sel);
  const w = type === SYS_CALL_GATE32 ? 4 : 2;
  const target = w === 4 ? Gate.offset(lo, hi) : lo & 0xffff;
  const count = Gate.paramCount(hi);
  const csSel = Gate.selector(lo);
  if ((csSel & 0xfffc) === 0) gp(0);
  readDescriptor(c, csSel);
  const cLo = fetched.lo, cHi = fetched.hi;
  const cType = Desc.type(cHi), cDpl = Desc.dpl(cHi);
  if (!Desc.isCodeOrData(cHi) || (cType & SEG_CODE) === 0 || cDpl > c.cpl) gp(csSel);
  const conforming = (cType & SEG_CONFORMING) !== 0;
  if (!call && !conforming && cDpl !== c.cpl) gp(csSel);
  if (!Desc.present(cHi)) np(csSel);
  if (target > Desc.limit(cLo, cHi)) gp(0);
  if (call && !conforming && cDpl < c.cpl) {
    innerCall(c, csSel, cLo, cDpl, target, w, count);
  } else {
    sameLevel(c, csSel, cLo, target, call, w);
  }
}

/** #GP(sel) unless a far jmp/call may go straight to this code segment (not data; conforming: DPL <= CPL; else DPL = CPL and RPL <= CPL). */
export function checkDirectCodeTarget(c: Cpu, sel: number, type: number, dpl: number): void {
  if ((type & SEG_CODE) === 0) gp(sel);
  if (type & SEG_CONFORMING) {
    if (dpl > c.cpl) gp(sel);
  } else if ((sel & 3) > c.cpl || dpl !== c.cpl) {
    gp(sel);
  }
}

function sameLevel(c: Cpu, sel: number, lo: number, target: number, call: boolean, w: number): void {
  if (call) {
    const mask = c.stack32 ? -1 : 0xffff;
    c.writeAddr(SS, ((c.sp() - 2 * w) & mask) | 0, 2 * w);
    pushW(c, w, c.segSel[CS]);
    pushW(c, w, c.eip);
  }
  readDescriptor(c, sel);
  markAccessed(c);
  setSegCache(c, CS, (sel & 0xfffc) | c.cpl, lo, fetched.hi);
  c.eip = target;
}

/** Call gate to a more privileged nonconforming segment: stack from the TSS, parameters copied. */
function innerCall(c: Cpu, csSel: number, cLo: number, dpl: number, target: number, w: number, count: number): void {
  const stack = readTssStack(c, dpl, 0);
  const newSs = stack.ss, newEsp = stack.esp;
  const ss = checkStackSegment(c, newSs, dpl, 10);
  const ssLo = ss.lo, ssHi = ss.hi;
  // Parameters come from the caller's stack, read before anything changes.
  const oldSp = c.sp();
  const oldMask = c.stack32 ? -1 : 0xffff;
  for (let i = 0; i < count; i++) {
    const at = ((oldSp + i * w) & oldMask) | 0;
    params[i] = w === 4 ? c.rd32(SS, at) : c.rd16(SS, at);
  }
  const oldSs = c.segSel[SS], oldEsp = c.regs[ESP], oldCpl = c.cpl;
  savedSs.save(c, SS);
  try {
    setSegCache(c, SS, newSs, ssLo, ssHi);
    c.regs[ESP] = newEsp;
    c.setCpl(dpl);
    const mask = c.stack32 ? -1 : 0xffff;
    const total = (4 + count) * w;
    c.writeAddr(SS, ((c.sp() - total) & mask) | 0, total);
    pushW(c, w, oldSs);
    pushW(c, w, oldEsp);
    for (let i = count - 1; i >= 0; i--) pushW(c, w, params[i]);
    pushW(c, w, c.segSel[CS]);
    pushW(c, w, c.eip);
  } catch (error) {
    savedSs.restore(c);
    c.regs[ESP] = oldEsp;
    c.setCpl(oldCpl);
    if (error instanceof CpuFault && error.vector === 12) throw new CpuFault(12, newSs & 0xfffc);
    throw error;
  }
  readDescriptor(c, csSel);
  markAccessed(c);
  setSegCache(c, CS, (csSel & 0xfffc) | dpl, cLo, fetched.hi);
  c.eip = target;
}

/** Checks a CS selector popped by retf/iret; returns its descriptor words in `fetched`. */
export function checkReturnCs(c: Cpu, sel: number): void {
  if ((sel & 0xfffc) === 0) gp(0);
  readDescriptor(c, sel);
  const hi = fetched.hi;
  const type = Desc.type(hi), dpl = Desc.dpl(hi), rpl = sel & 3;
  if (!Desc.isCodeOrData(hi) || (type & SEG_CODE) === 0) gp(sel);
  if (rpl < c.cpl) gp(sel);
  if (type & SEG_CONFORMING ? dpl > rpl : dpl !== rpl) gp(sel);
  if (!Desc.present(hi)) np(sel);
}

const returnSs = { lo: 0, hi: 0 };

/** Checks the SS popped when returning to privilege `rpl`; #GP on a bad selector, #SS if absent. */
export function checkReturnSs(c: Cpu, sel: number, rpl: number): { lo: number; hi: number } {
  if ((sel & 0xfffc) === 0) gp(0);
  const d = checkStackSegment(c, sel, rpl, 13);
  returnSs.lo = d.lo;
  returnSs.hi = d.hi;
  return returnSs;
}

/** retf / retf imm16 at operand size sz. */
export function farReturn(c: Cpu, sz: number, release: number): void {
  if ((c.efer & EFER_LMA) !== 0) {
    farReturnLong(c, sz, release);
    return;
  }
  const w = sz === 2 ? 4 : 2;
  const sp = c.sp();
  const mask = c.stack32 ? -1 : 0xffff;
  c.readAddr(SS, sp, 2 * w);
  const off = w === 4 ? c.rd32(SS, sp) >>> 0 : c.rd16(SS, sp);
  const sel = c.rd16(SS, (sp + w) & mask);
  if (!c.protectedMode()) {
    if (off > c.segLimit[CS]) gp(0);
    loadSegReal(c, CS, sel);
    c.eip = off;
    c.setSp(sp + 2 * w + release);
    return;
  }
  checkReturnCs(c, sel);
  const cLo = fetched.lo, cHi = fetched.hi;
  const rpl = sel & 3;
  if (off > Desc.limit(cLo, cHi)) gp(0);
  if (rpl === c.cpl) {
    markAccessed(c);
    setSegCache(c, CS, sel, cLo, fetched.hi);
    c.eip = off;
    c.setSp(sp + 2 * w + release);
    return;
  }
  const at = (sp + 2 * w + release) & mask;
  c.readAddr(SS, at, 2 * w);
  const newEsp = w === 4 ? c.rd32(SS, at) : c.rd16(SS, at);
  const newSs = c.rd16(SS, (at + w) & mask);
  const ss = checkReturnSs(c, newSs, rpl);
  readDescriptor(c, sel);
  markAccessed(c);
  setSegCache(c, CS, sel, cLo, fetched.hi);
  c.setCpl(rpl);
  setSegCache(c, SS, newSs, ss.lo, ss.hi);
  c.setSp(newEsp + release);
  c.eip = off;
  nullInaccessibleSegments(c);
}

/** iret (sz 1) / iretd (sz 2). */
export function interruptReturn(c: Cpu, sz: number): void {
  if ((c.efer & EFER_LMA) !== 0) {
    interruptReturnLong(c, sz);
    return;
  }
  const w = sz === 2 ? 4 : 2;
  const sp = c.sp();
  const mask = c.stack32 ? -1 : 0xffff;
  c.readAddr(SS, sp, 3 * w);
  const off = w === 4 ? c.rd32(SS, sp) >>> 0 : c.rd16(SS, sp);
  const sel = c.rd16(SS, (sp + w) & mask);
  const fl = w === 4 ? c.rd32(SS, (sp + 2 * w) & mask) : c.rd16(SS, (sp + 2 * w) & mask);
  c.materializeFlags();
  const old = c.flags;
  if (!c.protectedMode()) {
    if (off > c.segLimit[CS]) gp(0);
    loadSegReal(c, CS, sel);
    c.eip = off;
    c.setSp(sp + 3 * w);
    const changeable = w === 4 ? 0x257fd5 : 0x7fd5;
    applyFlags(c, old, (old & ~changeable) | (fl & changeable));
    return;
  }
  if (old & NT) {
    // Return to the task in the back link of the current TSS.
    taskSwitch(c, c.sysRead16(c.segBase[TR]), SWITCH_IRET, -1, 0);
    return;
  }
  if (w === 4 && (fl & VM) !== 0 && c.cpl === 0) {
    c.logOnce('iret to virtual-8086 mode is not implemented, raising #GP');
    gp(0);
  }
  checkReturnCs(c, sel);
  const cLo = fetched.lo, cHi = fetched.hi;
  const rpl = sel & 3;
  if (off > Desc.limit(cLo, cHi)) gp(0);
  const changeable = iretChangeable(c, old, w);
  const newFlags = (old & ~changeable) | (fl & changeable);
  if (rpl === c.cpl) {
    markAccessed(c);
    setSegCache(c, CS, sel, cLo, fetched.hi);
    c.eip = off;
    c.setSp(sp + 3 * w);
    applyFlags(c, old, newFlags);
    return;
  }
  const at = (sp + 3 * w) & mask;
  c.readAddr(SS, at, 2 * w);
  const newEsp = w === 4 ? c.rd32(SS, at) : c.rd16(SS, at);
  const newSs = c.rd16(SS, (at + w) & mask);
  const ss = checkReturnSs(c, newSs, rpl);
  readDescriptor(c, sel);
  markAccessed(c);
  setSegCache(c, CS, sel, cLo, fetched.hi);
  c.setCpl(rpl);
  setSegCache(c, SS, newSs, ss.lo, ss.hi);
  if (c.stack32) c.regs[ESP] = newEsp;
  else c.r16[ESP << 1] = newEsp;
  c.eip = off;
  applyFlags(c, old, newFlags);
  nullInaccessibleSegments(c);
}

/** The EFLAGS bits a protected-mode iret of width w (2, 4, 8) may change at the current privilege. */
export function iretChangeable(c: Cpu, old: number, w: number): number {
  let changeable = 0xcd5 | 0x100 | DF | NT | (w >= 4 ? RF | AC | ID : 0);
  if (c.cpl === 0) changeable |= IOPL | IF | (w >= 4 ? VIF | VIP : 0);
  else if (c.cpl <= ((old >>> 12) & 3)) changeable |= IF;
  return changeable;
}

/** Installs the EFLAGS an iret computed (VM kept), waking the interrupt check when IF rose. */
export function applyFlags(c: Cpu, old: number, f: number): void {
  c.flags = (f & ~VM) | 2 | (old & VM);
  c.lazyMask = 0;
  if ((c.flags & IF) !== 0 && (old & IF) === 0) c.pollInterrupts();
  c.attention = true;
  c.updateAccessMasks();
}
