// String instructions movs cmps stos lods scas ins outs, with rep/repe/repne and both address
// sizes. A repeated instruction runs a chunk of iterations per execution and restarts itself
// while the count is not exhausted, so interrupts and faults land between iterations with the
// registers describing exactly the iterations done; each iteration counts as one instruction.
import type { Cpu } from '../cpu.ts';
import { DF, EAX, ECX, EDI, EDX, ES, ESI } from '../constants.ts';
import { alu } from './alu.ts';
import { checkIo } from './io.ts';
import { getR, type Handler, setR } from './operands.ts';

const CHUNK = 1024;

function readAt(c: Cpu, seg: number, off: number, sz: number): number {
  return sz === 2 ? c.rd32(seg, off) : sz === 1 ? c.rd16(seg, off) : c.rd8(seg, off);
}
function writeAt(c: Cpu, seg: number, off: number, sz: number, v: number): void {
  if (sz === 2) c.wr32(seg, off, v);
  else if (sz === 1) c.wr16(seg, off, v);
  else c.wr8(seg, off, v);
}
function index(c: Cpu, reg: number): number {
  return c.a32 ? c.regs[reg] : c.r16[reg << 1];
}
function advance(c: Cpu, reg: number, sz: number): void {
  const d = (c.flags & DF ? -1 : 1) << sz;
  if (c.a32) c.regs[reg] += d;
  else c.r16[reg << 1] += d;
}
function count(c: Cpu): number {
  return c.a32 ? c.regs[ECX] >>> 0 : c.r16[ECX << 1];
}
function setCount(c: Cpu, n: number): void {
  if (c.a32) c.regs[ECX] = n;
  else c.r16[ECX << 1] = n;
}

/**
 * Runs `once` (one iteration) under the rep prefix. `compare` says the instruction tests ZF
 * (cmps/scas: repe stops on ZF=0, repne on ZF=1).
 */
function repeat(c: Cpu, once: (c: Cpu, sz: number) => void, sz: number, compare: boolean): void {
  if (c.rep === 0) {
    once(c, sz);
    return;
  }
  let n = count(c);
  if (n === 0) return;
  let done = 0;
  while (n !== 0 && done < CHUNK) {
    once(c, sz);
    n--;
    setCount(c, n);
    done++;
    if (compare && c.getZF() !== (c.rep === 0xf3)) {
      n = 0;
      break;
    }
  }
  c.instructions += done - 1;
  if (n !== 0) c.eip = c.instrStart;
}

const movsOnce = (c: Cpu, sz: number) => {
  writeAt(c, ES, index(c, EDI), sz, readAt(c, c.dataSeg(), index(c, ESI), sz));
  advance(c, ESI, sz);
  advance(c, EDI, sz);
};
const cmpsOnce = (c: Cpu, sz: number) => {
  const a = readAt(c, c.dataSeg(), index(c, ESI), sz);
  const b = readAt(c, ES, index(c, EDI), sz);
  alu(c, 7, a, b, sz);
  advance(c, ESI, sz);
  advance(c, EDI, sz);
};
const stosOnce = (c: Cpu, sz: number) => {
  writeAt(c, ES, index(c, EDI), sz, getR(c, sz, EAX));
  advance(c, EDI, sz);
};
const lodsOnce = (c: Cpu, sz: number) => {
  setR(c, sz, EAX, readAt(c, c.dataSeg(), index(c, ESI), sz));
  advance(c, ESI, sz);
};
const scasOnce = (c: Cpu, sz: number) => {
  alu(c, 7, getR(c, sz, EAX), readAt(c, ES, index(c, EDI), sz), sz);
  advance(c, EDI, sz);
};
const insOnce = (c: Cpu, sz: number) => {
  const port = c.r16[EDX << 1];
  // The destination is checked before the port is read, so a fault loses no input.
  c.writeAddr(ES, index(c, EDI), 1 << sz);
  writeAt(c, ES, index(c, EDI), sz, c.io.read(port, (1 << sz) as 1 | 2 | 4));
  advance(c, EDI, sz);
  c.pollInterrupts();
};
const outsOnce = (c: Cpu, sz: number) => {
  const v = readAt(c, c.dataSeg(), index(c, ESI), sz);
  c.io.write(c.r16[EDX << 1], (1 << sz) as 1 | 2 | 4, v);
  advance(c, ESI, sz);
  c.pollInterrupts();
};

function family(once: (c: Cpu, sz: number) => void, compare: boolean, io: boolean) {
  const make = (fixed: number | null): Handler => (c) => {
    const sz = fixed ?? (c.o32 ? 2 : 1);
    if (io) checkIo(c, c.r16[EDX << 1], 1 << sz);
    repeat(c, once, sz, compare);
  };
  return { b: make(0), v: [make(1), make(2)] as const };
}

export const movs = family(movsOnce, false, false);
export const cmps = family(cmpsOnce, true, false);
export const stos = family(stosOnce, false, false);
export const lods = family(lodsOnce, false, false);
export const scas = family(scasOnce, true, false);
export const ins = family(insOnce, false, true);
export const outs = family(outsOnce, false, true);
