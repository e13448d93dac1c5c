// Steps the PC through passes of a guest loop, one instruction at a time, and prices every
// retired instruction with the cost model (cycle-model.ts): ring 3 and ring 0 alike, so a pass
// holds the library wrapper, the entry, the kernel's bridge call and the way back.
import { Decoder, DecoderOptions, type Instruction } from 'iced-x86';
import type { Cpu } from '../../machine/cpu/cpu.ts';
import type { PC } from '../../machine/pc.ts';
import { priceInstruction } from './cycle-model.ts';

/** One pass of the loop: from an arrival at its first instruction to the next arrival. */
export interface Pass {
  instructions: number;
  cycles: number;
  /** Instructions and cycles by cost class name. */
  byClass: Map<string, { count: number; cycles: number }>;
}

/** The guest loop: its first instruction and the address past its last, in ring 3. */
export interface LoopBounds {
  start: number;
  end: number;
}

const CS = 1;
const MAX_INSTRUCTION_BYTES = 15;
/** How far the PC runs between looks for the loop before stepping. */
const SEEK_SLICE = 997;
/** A bound on the instructions of one pass, so a loop that never comes back ends the benchmark. */
const MAX_PASS_INSTRUCTIONS = 1_000_000;
const CALL_GATE_32 = 0x0c;

/** Decodes the instruction at `eip` in the current code segment (the caller frees it). */
function decodeAt(cpu: Cpu, eip: number): Instruction {
  const bytes = cpu.peekLinear((cpu.segBase[CS]! + eip) >>> 0, MAX_INSTRUCTION_BYTES);
  const mapped = bytes.indexOf(null);
  const code = Uint8Array.from((mapped < 0 ? bytes : bytes.slice(0, mapped)) as number[]);
  const decoder = new Decoder(32, code, DecoderOptions.None);
  decoder.ip = BigInt(eip >>> 0);
  try {
    return decoder.decode();
  } finally {
    decoder.free();
  }
}

/** The parameter count of the call gate a direct far call names, or undefined. */
function gateParameters(cpu: Cpu, instruction: Instruction): number | undefined {
  if (!instruction.isCallFar) return undefined;
  const selector = instruction.farBranchSelector;
  if (selector & 4) return undefined; // an LDT selector: this kernel has no LDT
  const descriptor = cpu.peekLinear((cpu.gdtBase + (selector & ~7)) >>> 0, 8);
  const type = descriptor[5];
  return type !== null && type !== undefined && (type & 0x1f) === CALL_GATE_32 ? (descriptor[4] ?? 0) & 0x1f : undefined;
}

function addTo(pass: Pass, instruction: Instruction, cplBefore: number, cplAfter: number, gate: number | undefined): void {
  const { cls, cycles } = priceInstruction(instruction, { cplBefore, cplAfter, gateParameters: gate });
  pass.instructions++;
  pass.cycles += cycles;
  const entry = pass.byClass.get(cls.name) ?? { count: 0, cycles: 0 };
  entry.count++;
  entry.cycles += cycles;
  pass.byClass.set(cls.name, entry);
}

/**
 * Executes one instruction and prices it. When an interrupt or exception was delivered first,
 * the instruction that retired is the handler's first: it is decoded where it ran and priced
 * as an instruction of ring 0 (the delivery itself is not an instruction and costs nothing here).
 */
function step(pc: PC, pass: Pass): void {
  const cpu = pc.cpu;
  const eip = cpu.eip >>> 0;
  const cplBefore = cpu.cpl;
  const planned = decodeAt(cpu, eip);
  try {
    const gate = gateParameters(cpu, planned);
    const before = cpu.instructions;
    pc.run({ instructions: 1 });
    if (cpu.instructions === before) return; // hlt: nothing retired
    if (cpu.instrStart >>> 0 === eip) {
      addTo(pass, planned, cplBefore, cpu.cpl, gate);
      return;
    }
    const ran = decodeAt(cpu, cpu.instrStart);
    try {
      addTo(pass, ran, cpu.cpl, cpu.cpl, undefined);
    } finally {
      ran.free();
    }
  } finally {
    planned.free();
  }
}

const atStart = (cpu: Cpu, loop: LoopBounds): boolean => cpu.cpl === 3 && cpu.eip >>> 0 === loop.start;
const inLoop = (cpu: Cpu, loop: LoopBounds): boolean => cpu.cpl === 3 && cpu.eip >>> 0 >= loop.start && cpu.eip >>> 0 < loop.end;

/**
 * Runs the PC until it is in the loop, then steps `count` whole passes, pricing each retired
 * instruction. Null when `finished()` (the program ended: it has no such loop to run) comes first.
 */
export function pricePasses(pc: PC, loop: LoopBounds, count: number, finished: () => boolean): Pass[] | null {
  while (!inLoop(pc.cpu, loop)) {
    if (finished()) return null;
    pc.run({ instructions: SEEK_SLICE });
  }
  while (!atStart(pc.cpu, loop)) pc.run({ instructions: 1 });
  const passes: Pass[] = [];
  for (let i = 0; i < count; i++) {
    const pass: Pass = { instructions: 0, cycles: 0, byClass: new Map() };
    do {
      step(pc, pass);
      if (pass.instructions > MAX_PASS_INSTRUCTIONS) throw new Error(`a pass of the loop at ${loop.start.toString(16)} did not come back`);
    } while (!atStart(pc.cpu, loop));
    passes.push(pass);
  }
  return passes;
}

/** The pass in the middle when sorted by cycles: an interrupt that happened to land in one pass does not move it. */
export function medianPass(passes: readonly Pass[]): Pass {
  const sorted = [...passes].sort((a, b) => a.cycles - b.cycles);
  return sorted[Math.floor(sorted.length / 2)]!;
}
