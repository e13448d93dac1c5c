// The instruction forms a block runs through a call rather than as a case of the run loop's
// `switch` (block-run.ts): the less common ones, each a small function that V8 compiles on its
// own. Each does what the opcode table's handler does for its form.
import { type BlockWords, Form, type FormFn } from './block-run.ts';
import type { Cpu } from './cpu.ts';
import { gp } from './fault.ts';
import { cond } from './ops/cond.ts';
import { shift } from './ops/shift.ts';

// block-run.ts's numbers as enum members of this module: the TypeScript transform makes literals
// of those only, and imported members would be property loads on every use.
// test/cpu/block-constants.test.ts checks the copies.
/** block-run.ts's Word, as far as these forms use it. */
export const enum W {
  A = 1, B = 2, Imm = 3, Base = 4, Index = 5, Seg = 6, Disp = 7,
}
/** block-run.ts's Head and Arch, as far as these forms use them. */
export const enum H {
  OpShift = 7, OpTest = 8,
}
export const enum A {
  LazyAdd = 0, LazyAdc = 1, LazySub = 2, LazySbb = 3, Sign32 = -0x80000000, EAX = 0, ECX = 1, EDX = 2, CS = 1, SS = 2,
}

/** ALU op on bytes; returns the value to store (the first operand for cmp and test). */
export function alu8(c: Cpu, op: number, a: number, b: number): number {
  if (op === 1 || op === 4 || op === 6 || op === H.OpTest) {
    const r = op === 1 ? a | b : op === 6 ? a ^ b : a & b;
    c.setResultFlags(r, 0x80, 0);
    return op === H.OpTest ? a : r;
  }
  const carry = op === 2 || op === 3 ? c.getCF() : 0;
  const sub = op === 3 || op === 5 || op === 7;
  const r = (sub ? a - b - carry : a + b + carry) & 0xff;
  c.setArith(sub ? (carry ? A.LazySbb : A.LazySub) : carry ? A.LazyAdc : A.LazyAdd, a, b, r, 0x80);
  return op === 7 ? a : r;
}

/** The 32-bit effective address of the instruction at word p. */
function ea(regs: Int32Array, w: BlockWords, p: number): number {
  let off = w[p + W.Disp];
  const base = w[p + W.Base], index = w[p + W.Index];
  if (base >= 0) off += regs[base];
  if (index >= 0) off += regs[index] << (w[p + W.Seg] & 3);
  return off | 0;
}

/** A near jump target: #GP(0) beyond the CS limit. */
function target(c: Cpu, t: number): number {
  t >>>= 0;
  if (t > c.segLimit[A.CS]) gp(0);
  return t;
}

const opOf = (w: BlockWords, p: number): number => (w[p] >>> H.OpShift) & 15;
const segOf = (w: BlockWords, p: number): number => w[p + W.Seg] >>> 2;

/** A near call: the return address (EIP, already past the instruction) is pushed after the target is checked. */
function call(c: Cpu, to: number): void {
  const t = target(c, to);
  c.push32(c.eip);
  c.eip = t;
}
/** A near return, releasing `release` more bytes of stack; the stack pointer moves only once the target is checked. */
function ret(c: Cpu, release: number): void {
  const sp = c.sp();
  const t = target(c, c.rd32(A.SS, sp));
  c.setSp(sp + 4 + release);
  c.eip = t;
}

/** The called forms by Form, filled on first use (Form is read once every module has been evaluated). */
const CALLED: FormFn[] = [];

function defineForms(): void {
  const define = (form: Form, fn: FormFn): void => {
    CALLED[form] = fn;
  };
  // Transfers: EIP holds the address of the next instruction.
  define(Form.JmpR, (c, w, p) => {
    c.eip = target(c, c.regs[w[p + W.A]]);
  });
  define(Form.JmpM, (c, w, p) => {
    c.eip = target(c, c.rd32(segOf(w, p), ea(c.regs, w, p)));
  });
  define(Form.CallR, (c, w, p) => call(c, c.regs[w[p + W.A]]));
  define(Form.CallM, (c, w, p) => call(c, c.rd32(segOf(w, p), ea(c.regs, w, p))));
  define(Form.RetI, (c, w, p) => ret(c, w[p + W.Imm]));
  define(Form.Loop, (c, w, p) => {
    const count = (c.regs[A.ECX] = c.regs[A.ECX] - 1);
    if (count !== 0) c.eip = target(c, c.eip + w[p + W.Imm]);
  });

  // Registers and flags.
  define(Form.Alu8RR, (c, w, p) => {
    c.r8[w[p + W.A]] = alu8(c, opOf(w, p), c.r8[w[p + W.A]], c.r8[w[p + W.B]]);
  });
  define(Form.Alu8RI, (c, w, p) => {
    c.r8[w[p + W.A]] = alu8(c, opOf(w, p), c.r8[w[p + W.A]], w[p + W.Imm]);
  });
  define(Form.Not, (c, w, p) => {
    c.regs[w[p + W.A]] = ~c.regs[w[p + W.A]];
  });
  define(Form.Neg, (c, w, p) => {
    const v = c.regs[w[p + W.A]];
    const r = -v | 0;
    c.setArith(A.LazySub, 0, v, r, A.Sign32);
    c.regs[w[p + W.A]] = r;
  });
  define(Form.ShiftRCL, (c, w, p) => {
    c.regs[w[p + W.A]] = shift(c, opOf(w, p), c.regs[w[p + W.A]], c.r8[4] & 31, 2);
  });
  define(Form.Mov8RR, (c, w, p) => {
    c.r8[w[p + W.A]] = c.r8[w[p + W.B]];
  });
  define(Form.Mov8RI, (c, w, p) => {
    c.r8[w[p + W.A]] = w[p + W.Imm];
  });
  define(Form.Movzx8R, (c, w, p) => {
    c.regs[w[p + W.A]] = c.r8[w[p + W.B]];
  });
  define(Form.Movzx16R, (c, w, p) => {
    c.regs[w[p + W.A]] = c.r16[w[p + W.B] << 1];
  });
  define(Form.Movsx8R, (c, w, p) => {
    c.regs[w[p + W.A]] = (c.r8[w[p + W.B]] << 24) >> 24;
  });
  define(Form.Movsx16R, (c, w, p) => {
    c.regs[w[p + W.A]] = (c.r16[w[p + W.B] << 1] << 16) >> 16;
  });
  define(Form.XchgRR, (c, w, p) => {
    const a = w[p + W.A], b = w[p + W.B];
    const t = c.regs[a];
    c.regs[a] = c.regs[b];
    c.regs[b] = t;
  });
  define(Form.Cdq, (c) => {
    c.regs[A.EDX] = c.regs[A.EAX] >> 31;
  });
  define(Form.SetccR, (c, w, p) => {
    c.r8[w[p + W.A]] = cond(c, opOf(w, p)) ? 1 : 0;
  });
  define(Form.CmovRR, (c, w, p) => {
    if (cond(c, opOf(w, p))) c.regs[w[p + W.A]] = c.regs[w[p + W.B]];
  });

  // Memory.
  define(Form.Alu8MI, (c, w, p) => {
    const seg = segOf(w, p), off = ea(c.regs, w, p), op = opOf(w, p);
    if (op === 7 || op === H.OpTest) {
      alu8(c, op, c.rd8(seg, off), w[p + W.Imm]);
      return;
    }
    c.translate(c.writeAddr(seg, off, 1), true, c.cpl === 3);
    c.wr8(seg, off, alu8(c, op, c.rd8(seg, off), w[p + W.Imm]));
  });
  define(Form.MovMI, (c, w, p) => c.wr32(segOf(w, p), ea(c.regs, w, p), w[p + W.Imm]));
  define(Form.Mov8RM, (c, w, p) => {
    c.r8[w[p + W.A]] = c.rd8(segOf(w, p), ea(c.regs, w, p));
  });
  define(Form.Mov8MR, (c, w, p) => c.wr8(segOf(w, p), ea(c.regs, w, p), c.r8[w[p + W.B]]));
  define(Form.Mov8MI, (c, w, p) => c.wr8(segOf(w, p), ea(c.regs, w, p), w[p + W.Imm]));
  define(Form.Movzx16M, (c, w, p) => {
    c.regs[w[p + W.A]] = c.rd16(segOf(w, p), ea(c.regs, w, p));
  });
  define(Form.Movsx8M, (c, w, p) => {
    c.regs[w[p + W.A]] = (c.rd8(segOf(w, p), ea(c.regs, w, p)) << 24) >> 24;
  });
  define(Form.Movsx16M, (c, w, p) => {
    c.regs[w[p + W.A]] = (c.rd16(segOf(w, p), ea(c.regs, w, p)) << 16) >> 16;
  });
  define(Form.CmovRM, (c, w, p) => {
    // The source is read whatever the condition (a bad address faults either way).
    const v = c.rd32(segOf(w, p), ea(c.regs, w, p));
    if (cond(c, opOf(w, p))) c.regs[w[p + W.A]] = v;
  });
  define(Form.PushI, (c, w, p) => c.push32(w[p + W.Imm]));
  define(Form.PushM, (c, w, p) => c.push32(c.rd32(segOf(w, p), ea(c.regs, w, p))));
}

/** Stands in for the forms the `switch` handles itself; never called. */
const inLoop: FormFn = () => {};

/** The function running `form` when the run loop's `switch` does not handle it itself. */
export function calledForm(form: number): FormFn {
  if (CALLED.length === 0) defineForms();
  return CALLED[form] ?? inLoop;
}

