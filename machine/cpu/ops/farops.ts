// Opcode handlers for the far transfers implemented in ../far.ts.
import type { Cpu } from '../cpu.ts';
import type { Handler } from './operands.ts';
import { farReturn, farTransfer, interruptReturn } from '../far.ts';

export const jmpAp: Handler = (c) => {
  const sz = c.o32 + 1;
  farTransfer(c, c.imm2, c.imm, false, sz);
};
export const callAp: Handler = (c) => {
  const sz = c.o32 + 1;
  farTransfer(c, c.imm2, c.imm, true, sz);
};

function memPointer(c: Cpu, sz: number): [number, number] {
  const off = sz === 2 ? c.rd32(c.eaSeg, c.eaOff) >>> 0 : c.rd16(c.eaSeg, c.eaOff);
  const sel = c.rd16(c.eaSeg, (c.eaOff + (sz === 2 ? 4 : 2)) | 0);
  return [sel, off];
}
export const jmpMp: Handler = (c) => {
  const sz = c.o32 + 1;
  const [sel, off] = memPointer(c, sz);
  farTransfer(c, sel, off, false, sz);
};
export const callMp: Handler = (c) => {
  const sz = c.o32 + 1;
  const [sel, off] = memPointer(c, sz);
  farTransfer(c, sel, off, true, sz);
};
export const retf: Handler = (c) => {
  const sz = c.o32 + 1;
  farReturn(c, sz, 0);
};
export const retfIw: Handler = (c) => {
  const sz = c.o32 + 1;
  farReturn(c, sz, c.imm & 0xffff);
};
export const iret: Handler = (c) => {
  const sz = c.o32 + 1;
  interruptReturn(c, sz);
};
