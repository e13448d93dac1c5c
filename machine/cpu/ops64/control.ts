// Near control transfers in 64-bit mode: jcc, jmp, call, ret, the loop family and jrcxz.
// Targets are 64-bit and must be canonical (#GP(0) otherwise, before anything changes). The
// operand size is 64 bits; only AMD processors honour a 66 prefix, truncating RIP to 16 bits.
import type { Cpu } from '../cpu.ts';
import { ECX, ESP } from '../constants.ts';
import { gp } from '../fault.ts';
import { canonical } from '../long-mode.ts';
import { addOffset, lastHi, readMem, setRip } from '../mem64.ts';
import { cond } from '../ops/cond.ts';
import type { Handler } from '../ops/operands.ts';
import { getRm, sx16, sx8 } from './operands.ts';
import { push } from './stack.ts';

const P32 = 4294967296;
let targetHi = 0;

/** RIP (the next instruction) plus a signed displacement; high half in targetHi. */
function ripPlus(c: Cpu, delta: number): number {
  const s = c.eip + delta;
  const wraps = Math.floor(s / P32);
  targetHi = (c.ripHi + wraps) | 0;
  return (s - wraps * P32) | 0;
}

/** Checks and sets a near target at operand size osz (16 bits: only IP, high bits cleared). */
function jumpTo(c: Cpu, lo: number, hi: number, osz: number): void {
  if (osz === 1) {
    setRip(c, lo & 0xffff, 0);
    return;
  }
  if (!canonical(hi)) gp(0);
  setRip(c, lo, hi);
}

function relative(c: Cpu, disp: number): void {
  const lo = ripPlus(c, disp);
  jumpTo(c, lo, targetHi, c.osz);
}
/** Jz's displacement: 32 bits, or 16 with the operand size AMD allows. */
function rel(c: Cpu): number {
  return c.osz === 1 ? sx16(c.imm) : c.imm;
}

export const jccJb: Handler = (c) => {
  if (cond(c, c.opcode & 15)) relative(c, sx8(c.imm));
};
export const jccJz: Handler = (c) => {
  if (cond(c, c.opcode & 15)) relative(c, rel(c));
};
export const jmpJb: Handler = (c) => relative(c, sx8(c.imm));
export const jmpJz: Handler = (c) => relative(c, rel(c));
export const jmpEv: Handler = (c) => {
  const lo = getRm(c, c.osz);
  jumpTo(c, lo, c.osz === 3 ? c.opHi : 0, c.osz);
};

/** Pushes the return address and jumps; a bad target faults before the push. */
function callTo(c: Cpu, lo: number, hi: number): void {
  if (c.osz !== 1 && !canonical(hi)) gp(0);
  push(c, c.osz, c.eip, c.ripHi);
  jumpTo(c, lo, hi, c.osz);
}
export const callJz: Handler = (c) => {
  const lo = ripPlus(c, rel(c));
  callTo(c, lo, targetHi);
};
export const callEv: Handler = (c) => {
  const lo = getRm(c, c.osz);
  callTo(c, lo, c.osz === 3 ? c.opHi : 0);
};

function retNear(c: Cpu, release: number): void {
  const size = c.osz === 1 ? 2 : 8;
  const sp = c.regs[ESP], spHi = c.regsHi[ESP];
  const lo = readMem(c, 2, sp, spHi, size);
  const hi = size === 8 ? c.opHi : 0;
  if (size === 8 && !canonical(hi)) gp(0);
  c.regs[ESP] = addOffset(sp, spHi, size + release);
  c.regsHi[ESP] = lastHi();
  jumpTo(c, lo, hi, c.osz);
}
export const ret: Handler = (c) => retNear(c, 0);
export const retIw: Handler = (c) => retNear(c, c.imm & 0xffff);

/** Decrements the count register of loop and rep, RCX (ECX with a 67 prefix); false when it reaches zero. */
export function decrementCount(c: Cpu): boolean {
  if (c.asz === 2) {
    const n = (c.regs[ECX] - 1) | 0;
    c.regs[ECX] = n;
    c.regsHi[ECX] = 0;
    return n !== 0;
  }
  const lo = (c.regs[ECX] - 1) | 0;
  const hi = lo === -1 ? (c.regsHi[ECX] - 1) | 0 : c.regsHi[ECX];
  c.regs[ECX] = lo;
  c.regsHi[ECX] = hi;
  return (lo | hi) !== 0;
}
function loopOp(c: Cpu, kind: number): void {
  let take = decrementCount(c);
  if (kind === 0) take &&= !c.getZF();
  else if (kind === 1) take &&= c.getZF();
  if (take) relative(c, sx8(c.imm));
}
export const loopne: Handler = (c) => loopOp(c, 0);
export const loope: Handler = (c) => loopOp(c, 1);
export const loop: Handler = (c) => loopOp(c, 2);
export const jrcxz: Handler = (c) => {
  const zero = c.asz === 2 ? c.regs[ECX] === 0 : (c.regs[ECX] | c.regsHi[ECX]) === 0;
  if (zero) relative(c, sx8(c.imm));
};
