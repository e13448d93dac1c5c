// Far transfers in long mode (from 64-bit and compatibility code): far jmp/call to code segments
// (64-bit targets need canonical offsets, compatibility ones fit the limit) and through 16-byte
// 64-bit call gates (stack from the TSS, SS null, no parameter copy), far return, and iret (NT is
// #GP; 64-bit mode always pops SS:RSP; a null SS is allowed returning to 64-bit code below ring 3).
// Task switches do not exist in long mode: TSS and task-gate targets are #GP.
import type { Cpu } from './cpu.ts';
import { CS, ESP, NT, SS } from './constants.ts';
import { Desc, SEG_CODE, SEG_CONFORMING, SYS_CALL_GATE32 } from './descriptor.ts';
import { CpuFault, gp } from './fault.ts';
import { applyFlags, checkDirectCodeTarget, checkReturnCs, checkReturnSs, iretChangeable } from './far.ts';
import { isCode64, readTss64, Tss64 } from './interrupts64.ts';
import { ATTR_D, ATTR_L, canonical } from './long-mode.ts';
import { addOffset, checkWritable, lastHi, readMem, setRip, sysReadAt, writeMem } from './mem64.ts';
import { fetched, loadNull, markAccessed, nullInaccessibleSegments, readDescriptor, setSegCache } from './segmentation.ts';
import { SegSave } from './segsave.ts';

const savedSs = new SegSave();

function np(sel: number): never {
  throw new CpuFault(11, sel & 0xfffc);
}

/** Bytes per stack slot at size index sz (1 16-bit, 2 32-bit, 3 64-bit). */
function slot(sz: number): number {
  return sz === 3 ? 8 : sz === 2 ? 4 : 2;
}

/** The stack pointer as hi:lo: RSP in 64-bit mode, SP or ESP (by SS.B) otherwise. */
function stackTop(c: Cpu): number {
  if (c.mode64) {
    spHi = c.regsHi[ESP];
    return c.regs[ESP];
  }
  spHi = 0;
  return c.sp();
}
let spHi = 0;

/** Reads a `bytes`-wide stack slot at `offset` above the stack pointer (8-byte: high half in c.opHi). */
function stackRead(c: Cpu, offset: number, bytes: number): number {
  const lo = stackTop(c);
  if (c.mode64) return readMem(c, SS, addOffset(lo, spHi, offset), lastHi(), bytes);
  const at = (lo + offset) & (c.stack32 ? -1 : 0xffff);
  return bytes === 4 ? c.rd32(SS, at) : c.rd16(SS, at);
}

/** Pushes `values` (low, high pairs; first pushed first) as `bytes`-wide slots, checking the whole area first. */
function pushAll(c: Cpu, bytes: number, values: number[]): void {
  const n = values.length / 2;
  if (c.mode64 || bytes === 8) {
    const lo = c.regs[ESP], hi = c.mode64 ? c.regsHi[ESP] : 0;
    const low = addOffset(lo, hi, -bytes * n), lowHi = lastHi();
    checkWritable(c, SS, low, lowHi, bytes * n);
    for (let i = 0; i < n; i++) writeMem(c, SS, addOffset(low, lowHi, bytes * (n - 1 - i)), lastHi(), bytes, values[2 * i], values[2 * i + 1]);
    c.regs[ESP] = low;
    c.regsHi[ESP] = lowHi;
    return;
  }
  const mask = c.stack32 ? -1 : 0xffff;
  c.writeAddr(SS, ((c.sp() - bytes * n) & mask) | 0, bytes * n);
  for (let i = 0; i < n; i++) {
    if (bytes === 4) c.push32(values[2 * i]);
    else c.push16(values[2 * i]);
  }
}

/** Checks the target offset against the code segment: canonical for 64-bit code, within the limit otherwise. */
function checkTarget(lo: number, hi: number, cLo: number, cHi: number): void {
  if (isCode64(cHi)) {
    if (!canonical(hi)) gp(0);
  } else if (hi !== 0 || lo >>> 0 > Desc.limit(cLo, cHi)) {
    gp(0);
  }
}

/** Loads CS (RPL = CPL) from the descriptor read last and sets RIP. */
function enterCode(c: Cpu, sel: number, cLo: number, lo: number, hi: number): void {
  readDescriptor(c, sel);
  markAccessed(c);
  setSegCache(c, CS, (sel & 0xfffc) | c.cpl, cLo, fetched.hi);
  setRip(c, lo, isCode64(fetched.hi) ? hi : 0);
}

/** A code descriptor with both L and D set is invalid in long mode. */
function checkLD(sel: number, hi: number): void {
  const attr = Desc.attr(hi);
  if ((attr & ATTR_L) !== 0 && (attr & ATTR_D) !== 0) gp(sel);
}

/** Far jmp (call=false) or call to sel:(offHi:offLo) at operand size sz (1, 2, 3), in long mode. */
export function farTransferLong(c: Cpu, sel: number, offLo: number, offHi: number, call: boolean, sz: number): void {
  if ((sel & 0xfffc) === 0) gp(0);
  readDescriptor(c, sel);
  const lo = fetched.lo, hi = fetched.hi;
  const type = Desc.type(hi), dpl = Desc.dpl(hi);
  if (Desc.isCodeOrData(hi)) {
    checkDirectCodeTarget(c, sel, type, dpl);
    checkLD(sel, hi);
    if (!Desc.present(hi)) np(sel);
    const target = sz === 1 ? offLo & 0xffff : offLo;
    const targetHi = sz === 3 ? offHi : 0;
    checkTarget(target, targetHi, lo, hi);
    if (call) pushAll(c, slot(sz), [c.segSel[CS], 0, c.eip, c.ripHi]);
    enterCode(c, sel, lo, target, targetHi);
    return;
  }
  // Only 64-bit call gates exist in long mode (TSSs and task gates are #GP).
  if (type !== SYS_CALL_GATE32) gp(sel);
  if (dpl < c.cpl || dpl < (sel & 3)) gp(sel);
  if (!Desc.present(hi)) np(sel);
  const upper = sysReadAt(c, fetched.addr, fetched.addrHi, 12, 4);
  if (((upper >>> 8) & 0x1f) !== 0) gp(sel);
  const targetHi = sysReadAt(c, fetched.addr, fetched.addrHi, 8, 4);
  const target = (lo & 0xffff) | (hi & 0xffff0000);
  const csSel = lo >>> 16;
  if ((csSel & 0xfffc) === 0) gp(0);
  readDescriptor(c, csSel);
  const cLo = fetched.lo, cHi = fetched.hi;
  const cType = Desc.type(cHi), cDpl = Desc.dpl(cHi);
  if (!Desc.isCodeOrData(cHi) || (cType & SEG_CODE) === 0 || cDpl > c.cpl || !isCode64(cHi)) gp(csSel);
  const conforming = (cType & SEG_CONFORMING) !== 0;
  if (!call && !conforming && cDpl !== c.cpl) gp(csSel);
  if (!Desc.present(cHi)) np(csSel);
  if (!canonical(targetHi)) gp(0);
  if (!call) {
    enterCode(c, csSel, cLo, target, targetHi);
    return;
  }
  const oldCs = c.segSel[CS], oldRip = c.eip, oldRipHi = c.ripHi;
  if (conforming || cDpl === c.cpl) {
    pushAll(c, 8, [oldCs, 0, oldRip, oldRipHi]);
    enterCode(c, csSel, cLo, target, targetHi);
    return;
  }
  // More privileged: RSP from the TSS, SS null with the new RPL, the caller's SS:RSP pushed.
  const newSp = readTss64(c, Tss64.RSP0 + cDpl * 8, 0), newSpHi = c.opHi;
  if (!canonical(newSpHi)) throw new CpuFault(12, 0);
  const oldSs = c.segSel[SS], oldSp = c.regs[ESP], oldSpHi = c.regsHi[ESP], oldCpl = c.cpl;
  const callerSpHi = c.mode64 ? oldSpHi : 0;
  savedSs.save(c, SS);
  try {
    loadNull(c, SS, cDpl);
    c.setCpl(cDpl);
    c.regs[ESP] = newSp;
    c.regsHi[ESP] = newSpHi;
    pushAll(c, 8, [oldSs, 0, oldSp, callerSpHi, oldCs, 0, oldRip, oldRipHi]);
  } catch (error) {
    savedSs.restore(c);
    c.regs[ESP] = oldSp;
    c.regsHi[ESP] = oldSpHi;
    c.setCpl(oldCpl);
    throw error;
  }
  enterCode(c, csSel, cLo, target, targetHi);
}

/** Loads SS for a return to an outer level (a null SS only for 64-bit code below ring 3). */
function loadReturnSs(c: Cpu, ssSel: number, rpl: number, toLong: boolean): void {
  if ((ssSel & 0xfffc) === 0 && toLong && rpl !== 3) {
    loadNull(c, SS, ssSel);
    return;
  }
  const ss = checkReturnSs(c, ssSel, rpl);
  setSegCache(c, SS, ssSel, ss.lo, ss.hi);
}

/** Sets RSP after a return: 64 bits for 64-bit code, the operand-size value otherwise. */
function setReturnSp(c: Cpu, lo: number, hi: number, sz: number): void {
  if (c.mode64) {
    c.regs[ESP] = lo;
    c.regsHi[ESP] = sz === 3 ? hi : 0;
  } else if (c.stack32) {
    c.regs[ESP] = lo;
    c.regsHi[ESP] = 0;
  } else {
    c.r16[ESP << 1] = lo;
  }
}

/** The return address retf and iret read (offset, then CS, in operand-size slots), checked against its code segment. */
function popReturnTarget(c: Cpu, sz: number): { sel: number; cLo: number; cHi: number; target: number; offHi: number } {
  const w = slot(sz);
  const off = stackRead(c, 0, w), offHi = sz === 3 ? c.opHi : 0;
  const sel = stackRead(c, w, w) & 0xffff;
  checkReturnCs(c, sel);
  const cLo = fetched.lo, cHi = fetched.hi;
  checkLD(sel, cHi);
  const target = sz === 1 ? off & 0xffff : off;
  checkTarget(target, isCode64(cHi) ? offHi : 0, cLo, cHi);
  return { sel, cLo, cHi, target, offHi };
}

/** retf / retf imm16 at operand size sz (1, 2, 3) in long mode. */
export function farReturnLong(c: Cpu, sz: number, release: number): void {
  const w = slot(sz);
  const { sel, cLo, cHi, target, offHi } = popReturnTarget(c, sz);
  const rpl = sel & 3;
  const spLo = stackTop(c), spHiNow = spHi;
  if (rpl === c.cpl) {
    enterCode(c, sel, cLo, target, offHi);
    const next = addOffset(spLo, spHiNow, 2 * w + release);
    setReturnSp(c, next, lastHi(), 3);
    return;
  }
  const newSp = stackRead(c, 2 * w + release, w), newSpHi = sz === 3 ? c.opHi : 0;
  const newSs = stackRead(c, 3 * w + release, w) & 0xffff;
  loadReturnSs(c, newSs, rpl, isCode64(cHi));
  c.setCpl(rpl);
  enterCode(c, sel, cLo, target, offHi);
  const next = addOffset(newSp, newSpHi, release);
  setReturnSp(c, next, lastHi(), sz);
  nullInaccessibleSegments(c);
}

/** iret at operand size sz (1, 2, 3) in long mode. */
export function interruptReturnLong(c: Cpu, sz: number): void {
  c.materializeFlags();
  const old = c.flags;
  if (old & NT) gp(0);
  const w = slot(sz);
  const fl = stackRead(c, 2 * w, w);
  const { sel, cLo, cHi, target, offHi } = popReturnTarget(c, sz);
  const rpl = sel & 3;
  const changeable = iretChangeable(c, old, w);
  const newFlags = (old & ~changeable) | (fl & changeable);
  // 64-bit mode pops SS:RSP at every privilege; compatibility mode only on a change.
  const withStack = c.mode64 === 1 || rpl !== c.cpl;
  if (!withStack) {
    const spLo = stackTop(c);
    enterCode(c, sel, cLo, target, offHi);
    setReturnSp(c, addOffset(spLo, 0, 3 * w), 0, 2);
    applyFlags(c, old, newFlags);
    return;
  }
  const newSp = stackRead(c, 3 * w, w), newSpHi = sz === 3 ? c.opHi : 0;
  const newSs = stackRead(c, 4 * w, w) & 0xffff;
  const oldCpl = c.cpl;
  savedSs.save(c, SS);
  try {
    c.setCpl(rpl);
    loadReturnSs(c, newSs, rpl, isCode64(cHi));
  } catch (error) {
    savedSs.restore(c);
    c.setCpl(oldCpl);
    throw error;
  }
  enterCode(c, sel, cLo, target, offHi);
  setReturnSp(c, newSp, newSpHi, sz);
  applyFlags(c, old, newFlags);
  if (rpl !== oldCpl) nullInaccessibleSegments(c);
}
