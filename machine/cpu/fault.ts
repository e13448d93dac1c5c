// Exceptions raised while executing an instruction travel as thrown CpuFault objects and are
// caught at the instruction boundary, where the CPU delivers them through the IVT or IDT.
import { EXCEPTION_NAMES } from './constants.ts';

/** An exception with its vector and error code (-1 when the vector pushes none). */
export class CpuFault {
  constructor(
    readonly vector: number,
    readonly code: number,
  ) {}

  /** A short human-readable form such as "#GP(0x0010)". */
  describe(): string {
    const name = EXCEPTION_NAMES[this.vector] ?? `vector ${this.vector}`;
    return this.code >= 0 ? `${name}(0x${this.code.toString(16).padStart(4, '0')})` : name;
  }
}

/** Throws #GP with the given error code. */
export function gp(code: number): never {
  throw new CpuFault(13, code & 0xffff);
}

/** Throws #UD. */
export function ud(): never {
  throw new CpuFault(6, -1);
}

/** Whether an exception vector pushes an error code in protected mode. */
export function hasErrorCode(vector: number): boolean {
  return vector === 8 || (vector >= 10 && vector <= 14) || vector === 17;
}

/** Exception class for the double-fault rules: 0 benign, 1 contributory, 2 page fault. */
export function faultClass(vector: number): number {
  if (vector === 14) return 2;
  if (vector === 0 || (vector >= 10 && vector <= 13)) return 1;
  return 0;
}
