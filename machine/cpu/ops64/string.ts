// String instructions in 64-bit mode: RSI, RDI and RCX (ESI, EDI, ECX with a 67 prefix), qword
// forms with REX.W, only FS and GS overrides meaningful. Repeated forms run in chunks and restart
// themselves, as ops/string.ts describes; each iteration counts as one instruction.
import type { Cpu } from '../cpu.ts';
import { DF, EAX, ECX, EDI, EDX, ES, ESI } from '../constants.ts';
import { addOffset, checkWritable, lastHi, readMem, writeMem } from '../mem64.ts';
import { checkIo } from '../ops/io.ts';
import type { Handler } from '../ops/operands.ts';
import { aluSz } from './alu.ts';
import { decrementCount } from './control.ts';
import { getR, setR } from './operands.ts';

const CHUNK = 1024;

function advance(c: Cpu, reg: number, bytes: number): void {
  const d = c.flags & DF ? -bytes : bytes;
  if (c.asz === 2) {
    c.regs[reg] = (c.regs[reg] + d) | 0;
    c.regsHi[reg] = 0;
  } else {
    c.regs[reg] = addOffset(c.regs[reg], c.regsHi[reg], d);
    c.regsHi[reg] = lastHi();
  }
}
function hiOf(c: Cpu, reg: number): number {
  return c.asz === 2 ? 0 : c.regsHi[reg];
}
function srcSeg(c: Cpu): number {
  return c.segOvr >= 0 ? c.segOvr : 3;
}
function countIsZero(c: Cpu): boolean {
  return c.asz === 2 ? c.regs[ECX] === 0 : (c.regs[ECX] | c.regsHi[ECX]) === 0;
}

/** Runs `once` under the rep prefix (`compare`: cmps/scas stop on ZF as repe/repne say). */
function repeat(c: Cpu, once: (c: Cpu, bytes: number) => void, bytes: number, compare: boolean): void {
  if (c.rep === 0) {
    once(c, bytes);
    return;
  }
  if (countIsZero(c)) return;
  let done = 0;
  let more = true;
  while (more && done < CHUNK) {
    once(c, bytes);
    more = decrementCount(c);
    done++;
    if (compare && c.getZF() !== (c.rep === 0xf3)) more = false;
  }
  c.instructions += done - 1;
  if (more) c.eip = c.instrStart;
}

const movsOnce = (c: Cpu, n: number) => {
  const v = readMem(c, srcSeg(c), c.regs[ESI], hiOf(c, ESI), n), vhi = c.opHi;
  writeMem(c, ES, c.regs[EDI], hiOf(c, EDI), n, v, vhi);
  advance(c, ESI, n);
  advance(c, EDI, n);
};
const cmpsOnce = (c: Cpu, n: number) => {
  const a = readMem(c, srcSeg(c), c.regs[ESI], hiOf(c, ESI), n), ahi = c.opHi;
  const b = readMem(c, ES, c.regs[EDI], hiOf(c, EDI), n), bhi = c.opHi;
  aluSz(c, 7, sizeIndex(n), a, ahi, b, bhi);
  advance(c, ESI, n);
  advance(c, EDI, n);
};
const stosOnce = (c: Cpu, n: number) => {
  const v = getR(c, sizeIndex(n), EAX);
  writeMem(c, ES, c.regs[EDI], hiOf(c, EDI), n, v, c.opHi);
  advance(c, EDI, n);
};
const lodsOnce = (c: Cpu, n: number) => {
  const v = readMem(c, srcSeg(c), c.regs[ESI], hiOf(c, ESI), n);
  setR(c, sizeIndex(n), EAX, v, c.opHi);
  advance(c, ESI, n);
};
const scasOnce = (c: Cpu, n: number) => {
  const a = getR(c, sizeIndex(n), EAX), ahi = c.opHi;
  const b = readMem(c, ES, c.regs[EDI], hiOf(c, EDI), n);
  aluSz(c, 7, sizeIndex(n), a, ahi, b, c.opHi);
  advance(c, EDI, n);
};
const insOnce = (c: Cpu, n: number) => {
  // The destination is checked before the port is read, so a fault loses no input.
  checkWritable(c, ES, c.regs[EDI], hiOf(c, EDI), n);
  writeMem(c, ES, c.regs[EDI], hiOf(c, EDI), n, c.io.read(c.r16[EDX << 1], n as 1 | 2 | 4), 0);
  advance(c, EDI, n);
  c.pollInterrupts();
};
const outsOnce = (c: Cpu, n: number) => {
  const v = readMem(c, srcSeg(c), c.regs[ESI], hiOf(c, ESI), n);
  c.io.write(c.r16[EDX << 1], n as 1 | 2 | 4, v);
  advance(c, ESI, n);
  c.pollInterrupts();
};

function sizeIndex(bytes: number): number {
  return bytes === 8 ? 3 : bytes === 4 ? 2 : bytes === 2 ? 1 : 0;
}

function family(once: (c: Cpu, bytes: number) => void, compare: boolean, io: boolean) {
  const run = (c: Cpu, bytes: number): void => {
    if (io) checkIo(c, c.r16[EDX << 1], bytes);
    repeat(c, once, bytes, compare);
  };
  // ins/outs have no 64-bit form: REX.W leaves them at 32 bits.
  const wide = io ? 4 : 8;
  return { b: ((c) => run(c, 1)) as Handler, v: [(c) => run(c, 2), (c) => run(c, 4), (c) => run(c, wide)] as [Handler, Handler, Handler] };
}

export const movs = family(movsOnce, false, false);
export const cmps = family(cmpsOnce, true, false);
export const stos = family(stosOnce, false, false);
export const lods = family(lodsOnce, false, false);
export const scas = family(scasOnce, true, false);
export const ins = family(insOnce, false, true);
export const outs = family(outsOnce, false, true);
