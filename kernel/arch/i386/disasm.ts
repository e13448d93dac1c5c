// The faulting instruction of a kernel panic, as NASM would write it. The kernel reads its own
// code through physical memory (its half maps RAM at KERNEL_BASE), never through the CPU.
import { Decoder, DecoderOptions, Formatter, FormatterSyntax } from 'iced-x86';
import type { PhysicalMemory } from '../../mm/phys.ts';
import { KERNEL_BASE } from './address-space.ts';

/** The longest x86 instruction. */
const MAX_INSTRUCTION_BYTES = 15;

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/**
 * The ring-0 instruction at `eip` (a flat CS, as every kernel selector is): its bytes and NASM
 * text, or a note when they are not in RAM. Never throws.
 */
export function kernelInstructionAt(mem: PhysicalMemory, eip: number): string {
  // Above KERNEL_BASE the kernel mapping; below it only the startup code runs in ring 0, with
  // paging off or through the boot's 1:1 map, so the address is physical.
  const pa = eip >>> 0 >= KERNEL_BASE ? (eip >>> 0) - KERNEL_BASE : eip >>> 0;
  const end = Math.min(pa + MAX_INSTRUCTION_BYTES, mem.size);
  if (pa >= end) return '(not in RAM)';
  const code = mem.bytes.slice(pa, end);
  const decoder = new Decoder(32, code, DecoderOptions.None);
  const formatter = new Formatter(FormatterSyntax.Nasm);
  try {
    decoder.ip = BigInt(eip >>> 0);
    const instruction = decoder.decode();
    const length = instruction.length;
    const text = length > 0 && !instruction.isInvalid ? formatter.format(instruction) : '(undecodable)';
    instruction.free();
    const shown = Array.from(code.subarray(0, Math.max(1, length)), hex2).join(' ');
    return `${shown}  ${text}`;
  } catch {
    return '(undecodable)';
  } finally {
    decoder.free();
    formatter.free();
  }
}
