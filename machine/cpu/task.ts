// Hardware task switching with 32-bit TSSs: through a task gate (interrupts, exceptions, far
// jmp/call), a far jmp/call to a TSS descriptor, and iret with NT set. The outgoing state is
// saved in the current TSS, busy bits and the back link are kept as the manuals describe, and
// the incoming task's segments are loaded with their checks after the switch is committed (so a
// fault there belongs to the new task). 16-bit TSSs are not implemented: they raise #GP.
import type { Cpu } from './cpu.ts';
import { CR0_PG, CR0_TS, CS, DS, ES, FS, GS, LDTR, NT, SS, TR } from './constants.ts';
import { Desc, SEG_CODE, SEG_CONFORMING, SYS_LDT, SYS_TSS16, SYS_TSS16_BUSY, SYS_TSS32, SYS_TSS32_BUSY, Tss32 } from './descriptor.ts';
import { CpuFault } from './fault.ts';
import { checkStackSegment, fetched, loadNull, loadSegment, readDescriptor, setSegCache } from './segmentation.ts';

/** Why the task switch happens: it decides the busy bits, NT and the back link. */
export const SWITCH_JMP = 0, SWITCH_CALL = 1, SWITCH_IRET = 2, SWITCH_INT = 3;

const SEGS = [ES, CS, SS, DS, FS, GS];
const incoming = new Int32Array(8);
const incomingSel = new Int32Array(6);

function ts(sel: number, ext: number): never {
  throw new CpuFault(10, (sel & 0xfffc) | ext);
}

/** Switches to the task of TSS selector `sel`; EIP must already be the outgoing task's resume point. */
export function taskSwitch(c: Cpu, sel: number, reason: number, errorCode: number, ext: number): void {
  sel &= 0xffff;
  if ((sel & 4) !== 0 || (sel & 0xfffc) === 0) throw new CpuFault(13, (sel & 0xfffc) | ext);
  readDescriptor(c, sel, 13, ext);
  const lo = fetched.lo, hi = fetched.hi, addr = fetched.addr;
  const type = Desc.type(hi);
  if (Desc.isCodeOrData(hi) || (type !== SYS_TSS32 && type !== SYS_TSS32_BUSY && type !== SYS_TSS16 && type !== SYS_TSS16_BUSY)) {
    throw new CpuFault(13, (sel & 0xfffc) | ext);
  }
  if (type === SYS_TSS16 || type === SYS_TSS16_BUSY || (c.segAttr[TR] & 0xf) !== SYS_TSS32_BUSY) {
    c.logOnce('task switch involving a 16-bit TSS: not implemented, raising #GP');
    throw new CpuFault(13, (sel & 0xfffc) | ext);
  }
  const busy = type === SYS_TSS32_BUSY;
  if (reason === SWITCH_IRET ? !busy : busy) throw new CpuFault(reason === SWITCH_IRET ? 10 : 13, (sel & 0xfffc) | ext);
  if (!Desc.present(hi)) throw new CpuFault(11, (sel & 0xfffc) | ext);
  if (Desc.limit(lo, hi) < 0x67) ts(sel, ext);

  // Read the incoming task's state before anything changes.
  const base = Desc.base(lo, hi);
  const newCr3 = c.sysRead32((base + Tss32.CR3) | 0);
  const newEip = c.sysRead32((base + Tss32.EIP) | 0);
  let newFlags = c.sysRead32((base + Tss32.EFLAGS) | 0);
  for (let r = 0; r < 8; r++) incoming[r] = c.sysRead32((base + Tss32.EAX + r * 4) | 0);
  for (let s = 0; s < 6; s++) incomingSel[s] = c.sysRead16((base + Tss32.ES + s * 4) | 0);
  const newLdt = c.sysRead16((base + Tss32.LDT) | 0);

  // Save the outgoing task.
  const oldBase = c.segBase[TR], oldSel = c.segSel[TR];
  let oldFlags = c.getEflags();
  if (reason === SWITCH_IRET) oldFlags &= ~NT;
  c.sysWrite32((oldBase + Tss32.EIP) | 0, c.eip);
  c.sysWrite32((oldBase + Tss32.EFLAGS) | 0, oldFlags);
  for (let r = 0; r < 8; r++) c.sysWrite32((oldBase + Tss32.EAX + r * 4) | 0, c.regs[r]);
  for (let s = 0; s < 6; s++) c.sysWrite32((oldBase + Tss32.ES + s * 4) | 0, c.segSel[SEGS[s]]);
  if (reason === SWITCH_JMP || reason === SWITCH_IRET) setBusy(c, oldSel, false);
  if (reason === SWITCH_CALL || reason === SWITCH_INT) {
    c.sysWrite32((base + Tss32.LINK) | 0, oldSel);
    newFlags |= NT;
  }
  if (reason !== SWITCH_IRET) c.sysWrite8(addr + 5, ((hi | 0x200) >>> 8) & 0xff);

  // Commit: from here on, faults belong to the new task.
  setSegCache(c, TR, sel, lo, hi | 0x200);
  c.cr0 |= CR0_TS;
  if (c.cr0 & CR0_PG) {
    c.cr3 = newCr3 & ~0xfe7;
    c.flushTlb();
  }
  for (let r = 0; r < 8; r++) c.regs[r] = incoming[r];
  c.eip = newEip >>> 0;
  c.flags = (newFlags & 0x3f7fd5) | 2;
  c.lazyMask = 0;
  c.pollInterrupts();
  for (let s = 0; s < 6; s++) c.segSel[SEGS[s]] = incomingSel[s];
  loadTaskSegments(c, newLdt, ext);
  if (errorCode >= 0) c.push32(errorCode);
}

function setBusy(c: Cpu, sel: number, on: boolean): void {
  readDescriptor(c, sel);
  const hi = on ? fetched.hi | 0x200 : fetched.hi & ~0x200;
  c.sysWrite8(fetched.addr + 5, (hi >>> 8) & 0xff);
}

/** Loads LDTR, CS, SS and the data segments of the new task, with #TS for bad selectors. */
function loadTaskSegments(c: Cpu, ldt: number, ext: number): void {
  if ((ldt & 0xfffc) === 0) {
    loadNull(c, LDTR, ldt);
  } else {
    if (ldt & 4) ts(ldt, ext);
    readDescriptor(c, ldt, 10, ext);
    if (Desc.isCodeOrData(fetched.hi) || Desc.type(fetched.hi) !== SYS_LDT) ts(ldt, ext);
    if (!Desc.present(fetched.hi)) throw new CpuFault(11, (ldt & 0xfffc) | ext);
    setSegCache(c, LDTR, ldt, fetched.lo, fetched.hi);
  }
  const cs = c.segSel[CS];
  const cpl = cs & 3;
  c.setCpl(cpl);
  if ((cs & 0xfffc) === 0) ts(cs, ext);
  readDescriptor(c, cs, 10, ext);
  const cLo = fetched.lo, cHi = fetched.hi;
  const cType = Desc.type(cHi);
  if (!Desc.isCodeOrData(cHi) || (cType & SEG_CODE) === 0) ts(cs, ext);
  if (cType & SEG_CONFORMING ? Desc.dpl(cHi) > cpl : Desc.dpl(cHi) !== cpl) ts(cs, ext);
  if (!Desc.present(cHi)) throw new CpuFault(11, (cs & 0xfffc) | ext);
  const ss = checkStackSegment(c, c.segSel[SS], cpl, 10);
  setSegCache(c, SS, c.segSel[SS], ss.lo, ss.hi);
  setSegCache(c, CS, cs, cLo, cHi);
  for (const seg of [DS, ES, FS, GS]) {
    try {
      loadSegment(c, seg, c.segSel[seg]);
    } catch (error) {
      if (error instanceof CpuFault && error.vector === 13) ts(error.code, ext);
      throw error;
    }
  }
}
