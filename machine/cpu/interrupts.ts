// Delivery of interrupts and exceptions: the real-mode IVT, and in protected mode IDT interrupt
// and trap gates with every check, the stack switch from the TSS on a privilege change, the frame
// and the error code. A fault while delivering propagates to the caller (double-fault rules).
import { AC, CS, EFER_LMA, ESP, IF, NT, RF, SS, TF, VM } from './constants.ts';
import { Desc, Gate, SEG_CODE, SEG_CONFORMING, SYS_INT_GATE16, SYS_INT_GATE32, SYS_TASK_GATE, SYS_TRAP_GATE16, SYS_TRAP_GATE32 } from './descriptor.ts';
import { CpuFault, gp, hasErrorCode } from './fault.ts';
import type { Cpu } from './cpu.ts';
import { deliverLong } from './interrupts64.ts';
import { checkStackSegment, fetched, loadSegReal, markAccessed, readDescriptor, setSegCache } from './segmentation.ts';
import { SegSave } from './segsave.ts';
import { SWITCH_INT, taskSwitch } from './task.ts';
import { readTssStack } from './tss.ts';

/** An interrupt from the INTR pin. */
export const KIND_EXTERNAL = 0;
/** `int n`, `int3`, `into`: gate DPL is checked against CPL and EXT is clear. */
export const KIND_SOFTWARE = 1;
/** A processor exception. */
export const KIND_EXCEPTION = 2;
/** `int1` (icebp): behaves like a hardware #DB (no DPL check, EXT set). */
export const KIND_ICEBP = 3;

const savedSs = new SegSave();
const frame = new Int32Array(8);

/** Delivers `vector` (with `code` >= 0 as error code when the vector has one); EIP must point where the handler returns. */
export function deliverInterrupt(c: Cpu, vector: number, code: number, kind: number, isFault: boolean): void {
  let eflags = c.getEflags();
  if (isFault) eflags |= RF;
  if ((c.efer & EFER_LMA) !== 0) {
    deliverLong(c, vector, code, kind, eflags);
    return;
  }
  if (!c.protectedMode()) {
    deliverReal(c, vector, eflags);
    return;
  }
  const ext = kind === KIND_SOFTWARE ? 0 : 1;
  const gateCode = vector * 8 + 2 + ext;
  if (vector * 8 + 7 > c.idtLimit) gp(gateCode);
  const gateAddr = (c.idtBase + vector * 8) | 0;
  const lo = c.sysRead32(gateAddr);
  const hi = c.sysRead32(gateAddr + 4);
  const type = Gate.type(hi);
  const taskGate = (hi & 0x1000) === 0 && type === SYS_TASK_GATE;
  if (!taskGate && ((hi & 0x1000) !== 0 || (type !== SYS_INT_GATE16 && type !== SYS_INT_GATE32 && type !== SYS_TRAP_GATE16 && type !== SYS_TRAP_GATE32))) {
    gp(gateCode);
  }
  if (kind === KIND_SOFTWARE && Gate.dpl(hi) < c.cpl) gp(vector * 8 + 2);
  if (!Gate.present(hi)) throw new CpuFault(11, gateCode);
  if (taskGate) {
    const withCode = hasErrorCode(vector) && kind === KIND_EXCEPTION && code >= 0;
    taskSwitch(c, Gate.selector(lo), SWITCH_INT, withCode ? code : -1, ext);
    return;
  }
  const is32 = Gate.is32(hi);
  const offset = is32 ? Gate.offset(lo, hi) : lo & 0xffff;
  const sel = Gate.selector(lo);
  if ((sel & 0xfffc) === 0) gp(ext);
  readDescriptor(c, sel, 13, ext);
  const cLo = fetched.lo;
  let cHi = fetched.hi;
  const cType = Desc.type(cHi);
  const dpl = Desc.dpl(cHi);
  if (!Desc.isCodeOrData(cHi) || (cType & SEG_CODE) === 0 || dpl > c.cpl) gp((sel & 0xfffc) | ext);
  if (!Desc.present(cHi)) throw new CpuFault(11, (sel & 0xfffc) | ext);
  const conforming = (cType & SEG_CONFORMING) !== 0;
  if (offset > Desc.limit(cLo, cHi)) gp(ext);
  if ((eflags & VM) !== 0) {
    c.logOnce('interrupt from virtual-8086 mode: not implemented, raising #GP');
    gp((sel & 0xfffc) | ext);
  }
  const pushCode = hasErrorCode(vector) && kind === KIND_EXCEPTION && code >= 0;
  const width = is32 ? 4 : 2;
  let n = 0;
  savedSs.save(c, SS);
  const oldEsp = c.regs[ESP];
  const oldCpl = c.cpl;
  let newSs = -1;
  try {
    if (!conforming && dpl < c.cpl) {
      const stack = readTssStack(c, dpl, ext);
      const ss = checkStackSegment(c, stack.ss, dpl, 10);
      const ssLo = ss.lo, ssHi = ss.hi;
      newSs = stack.ss;
      frame[n++] = c.segSel[SS];
      frame[n++] = oldEsp;
      setSegCache(c, SS, stack.ss, ssLo, ssHi);
      c.regs[ESP] = stack.esp;
      c.setCpl(dpl);
    }
    frame[n++] = eflags;
    frame[n++] = c.segSel[CS];
    frame[n++] = c.eip;
    if (pushCode) frame[n++] = code;
    pushFrame(c, n, width);
  } catch (error) {
    savedSs.restore(c);
    c.regs[ESP] = oldEsp;
    c.setCpl(oldCpl);
    // A limit fault on a new (switched-to) stack reports the new SS selector.
    if (error instanceof CpuFault && error.vector === 12 && newSs >= 0) throw new CpuFault(12, (newSs & 0xfffc) | ext);
    throw error;
  }
  readDescriptor(c, sel, 13, ext);
  markAccessed(c);
  cHi = fetched.hi;
  setSegCache(c, CS, (sel & 0xfffc) | c.cpl, cLo, cHi);
  c.eip = offset;
  let f = eflags & ~(TF | NT | RF | VM);
  if (type === SYS_INT_GATE16 || type === SYS_INT_GATE32) f &= ~IF;
  c.flags = f;
  c.lazyMask = 0;
}

/** Pushes frame[0..n) in order on SS:ESP, all-or-nothing. */
function pushFrame(c: Cpu, n: number, width: number): void {
  const start = c.sp();
  let sp = start;
  const mask = c.stack32 ? -1 : 0xffff;
  // Check the whole frame first so that no partial frame is left behind.
  c.writeAddr(SS, ((start - n * width) & mask) | 0, 1);
  c.writeAddr(SS, ((start - width) & mask) | 0, width);
  for (let i = 0; i < n; i++) {
    sp = ((sp - width) & mask) | 0;
    if (width === 4) c.wr32(SS, sp, frame[i]);
    else c.wr16(SS, sp, frame[i]);
  }
  c.setSp(sp);
}

function deliverReal(c: Cpu, vector: number, eflags: number): void {
  if (vector * 4 + 3 > c.idtLimit) gp(0);
  const entry = c.sysRead32((c.idtBase + vector * 4) | 0);
  frame[0] = eflags;
  frame[1] = c.segSel[CS];
  frame[2] = c.eip;
  pushFrame(c, 3, 2);
  loadSegReal(c, CS, entry >>> 16);
  c.eip = entry & 0xffff;
  c.flags = eflags & ~(IF | TF | AC | RF);
  c.lazyMask = 0;
}
