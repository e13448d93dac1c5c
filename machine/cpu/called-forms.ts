// The instruction forms a block runs through a call rather than as a case of the run loop's
// `switch` (block-run.ts). Each is a small function, so V8 compiles it on its own with the memory
// path inlined. Each does what the opcode table's handler does for its form.
import { alu32, ea, Form, type FormFn, HEAD_OP_SHIFT, incDec32, OP_TEST, shift32, target, W_A, W_B, W_IMM, W_SEG } from './block-run.ts';
import { EAX, ECX, EDX, SS } from './constants.ts';
import type { Cpu } from './cpu.ts';
import { cond } from './ops/cond.ts';
import { LAZY_ADC, LAZY_ADD, LAZY_SBB, LAZY_SUB } from './state.ts';

/** ALU op (0-7, or OP_TEST) on bytes; returns the value to store (the first operand for cmp and test). */
function alu8(c: Cpu, op: number, a: number, b: number): number {
  if (op === 1 || op === 4 || op === 6 || op === OP_TEST) {
    const r = op === 1 ? a | b : op === 6 ? a ^ b : a & b;
    c.setResultFlags(r, 0x80, 0);
    return op === OP_TEST ? a : r;
  }
  const carry = op === 2 || op === 3 ? c.getCF() : 0;
  const sub = op === 3 || op === 5 || op === 7;
  const r = (sub ? a - b - carry : a + b + carry) & 0xff;
  c.setArith(sub ? (carry ? LAZY_SBB : LAZY_SUB) : carry ? LAZY_ADC : LAZY_ADD, a, b, r, 0x80);
  return op === 7 ? a : r;
}

const opOf = (w: Int32Array, p: number): number => (w[p] >>> HEAD_OP_SHIFT) & 15;
const segOf = (w: Int32Array, p: number): number => w[p + W_SEG] >>> 2;
const eaOf = (c: Cpu, w: Int32Array, p: number): number => ea(c.regs, w, p);

/**
 * A 32-bit read-modify-write of the memory operand with ALU op `op` (9: inc, 10: dec). As the
 * table's handlers do, the destination is checked for writing before it is read; cmp and test
 * only read.
 */
function rmw32(c: Cpu, w: Int32Array, p: number, op: number, src: number): void {
  const seg = segOf(w, p), off = eaOf(c, w, p);
  if (op === 7 || op === OP_TEST) {
    alu32(c, op, c.rd32(seg, off), src);
    return;
  }
  const lin = c.writeAddr(seg, off, 4);
  const q = c.ramForWrite32(lin);
  if (q >= 0) {
    const v = c.ramView.getInt32(q, true);
    c.storeRam32(q, op <= OP_TEST ? alu32(c, op, v, src) : incDec32(c, v, op === 10));
    return;
  }
  const user = c.cpl === 3;
  c.translate(lin, true, user);
  if ((lin & 0xfff) > 0xffc) c.translate((lin + 3) | 0, true, user);
  const v = c.rd32(seg, off);
  c.wr32(seg, off, op <= OP_TEST ? alu32(c, op, v, src) : incDec32(c, v, op === 10));
}

// ---- registers and flags

const alu8RR: FormFn = (c, w, p) => {
  c.r8[w[p + W_A]] = alu8(c, opOf(w, p), c.r8[w[p + W_A]], c.r8[w[p + W_B]]);
};
const alu8RI: FormFn = (c, w, p) => {
  c.r8[w[p + W_A]] = alu8(c, opOf(w, p), c.r8[w[p + W_A]], w[p + W_IMM]);
};
const not: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = ~c.regs[w[p + W_A]];
};
const neg: FormFn = (c, w, p) => {
  const v = c.regs[w[p + W_A]];
  const r = -v | 0;
  c.setArith(LAZY_SUB, 0, v, r, 0x80000000);
  c.regs[w[p + W_A]] = r;
};
const shiftRCL: FormFn = (c, w, p) => {
  const n = c.r8[4] & 31;
  if (n !== 0) c.regs[w[p + W_A]] = shift32(c, opOf(w, p), c.regs[w[p + W_A]], n);
};
const mov8RR: FormFn = (c, w, p) => {
  c.r8[w[p + W_A]] = c.r8[w[p + W_B]];
};
const mov8RI: FormFn = (c, w, p) => {
  c.r8[w[p + W_A]] = w[p + W_IMM];
};
const movzx8R: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = c.r8[w[p + W_B]];
};
const movzx16R: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = c.r16[w[p + W_B] << 1];
};
const movsx8R: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = (c.r8[w[p + W_B]] << 24) >> 24;
};
const movsx16R: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = (c.r16[w[p + W_B] << 1] << 16) >> 16;
};
const xchgRR: FormFn = (c, w, p) => {
  const a = w[p + W_A], b = w[p + W_B];
  const t = c.regs[a];
  c.regs[a] = c.regs[b];
  c.regs[b] = t;
};
const cdq: FormFn = (c) => {
  c.regs[EDX] = c.regs[EAX] >> 31;
};
const setccR: FormFn = (c, w, p) => {
  c.r8[w[p + W_A]] = cond(c, opOf(w, p)) ? 1 : 0;
};
const cmovRR: FormFn = (c, w, p) => {
  if (cond(c, opOf(w, p))) c.regs[w[p + W_A]] = c.regs[w[p + W_B]];
};

// ---- memory

const aluRM: FormFn = (c, w, p) => {
  const d = w[p + W_A];
  c.regs[d] = alu32(c, opOf(w, p), c.regs[d], c.rd32(segOf(w, p), eaOf(c, w, p)));
};
const aluMR: FormFn = (c, w, p) => rmw32(c, w, p, opOf(w, p), c.regs[w[p + W_B]]);
const aluMI: FormFn = (c, w, p) => rmw32(c, w, p, opOf(w, p), w[p + W_IMM]);
const incM: FormFn = (c, w, p) => rmw32(c, w, p, 9, 0);
const decM: FormFn = (c, w, p) => rmw32(c, w, p, 10, 0);
/** 80 /op and F6 /0 on memory: the table's read-modify-write at byte size. */
const alu8MI: FormFn = (c, w, p) => {
  const seg = segOf(w, p), off = eaOf(c, w, p), op = opOf(w, p);
  if (op === 7 || op === OP_TEST) {
    alu8(c, op, c.rd8(seg, off), w[p + W_IMM]);
    return;
  }
  const lin = c.writeAddr(seg, off, 1);
  c.translate(lin, true, c.cpl === 3);
  c.wr8(seg, off, alu8(c, op, c.rd8(seg, off), w[p + W_IMM]));
};
const movRM: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = c.rd32(segOf(w, p), eaOf(c, w, p));
};
const movMR: FormFn = (c, w, p) => c.wr32(segOf(w, p), eaOf(c, w, p), c.regs[w[p + W_B]]);
const movMI: FormFn = (c, w, p) => c.wr32(segOf(w, p), eaOf(c, w, p), w[p + W_IMM]);
const mov8RM: FormFn = (c, w, p) => {
  c.r8[w[p + W_A]] = c.rd8(segOf(w, p), eaOf(c, w, p));
};
const mov8MR: FormFn = (c, w, p) => c.wr8(segOf(w, p), eaOf(c, w, p), c.r8[w[p + W_B]]);
const mov8MI: FormFn = (c, w, p) => c.wr8(segOf(w, p), eaOf(c, w, p), w[p + W_IMM]);
const movzx8M: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = c.rd8(segOf(w, p), eaOf(c, w, p));
};
const movzx16M: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = c.rd16(segOf(w, p), eaOf(c, w, p));
};
const movsx8M: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = (c.rd8(segOf(w, p), eaOf(c, w, p)) << 24) >> 24;
};
const movsx16M: FormFn = (c, w, p) => {
  c.regs[w[p + W_A]] = (c.rd16(segOf(w, p), eaOf(c, w, p)) << 16) >> 16;
};
const cmovRM: FormFn = (c, w, p) => {
  // The source is read whatever the condition (a bad address faults either way).
  const v = c.rd32(segOf(w, p), eaOf(c, w, p));
  if (cond(c, opOf(w, p))) c.regs[w[p + W_A]] = v;
};
const pushR: FormFn = (c, w, p) => c.push32(c.regs[w[p + W_A]]);
const pushI: FormFn = (c, w, p) => c.push32(w[p + W_IMM]);
const pushM: FormFn = (c, w, p) => c.push32(c.rd32(segOf(w, p), eaOf(c, w, p)));
const popR: FormFn = (c, w, p) => {
  const v = c.pop32();
  c.regs[w[p + W_A]] = v;
};

// ---- control transfers: EIP holds the address of the next instruction

const jmpR: FormFn = (c, w, p) => {
  c.eip = target(c, c.regs[w[p + W_A]]);
};
const jmpM: FormFn = (c, w, p) => {
  c.eip = target(c, c.rd32(segOf(w, p), eaOf(c, w, p)));
};
function call(c: Cpu, to: number): void {
  const t = target(c, to);
  c.push32(c.eip);
  c.eip = t;
}
const callRel: FormFn = (c, w, p) => call(c, c.eip + w[p + W_IMM]);
const callR: FormFn = (c, w, p) => call(c, c.regs[w[p + W_A]]);
const callM: FormFn = (c, w, p) => call(c, c.rd32(segOf(w, p), eaOf(c, w, p)));
function ret(c: Cpu, release: number): void {
  const sp = c.sp();
  const t = target(c, c.rd32(SS, sp));
  c.setSp(sp + 4 + release);
  c.eip = t;
}
const retNear: FormFn = (c) => ret(c, 0);
const retI: FormFn = (c, w, p) => ret(c, w[p + W_IMM]);
const loop: FormFn = (c, w, p) => {
  const count = (c.regs[ECX] = c.regs[ECX] - 1);
  if (count !== 0) c.eip = target(c, c.eip + w[p + W_IMM]);
};

/** Stands in for the forms the run loop handles itself; never called. */
const inLoop: FormFn = () => {};

/** Built on first use: Form's values are read only once every module has been evaluated. */
let byForm: Partial<Record<Form, FormFn>> | null = null;

const table = (): Partial<Record<Form, FormFn>> => ({
  [Form.Alu8RR]: alu8RR, [Form.Alu8RI]: alu8RI, [Form.Not]: not, [Form.Neg]: neg, [Form.ShiftRCL]: shiftRCL,
  [Form.Mov8RR]: mov8RR, [Form.Mov8RI]: mov8RI, [Form.Movzx8R]: movzx8R, [Form.Movzx16R]: movzx16R,
  [Form.Movsx8R]: movsx8R, [Form.Movsx16R]: movsx16R, [Form.XchgRR]: xchgRR, [Form.Cdq]: cdq, [Form.SetccR]: setccR,
  [Form.CmovRR]: cmovRR,
  [Form.AluRM]: aluRM, [Form.AluMR]: aluMR, [Form.AluMI]: aluMI, [Form.Alu8MI]: alu8MI, [Form.MovRM]: movRM,
  [Form.MovMR]: movMR, [Form.MovMI]: movMI, [Form.Mov8RM]: mov8RM, [Form.Mov8MR]: mov8MR, [Form.Mov8MI]: mov8MI,
  [Form.Movzx8M]: movzx8M, [Form.Movzx16M]: movzx16M, [Form.Movsx8M]: movsx8M, [Form.Movsx16M]: movsx16M,
  [Form.PushR]: pushR, [Form.PushI]: pushI, [Form.PopR]: popR, [Form.PushM]: pushM, [Form.IncM]: incM,
  [Form.DecM]: decM, [Form.CmovRM]: cmovRM,
  [Form.JmpR]: jmpR, [Form.JmpM]: jmpM, [Form.Call]: callRel, [Form.CallR]: callR, [Form.CallM]: callM,
  [Form.Ret]: retNear, [Form.RetI]: retI, [Form.Loop]: loop,
});

/** The function that runs `form`, for forms the run loop's `switch` does not handle itself. */
export function calledForm(form: number): FormFn {
  byForm ??= table();
  return byForm[form as Form] ?? inLoop;
}
