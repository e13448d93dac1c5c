// Near control transfers (jcc, jmp, call, ret, loop family, jcxz), software interrupts (int n,
// int3, into, int1), bound, hlt, and the flag instructions (clc stc cmc cld std cli sti).
import type { Cpu } from '../cpu.ts';
import { CF, CS, DF, ECX, IF, VM } from '../constants.ts';
import { CpuFault, gp } from '../fault.ts';
import { deliverInterrupt, KIND_ICEBP, KIND_SOFTWARE } from '../interrupts.ts';
import { cond } from './cond.ts';
import { getReg, getRm, type Handler, sx16, sx8 } from './operands.ts';
import { push } from './stack.ts';

/** Sets EIP to a near target, truncated to the operand size; #GP(0) beyond the CS limit. */
export function jumpNear(c: Cpu, target: number, sz: number): void {
  const t = sz === 2 ? target >>> 0 : target & 0xffff;
  if (t > c.segLimit[CS]) gp(0);
  c.eip = t;
}

export const jccJb: Handler = (c) => {
  if (cond(c, c.opcode & 15)) jumpNear(c, c.eip + sx8(c.imm), c.o32 ? 2 : 1);
};
export const jccJz: Handler = (c) => {
  const sz = c.o32 + 1;
  if (cond(c, c.opcode & 15)) jumpNear(c, c.eip + (sz === 2 ? c.imm : sx16(c.imm)), sz);
};
export const jmpJb: Handler = (c) => jumpNear(c, c.eip + sx8(c.imm), c.o32 ? 2 : 1);
export const jmpJz: Handler = (c) => {
  const sz = c.o32 + 1;
  jumpNear(c, c.eip + (sz === 2 ? c.imm : sx16(c.imm)), sz);
};
export const jmpEv: Handler = (c) => {
  const sz = c.o32 + 1;
  jumpNear(c, getRm(c, sz), sz);
};

export const callJz: Handler = (c) => {
  const sz = c.o32 + 1;
  const target = c.eip + (sz === 2 ? c.imm : sx16(c.imm));
  const t = sz === 2 ? target >>> 0 : target & 0xffff;
  if (t > c.segLimit[CS]) gp(0);
  push(c, sz, c.eip);
  c.eip = t;
};
export const callEv: Handler = (c) => {
  const sz = c.o32 + 1;
  const t = sz === 2 ? getRm(c, sz) >>> 0 : getRm(c, sz);
  if (t > c.segLimit[CS]) gp(0);
  push(c, sz, c.eip);
  c.eip = t;
};

function retNear(c: Cpu, sz: number, release: number): void {
  const sp = c.sp();
  const t = sz === 2 ? c.rd32(2, sp) >>> 0 : c.rd16(2, sp);
  if (t > c.segLimit[CS]) gp(0);
  c.setSp(sp + (sz === 2 ? 4 : 2) + release);
  c.eip = t;
}
export const ret: Handler = (c) => {
  const sz = c.o32 + 1;
  retNear(c, sz, 0);
};
export const retIw: Handler = (c) => {
  const sz = c.o32 + 1;
  retNear(c, sz, c.imm & 0xffff);
};

/** loop family: the counter is CX or ECX by address size; the jump by operand size. */
function loopOp(c: Cpu, kind: number): void {
  const sz = c.o32 ? 2 : 1;
  let n: number;
  if (c.a32) n = c.regs[ECX] = c.regs[ECX] - 1;
  else n = c.r16[ECX << 1] = c.r16[ECX << 1] - 1;
  let take = n !== 0;
  if (kind === 0) take &&= !c.getZF();
  else if (kind === 1) take &&= c.getZF();
  if (take) jumpNear(c, c.eip + sx8(c.imm), sz);
}
export const loopne: Handler = (c) => loopOp(c, 0);
export const loope: Handler = (c) => loopOp(c, 1);
export const loop: Handler = (c) => loopOp(c, 2);
export const jcxz: Handler = (c) => {
  const n = c.a32 ? c.regs[ECX] : c.r16[ECX << 1];
  if (n === 0) jumpNear(c, c.eip + sx8(c.imm), c.o32 ? 2 : 1);
};

export const intIb: Handler = (c) => {
  if (c.flags & VM && ((c.flags >>> 12) & 3) < 3) gp(0);
  deliverInterrupt(c, c.imm & 0xff, -1, KIND_SOFTWARE, false);
};
export const int3: Handler = (c) => deliverInterrupt(c, 3, -1, KIND_SOFTWARE, false);
export const into: Handler = (c) => {
  if (c.getOF()) deliverInterrupt(c, 4, -1, KIND_SOFTWARE, false);
};
export const int1: Handler = (c) => deliverInterrupt(c, 1, -1, KIND_ICEBP, false);

/** bound: #BR when the signed index lies outside [lower, upper] read from memory. */
export const bound: Handler = (c) => {
  const sz = c.o32 + 1;
  const idx = getReg(c, sz);
  let lo: number, hi: number, v: number;
  if (sz === 2) {
    lo = c.rd32(c.eaSeg, c.eaOff);
    hi = c.rd32(c.eaSeg, c.eaOff + 4);
    v = idx | 0;
  } else {
    lo = sx16(c.rd16(c.eaSeg, c.eaOff));
    hi = sx16(c.rd16(c.eaSeg, (c.eaOff + 2) & (c.a32 ? -1 : 0xffff)));
    v = sx16(idx);
  }
  if (v < lo || v > hi) throw new CpuFault(5, -1);
};

export const hlt: Handler = (c) => {
  if (c.protectedMode() && c.cpl !== 0) gp(0);
  c.halted = true;
  c.attention = true;
};

function materialized(c: Cpu): void {
  c.materializeFlags();
}
export const clc: Handler = (c) => {
  materialized(c);
  c.flags &= ~CF;
};
export const stc: Handler = (c) => {
  materialized(c);
  c.flags |= CF;
};
export const cmc: Handler = (c) => {
  materialized(c);
  c.flags ^= CF;
};
export const cld: Handler = (c) => {
  c.flags &= ~DF;
};
export const std: Handler = (c) => {
  c.flags |= DF;
};

function mayChangeIF(c: Cpu): boolean {
  return !c.protectedMode() || c.cpl <= ((c.flags >>> 12) & 3);
}
export const cli: Handler = (c) => {
  if (!mayChangeIF(c)) gp(0);
  c.flags &= ~IF;
};
/** sti: interrupts stay blocked until after the next instruction. */
export const sti: Handler = (c) => {
  if (!mayChangeIF(c)) gp(0);
  if ((c.flags & IF) === 0) {
    c.flags |= IF;
    c.inhibitInterrupts();
    c.pollInterrupts();
  }
};

