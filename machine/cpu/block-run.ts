// The run loop's hot path: executes cached blocks (straight-line runs of decoded instructions,
// blocks.ts) with one window and budget check per block and the commonest register forms as cases
// of one small `switch`; other forms are small functions (called-forms.ts), everything else the
// opcode table's handler. The loop is kept small on purpose: V8 compiles it in a few
// milliseconds, inlines what its cases call, and reaching a form for the first time costs a call
// rather than a deoptimisation. The instruction count stays exact: it is published before anything
// that can observe it (table handlers, faults) and at every block exit, so virtual time and the
// instruction an interrupt lands on do not depend on where blocks begin or end.
import { type Block, buildBlock } from './blocks.ts';
import { AF, CF, CS, OF, ZF } from './constants.ts';
import type { Cpu } from './cpu.ts';
import { gp } from './fault.ts';
import { cond } from './ops/cond.ts';
import { shift } from './ops/shift.ts';
import { LAZY_ADC, LAZY_ADD, LAZY_SBB, LAZY_SUB } from './state.ts';

/** int32 words per instruction in a block. */
export const BW = 8;
/**
 * Word 0 of an instruction: its form (bits 0-7), an operation or condition (bits 8-11: ALU op in
 * ModRM.reg order add or adc sbb and sub xor cmp, 8 for test; shift op; condition code) and the
 * offset of its end from the block's start (bits 12 and up).
 */
export const W_HEAD = 0;
export const HEAD_OP_SHIFT = 8;
export const HEAD_END_SHIFT = 12;
/** The ALU "op" of test: and without storing the result. */
export const OP_TEST = 8;
/** Operands: register numbers (8-bit registers as indexes into Cpu.r8) and an immediate. */
export const W_A = 1;
export const W_B = 2;
export const W_IMM = 3;
/** Effective address: base and index registers (-1: none), scale | segment << 2, displacement. */
export const W_BASE = 4;
export const W_INDEX = 5;
export const W_SEG = 6;
export const W_DISP = 7;
/** Form.Table: the index of the instruction's decoded-cache entry. */
export const W_ENTRY = W_A;

/**
 * The instruction forms (fast-forms.ts chooses them). An enum so that the `switch` below gets
 * literal case labels, and those the run loop handles itself come first and dense, so that V8
 * compiles the `switch` to a jump table.
 */
export const enum Form {
  Table, Nop, AluRR, AluRI, Inc, Dec, MovRR, MovRI, Lea, ShiftRI,
  /** Forms from here to Alu8RR transfer control and end their block. */
  Jcc, Jmp, JmpR, JmpM, Call, CallR, CallM, Ret, RetI, Loop,
  Alu8RR, Alu8RI, Not, Neg, ShiftRCL, Mov8RR, Mov8RI, Movzx8R, Movzx16R, Movsx8R, Movsx16R, XchgRR, Cdq, SetccR, CmovRR,
  /** Forms from here on may touch memory: after them the loop looks for a write to cached code. */
  AluRM, AluMR, AluMI, Alu8MI, MovRM, MovMR, MovMI, Mov8RM, Mov8MR, Mov8MI, Movzx8M, Movzx16M, Movsx8M, Movsx16M,
  PushR, PushI, PopR, PushM, IncM, DecM, CmovRM,
}

/**
 * A form run through a call (called-forms.ts): the block's words and the index of the
 * instruction's head word in them. Control transfers find the address of the next instruction in
 * EIP and set EIP.
 */
export type FormFn = (c: Cpu, w: Int32Array, p: number) => void;

const SIGN32 = 0x80000000;

/**
 * ALU op (0-7, or OP_TEST) at 32 bits, recording the flags as ops/alu.ts does; returns the value
 * to store (the first operand for cmp and test). A logical result is recorded as `r - 0`, whose
 * lazily computed flags are those of a logical operation: CF, OF and AF clear.
 */
export function alu32(c: Cpu, op: number, a: number, b: number): number {
  let r: number, kind = LAZY_SUB;
  switch (op) {
    case 0:
      r = (a + b) | 0;
      kind = LAZY_ADD;
      break;
    case 2: {
      const cf = c.getCF();
      r = (a + b + cf) | 0;
      kind = cf ? LAZY_ADC : LAZY_ADD;
      break;
    }
    case 3: {
      const cf = c.getCF();
      r = (a - b - cf) | 0;
      kind = cf ? LAZY_SBB : LAZY_SUB;
      break;
    }
    case 5:
    case 7:
      r = (a - b) | 0;
      break;
    default:
      r = op === 1 ? a | b : op === 6 ? a ^ b : a & b;
      c.setArith(LAZY_SUB, r, 0, r, SIGN32);
      return op === OP_TEST ? a : r;
  }
  c.setArith(kind, a, b, r, SIGN32);
  return op === 7 ? a : r;
}

/** inc/dec at 32 bits; CF stays as it was. */
export function incDec32(c: Cpu, v: number, dec: boolean): number {
  const cf = c.getCF();
  const r = (dec ? v - 1 : v + 1) | 0;
  c.setArith(dec ? LAZY_SUB : LAZY_ADD, v, 1, r, SIGN32);
  c.flags = (c.flags & ~CF) | cf;
  c.lazyMask &= ~CF;
  return r;
}

/** Shift or rotate op (ModRM.reg order) of a 32-bit value by 1-31, with the flags of ops/shift.ts. */
export function shift32(c: Cpu, op: number, v: number, n: number): number {
  let r: number, cf: number, of: number;
  switch (op) {
    case 0:
    case 1:
      // Rotates change only CF and OF.
      r = op === 0 ? (v << n) | (v >>> (32 - n)) : (v >>> n) | (v << (32 - n));
      cf = op === 0 ? r & 1 : r >>> 31;
      of = op === 0 ? (r >>> 31) ^ cf : (r >>> 31) ^ ((r >>> 30) & 1);
      c.flags = (c.flags & ~(CF | OF)) | cf | (of << 11);
      c.lazyMask &= ~(CF | OF);
      return r;
    case 4:
    case 6:
      r = v << n;
      cf = (v >>> (32 - n)) & 1;
      of = (r >>> 31) ^ cf;
      break;
    case 5:
      r = v >>> n;
      cf = (v >>> (n - 1)) & 1;
      of = v >>> 31;
      break;
    case 7:
      r = v >> n;
      cf = (v >> (n - 1)) & 1;
      of = 0;
      break;
    default:
      return shift(c, op, v, n, 2);
  }
  // Shifts keep AF.
  c.setResultFlags(r, SIGN32, cf | (of !== 0 ? OF : 0) | (c.getAF() ? AF : 0));
  return r;
}

/** The 32-bit effective address of the instruction at word p. */
export function ea(regs: Int32Array, w: Int32Array, p: number): number {
  let off = w[p + W_DISP];
  const base = w[p + W_BASE], index = w[p + W_INDEX];
  if (base >= 0) off += regs[base];
  if (index >= 0) off += regs[index] << (w[p + W_SEG] & 3);
  return off | 0;
}

/** A near jump target: #GP(0) beyond the CS limit. */
export function target(c: Cpu, t: number): number {
  t >>>= 0;
  if (t > c.segLimit[CS]) gp(0);
  return t;
}

/** The block at CS:EIP, built if needed; null when the instruction there must be stepped on its own. */
function blockHere(c: Cpu): Block | null {
  const eip = c.eip;
  if (eip < c.fetchLo || eip >= c.fetchHi) {
    c.instrStart = eip;
    c.openFetchWindow();
  }
  const page = c.fetchCode;
  if (page === null) return null;
  const off = eip - c.fetchLo;
  const b = page.blocks[off];
  if (b !== null && b.code32 === c.code32 && eip + b.bytes <= c.fetchHi) return b;
  return buildBlock(c, page, off);
}

/** Runs instruction i of a block through the opcode table's handler, with EIP and the count published. */
function runTable(c: Cpu, b: Block, i: number, start: number, next: number): void {
  c.instrStart = start;
  c.eip = next;
  const k = b.words[i * BW + W_ENTRY];
  c.unpackEntry(b.entries, k, b.entries[k]);
  b.handlers[i](c);
}

/** Blocks run per call: the loop returns now and then, so that V8 optimises it as a whole function. */
const BLOCKS_PER_CALL = 64;

/**
 * Runs instructions from CS:EIP until `end` instructions have retired, something needs the run
 * loop's attention (interrupts, traps, a stop, a write to cached code), or a number of blocks have
 * run. Faults propagate with `instructions`, `instrStart` and the registers as at the start of
 * the faulting instruction.
 */
export function runBlocks(c: Cpu, end: number): void {
  const regs = c.regs;
  let w: Int32Array = NO_WORDS;
  let base = 0, eip0 = 0, p = 0;
  let inBlock = false;
  try {
    blocks: for (let count = 0; count < BLOCKS_PER_CALL && c.instructions < end && !c.attention; count++) {
      const b = blockHere(c);
      if (b === null) {
        c.step();
        c.instructions++;
        return;
      }
      w = b.words;
      base = c.instructions;
      eip0 = c.eip;
      p = 0;
      // The budget left may be a large double; the stop index is kept a small integer.
      const left = end - base;
      const stop = (left < b.n ? left | 0 : b.n) * BW;
      inBlock = true;
      run: for (;;) {
        const h = w[p];
        const form = h & 0xff;
        switch (form) {
          case Form.Table: {
            const hi = c.fetchHi;
            const next = eip0 + (h >>> HEAD_END_SHIFT);
            c.instructions = base + (p >> 3);
            runTable(c, b, p >> 3, p === 0 ? eip0 : eip0 + (w[p - BW] >>> HEAD_END_SHIFT), next);
            c.instructions++;
            // Anything but falling through to the next instruction ends the block here (EIP and
            // the count are as the handler left them).
            if (c.eip !== next || c.instructions !== base + (p >> 3) + 1 || c.attention || c.fetchHi !== hi) {
              inBlock = false;
              continue blocks;
            }
            break;
          }
          case Form.Nop:
            break;
          case Form.AluRR: {
            const d = w[p + W_A];
            regs[d] = alu32(c, (h >>> HEAD_OP_SHIFT) & 15, regs[d], regs[w[p + W_B]]);
            break;
          }
          case Form.AluRI: {
            const d = w[p + W_A];
            regs[d] = alu32(c, (h >>> HEAD_OP_SHIFT) & 15, regs[d], w[p + W_IMM]);
            break;
          }
          case Form.Inc:
          case Form.Dec: {
            const d = w[p + W_A];
            regs[d] = incDec32(c, regs[d], form === Form.Dec);
            break;
          }
          case Form.MovRR:
            regs[w[p + W_A]] = regs[w[p + W_B]];
            break;
          case Form.MovRI:
            regs[w[p + W_A]] = w[p + W_IMM];
            break;
          case Form.Lea:
            regs[w[p + W_A]] = ea(regs, w, p);
            break;
          case Form.ShiftRI: {
            const d = w[p + W_A];
            regs[d] = shift32(c, (h >>> HEAD_OP_SHIFT) & 15, regs[d], w[p + W_IMM]);
            break;
          }
          case Form.Jcc: {
            const next = eip0 + (h >>> HEAD_END_SHIFT);
            const cc = (h >>> HEAD_OP_SHIFT) & 15;
            // jz and jnz, the commonest, test ZF here; the others go through ops/cond.ts.
            const taken = (cc & 14) === 4 ? ((c.lazyMask & ZF) !== 0 ? c.lazyRes === 0 : (c.flags & ZF) !== 0) !== ((cc & 1) !== 0) : cond(c, cc);
            c.eip = taken ? target(c, next + w[p + W_IMM]) : next;
            p += BW;
            break run;
          }
          case Form.Jmp:
            c.eip = target(c, eip0 + (h >>> HEAD_END_SHIFT) + w[p + W_IMM]);
            p += BW;
            break run;
          case Form.JmpR:
          case Form.JmpM:
          case Form.Call:
          case Form.CallR:
          case Form.CallM:
          case Form.Ret:
          case Form.RetI:
          case Form.Loop:
            c.eip = eip0 + (h >>> HEAD_END_SHIFT);
            b.calls[p >> 3](c, w, p);
            p += BW;
            break run;
          default:
            b.calls[p >> 3](c, w, p);
        }
        p += BW;
        if (p === stop) {
          c.eip = eip0 + (w[p - BW] >>> HEAD_END_SHIFT);
          break;
        }
        if (form >= Form.AluRM && c.attention) {
          c.eip = eip0 + (h >>> HEAD_END_SHIFT);
          break;
        }
      }
      inBlock = false;
      c.instructions = base + (p >> 3);
    }
  } catch (error) {
    if (inBlock) {
      c.instructions = base + (p >> 3);
      c.instrStart = p === 0 ? eip0 : eip0 + (w[p - BW] >>> HEAD_END_SHIFT);
    }
    throw error;
  }
}

const NO_WORDS = new Int32Array(BW);
