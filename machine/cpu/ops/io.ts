// in/out with the protected-mode I/O permission checks: CPL <= IOPL, else the TSS I/O bitmap.
import type { Cpu } from '../cpu.ts';
import { EAX, EDX } from '../constants.ts';
import { gp } from '../fault.ts';
import { ioBitmapAllows } from '../tss.ts';
import { getR, type Handler, setR } from './operands.ts';

/** Raises #GP(0) unless the current privilege may access `size` bytes at `port`. */
export function checkIo(c: Cpu, port: number, size: number): void {
  if (!c.protectedMode()) return;
  if (c.cpl <= ((c.flags >>> 12) & 3)) return;
  if (!ioBitmapAllows(c, port, size)) gp(0);
}

function input(c: Cpu, port: number, sz: number): void {
  checkIo(c, port, 1 << sz);
  setR(c, sz, EAX, c.io.read(port, (1 << sz) as 1 | 2 | 4));
  c.pollInterrupts();
}
function output(c: Cpu, port: number, sz: number): void {
  checkIo(c, port, 1 << sz);
  c.io.write(port, (1 << sz) as 1 | 2 | 4, getR(c, sz, EAX));
  c.pollInterrupts();
}

export const inALIb: Handler = (c) => input(c, c.imm & 0xff, 0);
export const ineAXIb: Handler = (c) => {
  const sz = c.o32 + 1;
  input(c, c.imm & 0xff, sz);
};
export const inALDX: Handler = (c) => input(c, c.r16[EDX << 1], 0);
export const ineAXDX: Handler = (c) => {
  const sz = c.o32 + 1;
  input(c, c.r16[EDX << 1], sz);
};
export const outIbAL: Handler = (c) => output(c, c.imm & 0xff, 0);
export const outIbeAX: Handler = (c) => {
  const sz = c.o32 + 1;
  output(c, c.imm & 0xff, sz);
};
export const outDXAL: Handler = (c) => output(c, c.r16[EDX << 1], 0);
export const outDXeAX: Handler = (c) => {
  const sz = c.o32 + 1;
  output(c, c.r16[EDX << 1], sz);
};
