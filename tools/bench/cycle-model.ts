// The cost model of the mechanism benchmark: emulated cycles for each retired guest instruction,
// by class. The emulator itself counts instructions, not cycles; the model prices the actual
// instruction stream of a system call so that mechanisms can be compared the way seed 001
// compares them on hardware. Every figure below names where it comes from; the per-mechanism
// results are only these figures summed over what the CPU really executed.
//
// Sources:
//   [seed]  Seed 001's own benchmark, github.com/blitz/kernel_entry_benchmark, README: round
//           trips on an Intel CPU (under KVM, which lets these instructions run natively),
//           each kernel side being the lone return instruction: "Interrupt Gate,610",
//           "Call Gate,473", "Syscall,99" cycles.
//   [286]   Intel 80286 Programmer's Reference Manual, instruction set (clocks): INT to a more
//           privileged level 78; IRET to a lesser privilege 55; RET far to a lesser privilege
//           55; CALL through a call gate to a more privileged level 82 without parameters,
//           86 + 4x with x parameters (the model keeps the 4 per parameter against the 82).
//   [K8]    AMD, Software Optimization Guide for AMD64 Processors (25112 rev. 3.06, 2005),
//           appendix C, table 13 "Integer Instructions" (latency): SYSCALL 27, SYSRET 35
//           (SYSENTER and SYSEXIT are listed without a figure); MOV sreg, reg 8; MOV sreg,
//           mem16 10; register forms of MOV, ALU, PUSH, POP, branches 1.
// Hardware only publishes round trips for the transitions, so each round trip of [seed] is
// split between its entry and its exit in the proportions of [286]/[K8]: see transitions().
import { Mnemonic, OpKind, Register, type Instruction } from 'iced-x86';

/** A class of instructions and what one costs. */
export interface CostClass {
  readonly name: string;
  readonly cycles: number;
}

/** The raw figures, as the sources give them. */
const SEED_ROUND_TRIP = { interruptGate: 610, callGate: 473, syscall: 99 } as const;
const I286 = { intInner: 78, iretOuter: 55, retfOuter: 55, callGate: 82, perParam: 4 } as const;
const K8 = { syscall: 27, sysret: 35, movSregReg: 8, movSregMem: 10, simple: 1 } as const;

/**
 * The work of the TypeScript kernel in one bridge call (`vmcall`), priced as the C code a real
 * kernel runs between its entry stub and its return for getpid: Linux i386's number check and
 * `call *sys_call_table(,%eax,4)`, sys_getpid reading current->tgid, the store of the result
 * in the frame and the exit path's check for pending work: about 20 simple instructions at one
 * cycle each [K8]. The same for every mechanism, so it shifts the bars without reordering them.
 */
const KERNEL_SERVICE_CYCLES = 20;

/** Entry and exit of each transition, split as described at the top of the file. */
function transitions(): Record<'int' | 'iret' | 'callGate' | 'perParam' | 'retf' | 'syscall' | 'sysret', number> {
  // Both returns to a lesser privilege cost the 286 the same 55 clocks; their share of the
  // interrupt round trip is the 286's IRET share of INT + IRET.
  const ret = (SEED_ROUND_TRIP.interruptGate * I286.iretOuter) / (I286.intInner + I286.iretOuter);
  const callGate = SEED_ROUND_TRIP.callGate - ret;
  const fast = SEED_ROUND_TRIP.syscall / (K8.syscall + K8.sysret);
  return {
    int: SEED_ROUND_TRIP.interruptGate - ret,
    iret: ret,
    retf: (ret * I286.retfOuter) / I286.iretOuter,
    callGate,
    perParam: (callGate * I286.perParam) / I286.callGate,
    syscall: fast * K8.syscall,
    sysret: fast * K8.sysret,
  };
}

const T = transitions();
const cost = (name: string, cycles: number): CostClass => ({ name, cycles: Math.round(cycles) });

/** The classes, for the table in the README and the bench output. */
export const COST_CLASSES = {
  simple: cost('other instruction', K8.simple),
  segmentLoad: cost('segment register load from a register', K8.movSregReg),
  segmentLoadMemory: cost('segment register load from memory (mov, pop)', K8.movSregMem),
  int: cost('int n to ring 0', T.int),
  iret: cost('iret to ring 3', T.iret),
  callGate: cost('call far through a call gate to ring 0, no parameter', T.callGate),
  retf: cost('retf to ring 3', T.retf),
  sysenter: cost('sysenter (as syscall)', T.syscall),
  sysexit: cost('sysexit (as sysret)', T.sysret),
  syscall: cost('syscall', T.syscall),
  sysret: cost('sysret', T.sysret),
  kernel: cost('the TypeScript kernel in a bridge call (vmcall)', KERNEL_SERVICE_CYCLES),
} as const;

/** A call gate's extra cost for the dwords it copies from the user stack to the kernel stack. */
export const CALL_GATE_CYCLES_PER_PARAMETER = Math.round(T.perParam);

const SEGMENT_REGISTERS = new Set<Register>([Register.ES, Register.CS, Register.SS, Register.DS, Register.FS, Register.GS]);

/** What an instruction needs to know about the machine to be priced. */
export interface PricingContext {
  /** The CPL before the instruction. */
  readonly cplBefore: number;
  /** The CPL after it. */
  readonly cplAfter: number;
  /** For a far call through a call gate: the gate's parameter count. */
  readonly gateParameters?: number;
}

/** The class and cycles of one retired instruction. */
export function priceInstruction(instruction: Instruction, context: PricingContext): { cls: CostClass; cycles: number } {
  const c = COST_CLASSES;
  const changesPrivilege = context.cplBefore !== context.cplAfter;
  const one = (cls: CostClass): { cls: CostClass; cycles: number } => ({ cls, cycles: cls.cycles });
  switch (instruction.mnemonic) {
    case Mnemonic.Int:
    case Mnemonic.Int3:
    case Mnemonic.Into:
      return one(changesPrivilege ? c.int : c.simple);
    case Mnemonic.Iret:
    case Mnemonic.Iretd:
      return one(changesPrivilege ? c.iret : c.simple);
    case Mnemonic.Retf:
      return one(changesPrivilege ? c.retf : c.simple);
    case Mnemonic.Call:
      if (instruction.isCallFar || instruction.isCallFarIndirect) {
        if (!changesPrivilege) return one(c.simple);
        const params = context.gateParameters ?? 0;
        return { cls: c.callGate, cycles: c.callGate.cycles + params * CALL_GATE_CYCLES_PER_PARAMETER };
      }
      return one(c.simple);
    case Mnemonic.Sysenter:
      return one(c.sysenter);
    case Mnemonic.Sysexit:
      return one(c.sysexit);
    case Mnemonic.Syscall:
      return one(c.syscall);
    case Mnemonic.Sysret:
      return one(c.sysret);
    case Mnemonic.Vmcall:
      return one(c.kernel);
    case Mnemonic.Mov:
    case Mnemonic.Pop:
      if (instruction.opCount > 0 && instruction.op0Kind === OpKind.Register && SEGMENT_REGISTERS.has(instruction.op0Register)) {
        const fromRegister = instruction.mnemonic === Mnemonic.Mov && instruction.op1Kind === OpKind.Register;
        return one(fromRegister ? c.segmentLoad : c.segmentLoadMemory);
      }
      return one(c.simple);
    case Mnemonic.Lds:
    case Mnemonic.Les:
    case Mnemonic.Lfs:
    case Mnemonic.Lgs:
    case Mnemonic.Lss:
      return one(c.segmentLoadMemory);
    default:
      return one(c.simple);
  }
}
