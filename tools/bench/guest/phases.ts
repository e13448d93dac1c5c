// The CPU benchmark guests' phases: their names, exact instruction counts and expected results,
// derived from the loop structure of cpubench.asm (and its 64-bit build cpubench64.asm) and the
// sizes in params.inc.
import { readFileSync } from 'node:fs';

/** One timed phase: the instructions from its POST code up to and including the next one. */
export interface Phase {
  /** The POST code written to port 0x80 when the phase starts. */
  code: number;
  name: string;
  instructions: number;
  /** The dword the phase leaves in the results block. */
  expected: number;
}

/** Physical address of the results block (one dword per phase, in phase order). */
export const RESULTS_ADDRESS = 0x90000;

const MEM_BUFFER_BYTES = 1 << 20;

/** Reads the `NAME equ VALUE` lines of params.inc, the single source of the phase sizes. */
export function readParams(path: string): Record<string, number> {
  const params: Record<string, number> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*(\w+)\s+equ\s+(\d+)/i.exec(line);
    if (match) params[match[1]] = Number(match[2]);
  }
  return params;
}

function param(params: Record<string, number>, name: string): number {
  const value = params[name];
  if (value === undefined) throw new Error(`params.inc does not define ${name}`);
  return value;
}

function xorshift32(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

function aluResult(iterations: number): number {
  let eax = 1, ebx = 2, ecx = 3, edx = 4, esi = 5, edi = 6;
  for (let i = 0; i < iterations; i++) {
    eax = (eax + ebx) | 0;
    ebx ^= ecx;
    ecx = (ecx << 3) | (ecx >>> 29);
    edx = (edx - eax) | 0;
    esi &= edx;
    edi |= esi;
    esi >>>= 1;
    ebx = (ebx + eax * 2 + 1) | 0;
  }
  return (eax + edi) >>> 0;
}

const M64 = (1n << 64n) - 1n;

/** Phase 1 of cpubench64.asm: the same loop on 64-bit registers; the low 32 bits of the result. */
function aluResult64(iterations: number): number {
  let rax = 1n, rbx = 2n, rcx = 3n, rdx = 4n, rsi = 5n, rdi = 6n;
  for (let i = 0; i < iterations; i++) {
    rax = (rax + rbx) & M64;
    rbx ^= rcx;
    rcx = ((rcx << 3n) | (rcx >> 61n)) & M64;
    rdx = (rdx - rax) & M64;
    rsi &= rdx;
    rdi |= rsi;
    rsi >>= 1n;
    rbx = (rbx + rax * 2n + 1n) & M64;
  }
  return Number((rax + rdi) & 0xffffffffn);
}

function memoryPhase(buffer: Uint32Array, iterations: number): number {
  let state = 2463534242;
  for (let i = 0; i < iterations; i++) {
    state = xorshift32(state);
    const index = (state & 0xffffc) >>> 2;
    buffer[index] = (buffer[index] + state) >>> 0;
  }
  return state;
}

function crc32(bytes: Uint8Array, repeats: number): number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (c & 1 ? 0xedb88320 : 0);
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (let r = 0; r < repeats; r++) {
    for (const byte of bytes) crc = (crc >>> 8) ^ table[(crc ^ byte) & 0xff];
  }
  return ~crc >>> 0;
}

function fib(n: number): number {
  let a = 0, b = 1;
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

/** Instructions executed inside fib(n), its own `ret` included. */
function fibInstructions(n: number): number {
  let below = 3, at = 3;
  for (let k = 2; k <= n; k++) [below, at] = [at, 13 + at + below];
  return n < 2 ? 3 : at;
}

/** The phases of the guest built with the given sizes, with counts and expected results. */
export function phases(params: Record<string, number>): Phase[] {
  const alu = param(params, 'ALU_ITERATIONS');
  const mem = param(params, 'MEM_ITERATIONS');
  const crcBytes = param(params, 'CRC_BYTES');
  const crcRepeats = param(params, 'CRC_REPEATS');
  const fibN = param(params, 'FIB_N');

  const buffer = new Uint32Array(MEM_BUFFER_BYTES / 4);
  const memResult = memoryPhase(buffer, mem);
  memoryPhase(buffer, mem);
  const crcInput = new Uint8Array(buffer.buffer, 0, crcBytes);

  const crcTableInstructions = 1 + 256 * (2 + 8 * 8 + 4) + 1;
  const pageTableInstructions = 3 + 4 * 5 + 3 + 4096 * 5 + 1;
  return [
    { code: 1, name: 'register ALU loop', instructions: 11 + 10 * alu, expected: aluResult(alu) },
    {
      code: 2,
      name: 'memory read-modify-write, paging off',
      instructions: 1 + (3 + 14 * mem) + 1 + 1 + pageTableInstructions + 5 + 2,
      expected: memResult,
    },
    {
      code: 3,
      name: 'memory read-modify-write, paging on',
      instructions: 1 + (3 + 14 * mem) + 1 + 3 + 2,
      expected: memResult,
    },
    {
      code: 4,
      name: 'table-driven CRC-32',
      instructions: 1 + crcTableInstructions + 2 + crcRepeats * (4 + 7 * crcBytes) + 2 + 2,
      expected: crc32(crcInput, crcRepeats),
    },
    { code: 5, name: 'recursive calls', instructions: 5 + fibInstructions(fibN), expected: fib(fibN) },
  ];
}

/**
 * The phases of cpubench64.asm: the same loops in 64-bit mode. Phase 2 runs on 2 MiB pages and
 * builds the 4 KiB tables phase 3 runs on; the other phases count as in the 32-bit guest.
 */
export function phases64(params: Record<string, number>): Phase[] {
  const [alu, memory, , crc, fibPhase] = phases(params);
  const iterations = param(params, 'ALU_ITERATIONS');
  const mem = param(params, 'MEM_ITERATIONS');
  const memResult = memory.expected;
  const tables4k = 3 + 8 * 5 + 3 + 4096 * 5 + 2;
  return [
    { ...alu, expected: aluResult64(iterations) },
    { code: 2, name: 'memory read-modify-write, 2 MiB pages', instructions: 1 + 1 + (3 + 14 * mem) + 1 + 1 + tables4k + 2 + 1, expected: memResult },
    { code: 3, name: 'memory read-modify-write, 4 KiB pages', instructions: 1 + 1 + (3 + 14 * mem) + 1 + 1, expected: memResult },
    crc,
    fibPhase,
  ];
}
