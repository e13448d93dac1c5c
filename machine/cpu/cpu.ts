// The processor: instruction decode and dispatch, the run loop with interrupts at instruction
// boundaries, exception delivery with the double- and triple-fault rules, and the public API.
import type { InterruptSource, PortIo } from '../interfaces.ts';
import type { PhysicalMemory } from '../memory/physical.ts';
import { CR0_CD, CR0_ET, CR0_NW, CS, DB, DF_VEC, EDX, FLAGS_FIXED, IF, LDTR, RF, SEG_NAMES, TF, TR } from './constants.ts';
import { cpuSignature, FEATURE_SEP, FEATURES_EDX, type Vendor } from './cpuid.ts';
import { CpuFault, faultClass } from './fault.ts';
import { deliverInterrupt, KIND_EXCEPTION, KIND_EXTERNAL } from './interrupts.ts';
import { runBlocks } from './block-run.ts';
import { runBlocks64 } from './block-run64.ts';
import { CpuDecoder } from './decoder.ts';
import { MSR64_SLOTS } from './msr.ts';
import { peekTranslate } from './peek.ts';
import { primeRunLoop } from './priming.ts';
import { afterCacheChange } from './segmentation.ts';

/** Why `run` returned. */
export type StopReason = 'budget' | 'hlt' | 'triple-fault' | 'stopped' | 'internal-error';

/** A TypeScript function the guest reaches with `vmcall` in ring 0. */
export type NativeHandler = (cpu: Cpu) => void;

/** What a CPU is built from. */
export interface CpuOptions {
  memory: PhysicalMemory;
  io: PortIo;
  interrupts: InterruptSource;
  vendor?: Vendor;
  /** false: a part without SYSENTER/SYSEXIT (CPUID.1:EDX.SEP clear, the instructions #UD, their MSRs #GP), as QEMU's `-cpu ...,-sep`. */
  sep?: boolean;
  /** Where diagnostics go (unimplemented opcodes, task gates); defaults to stderr. */
  log?: (message: string) => void;
}

/** An x86 processor from the 386 to the Pentium Pro, in real and 32-bit protected mode. */
export class Cpu extends CpuDecoder {
  readonly io: PortIo;
  readonly intr: InterruptSource;
  readonly vendor: Vendor;
  /** What CPUID.1:EDX reports: the features this part has. */
  readonly features: number;
  readonly log: (message: string) => void;

  // ---- run-loop state
  /** Instructions retired since reset (each iteration of a rep string counts as one). */
  instructions = 0;
  /** Something needs looking at before the next instruction (interrupts, traps, stop, hlt). */
  attention = true;
  /** The interrupt controller may have a request (set after I/O and when IF becomes 1). */
  checkIrq = true;
  /** Interrupts are inhibited until `instructions` reaches this (sti, mov ss, pop ss). */
  shadowEnd = 0;
  /** A single-step #DB is due at the next boundary. */
  stepTrapPending = false;
  halted = false;
  stopRequested = false;
  /** Why the CPU shut down (triple fault), or null while it runs. */
  shutdownReport: string | null = null;
  /** The handler `vmcall` reaches in ring 0; null makes vmcall #UD. */
  nativeHandler: NativeHandler | null = null;

  // ---- model-specific registers
  sysenterCs = 0;
  sysenterEsp = 0;
  sysenterEip = 0;
  /** High halves of SYSENTER_ESP and SYSENTER_EIP (sysenter in long mode). */
  sysenterEspHi = 0;
  sysenterEipHi = 0;
  tscOffset = 0;
  /** STAR, LSTAR, CSTAR, FMASK, KERNEL_GS_BASE as halves (slots in msr.ts). */
  readonly msr64 = new Int32Array(MSR64_SLOTS);

  private readonly loggedOnce = new Set<string>();

  /** Builds a CPU in its power-on state. */
  constructor(options: CpuOptions) {
    super(options.memory);
    this.io = options.io;
    this.intr = options.interrupts;
    this.vendor = options.vendor ?? 'intel';
    this.features = options.sep === false ? FEATURES_EDX & ~FEATURE_SEP : FEATURES_EDX;
    this.amdBranches = this.vendor === 'amd';
    this.log = options.log ?? ((m) => process.stderr.write(`cpu: ${m}\n`));
    this.decoded.onDrop = () => {
      this.attention = true;
    };
    this.reset();
    primeRunLoop();
  }

  /** Puts every register in its RESET state (manuals' table "IA-32 Processor States Following Power-up"). */
  reset(): void {
    this.regs.fill(0);
    this.regsHi.fill(0);
    this.regs[EDX] = cpuSignature(this.vendor);
    this.eip = 0xfff0;
    this.flags = FLAGS_FIXED;
    this.lazyMask = 0;
    this.cr0 = CR0_CD | CR0_NW | CR0_ET;
    this.cr2 = this.cr3 = this.cr4 = 0;
    this.efer = this.cr2Hi = this.ripHi = 0;
    this.gdtBaseHi = this.idtBaseHi = 0;
    this.segBaseHi.fill(0);
    this.dr.fill(0);
    this.dr[6] = 0xffff0ff0 | 0;
    this.dr[7] = 0x400;
    this.updateBreakpoints();
    this.gdtBase = this.idtBase = 0;
    this.gdtLimit = this.idtLimit = 0xffff;
    for (let s = 0; s < 6; s++) {
      this.segSel[s] = 0;
      this.segBase[s] = 0;
      this.segLimit[s] = 0xffff;
      this.segAttr[s] = 0x93;
    }
    this.segSel[CS] = 0xf000;
    this.segBase[CS] = 0xffff0000 | 0;
    this.segAttr[CS] = 0x9b;
    this.segAttr[LDTR] = 0x82;
    this.segAttr[TR] = 0x8b;
    for (const s of [LDTR, TR]) {
      this.segSel[s] = this.segBase[s] = 0;
      this.segLimit[s] = 0xffff;
    }
    for (let s = 0; s < 6; s++) afterCacheChange(this, s);
    // Real mode allows reads and writes through CS as through any segment.
    this.segWLo[CS] = 0;
    this.segWHi[CS] = 0xffff;
    this.setCpl(0);
    this.flushTlb();
    this.sysenterCs = this.sysenterEsp = this.sysenterEip = this.sysenterEspHi = this.sysenterEipHi = 0;
    this.tscOffset = 0;
    this.msr64.fill(0);
    this.halted = false;
    this.shutdownReport = null;
    this.stepTrapPending = false;
    this.shadowEnd = 0;
    this.attention = this.checkIrq = true;
  }

  /** Logs a diagnostic once per distinct message. */
  logOnce(message: string): void {
    if (this.loggedOnce.has(message)) return;
    this.loggedOnce.add(message);
    this.log(message);
  }

  /** Executes one instruction (faults propagate as CpuFault). */
  step(): void {
    this.decodeHandler()(this);
  }

  // ---- run loop

  /** Runs up to `maxInstructions` instructions and says why it stopped; never throws for guest behaviour. */
  run(maxInstructions: number): StopReason {
    if (this.shutdownReport !== null) return 'triple-fault';
    this.stopRequested = false;
    this.attention = this.checkIrq = true;
    const end = this.instructions + maxInstructions;
    while (this.instructions < end) {
      try {
        if (this.loop(end)) break;
      } catch (error) {
        if (error instanceof CpuFault) {
          this.eip = this.instrStart;
          this.stepTrapPending = false;
          this.dataBreakpointHits = 0;
          this.deliverException(error.vector, error.code, true);
        } else {
          const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
          this.shutdownReport = `internal error at ${this.whereReport()}: ${message}`;
          this.log(this.shutdownReport);
          return 'internal-error';
        }
      }
      if (this.shutdownReport !== null) return 'triple-fault';
    }
    if (this.shutdownReport !== null) return 'triple-fault';
    if (this.halted) return 'hlt';
    if (this.stopRequested) return 'stopped';
    return 'budget';
  }

  /**
   * The inner loop; returns true when the run must stop before `end`. While nothing needs
   * looking at between instructions, cached blocks run; otherwise one instruction at a time.
   */
  private loop(end: number): boolean {
    while (this.instructions < end) {
      if (this.attention) {
        if (this.serviceBoundary()) return true;
        if (this.attention) {
          this.step();
          this.instructions++;
          continue;
        }
      }
      if (this.mode64 !== 0) runBlocks64(this, end);
      else runBlocks(this, end);
    }
    return false;
  }

  /** Work between instructions: single-step traps, stop requests, interrupts, hlt. */
  private serviceBoundary(): boolean {
    this.instrStart = this.eip;
    if (this.stepTrapPending || this.dataBreakpointHits !== 0) {
      // Traps of the previous instruction: single step (BS) and data breakpoints (B0-B3).
      this.dr[6] |= (this.stepTrapPending ? 0x4000 : 0) | this.dataBreakpointHits;
      this.stepTrapPending = false;
      this.dataBreakpointHits = 0;
      this.deliverEvent(DB, -1, KIND_EXCEPTION, false);
    }
    if (this.stopRequested || this.shutdownReport !== null) return true;
    const shadowed = this.instructions < this.shadowEnd;
    if (this.checkIrq && !shadowed) {
      if ((this.flags & IF) === 0 || !this.intr.pending()) {
        this.checkIrq = false;
      } else {
        this.halted = false;
        const vector = this.intr.acknowledge() & 0xff;
        this.deliverEvent(vector, -1, KIND_EXTERNAL, false);
        // Another request may be waiting behind this one.
        this.checkIrq = true;
      }
    }
    if (this.halted) return true;
    // An instruction breakpoint is a fault before the instruction, unless RF suppresses it.
    if (this.execBreakpoints !== 0 && (this.flags & RF) === 0) this.checkInstructionBreakpoints();
    if (this.flags & RF) this.flags &= ~RF;
    if ((this.flags & TF) !== 0 && !shadowed) this.stepTrapPending = true;
    this.attention = this.checkIrq || shadowed || this.stepTrapPending || (this.execBreakpoints | this.dataBreakpoints) !== 0;
    return false;
  }

  private checkInstructionBreakpoints(): void {
    const lin = (this.segBase[CS] + this.eip) | 0;
    let hits = 0;
    for (let i = 0; i < 4; i++) if (((this.execBreakpoints >>> i) & 1) !== 0 && this.dr[i] === lin) hits |= 1 << i;
    if (hits === 0) return;
    this.dr[6] |= hits;
    this.deliverEvent(DB, -1, KIND_EXCEPTION, false);
  }

  /** Delivers an interrupt or trap at a boundary; a fault while doing so becomes an exception. */
  private deliverEvent(vector: number, code: number, kind: number, isFault: boolean): void {
    try {
      deliverInterrupt(this, vector, code, kind, isFault);
    } catch (error) {
      if (!(error instanceof CpuFault)) throw error;
      this.eip = this.instrStart;
      this.deliverException(error.vector, error.code, true);
    }
  }

  /** Delivers an exception, escalating to #DF and to a triple fault by the manuals' rules. */
  deliverException(vector: number, code: number, isFault: boolean): void {
    try {
      deliverInterrupt(this, vector, code, KIND_EXCEPTION, isFault);
    } catch (error) {
      if (!(error instanceof CpuFault)) throw error;
      this.eip = this.instrStart;
      if (vector === DF_VEC) {
        this.tripleFault(`${new CpuFault(vector, code).describe()} could not be delivered: ${error.describe()}`);
        return;
      }
      const first = faultClass(vector), second = faultClass(error.vector);
      if ((first === 1 && second === 1) || (first === 2 && second !== 0)) this.deliverException(DF_VEC, 0, true);
      else this.deliverException(error.vector, error.code, true);
    }
  }

  private tripleFault(why: string): void {
    this.shutdownReport = `triple fault at ${this.whereReport()}: ${why}`;
    this.halted = true;
  }

  /** Sets up the interrupt shadow after sti, mov ss or pop ss. */
  inhibitInterrupts(): void {
    this.shadowEnd = this.instructions + 2;
    this.attention = true;
  }

  /** Called when IF may have become 1 or a device may have changed its request. */
  pollInterrupts(): void {
    this.checkIrq = true;
    this.attention = true;
  }

  /** Asks `run` to return 'stopped' at the next instruction boundary (for native handlers). */
  requestStop(): void {
    this.stopRequested = true;
    this.attention = true;
  }

  // ---- inspection without side effects

  /** Registers, flags and segments in one object, for tests, debuggers and reports. */
  snapshot(): CpuSnapshot {
    const r = this.regs;
    const segs: Record<string, SegmentSnapshot> = {};
    SEG_NAMES.forEach((name, s) => {
      segs[name] = { selector: this.segSel[s], base: this.segBase[s] >>> 0, limit: this.segLimit[s], attributes: this.segAttr[s] };
    });
    return {
      eax: r[0] >>> 0, ecx: r[1] >>> 0, edx: r[2] >>> 0, ebx: r[3] >>> 0,
      esp: r[4] >>> 0, ebp: r[5] >>> 0, esi: r[6] >>> 0, edi: r[7] >>> 0,
      eip: this.eip >>> 0,
      eflags: this.getEflags() >>> 0,
      cpl: this.cpl,
      cr0: this.cr0 >>> 0, cr2: this.cr2 >>> 0, cr3: this.cr3 >>> 0, cr4: this.cr4 >>> 0,
      gdtr: { base: this.gdtBase >>> 0, limit: this.gdtLimit },
      idtr: { base: this.idtBase >>> 0, limit: this.idtLimit },
      segments: segs,
    };
  }

  /** Reads linear memory as the CPU would at CPL 0, without faults, TLB fills or A/D updates; unmapped bytes are null. */
  peekLinear(lin: number, length: number): Array<number | null> {
    const out: Array<number | null> = [];
    for (let i = 0; i < length; i++) {
      const phys = peekTranslate(this, (lin + i) | 0);
      out.push(phys < 0 ? null : this.mem.read8(phys));
    }
    return out;
  }

  /**
   * Reads linear memory as ring-0 code would (paging, accessed bits), for native handlers
   * copying from guest buffers; null when a page is not accessible (CR2 is left untouched).
   */
  readLinear(lin: number, length: number): Uint8Array | null {
    const cr2 = this.cr2;
    const out = new Uint8Array(length);
    try {
      for (let i = 0; i < length; i++) out[i] = this.mem.read8(this.translate((lin + i) | 0, false, false));
    } catch (error) {
      if (!(error instanceof CpuFault)) throw error;
      this.cr2 = cr2;
      return null;
    }
    return out;
  }

  /** Writes linear memory as ring-0 code would (paging, CR0.WP, dirty bits); false if a page is not writable, with nothing written. */
  writeLinear(lin: number, bytes: Uint8Array): boolean {
    const cr2 = this.cr2;
    try {
      for (let page = lin & ~0xfff; page < lin + bytes.length; page += 0x1000) this.translate(Math.max(page, lin) | 0, true, false);
    } catch (error) {
      if (!(error instanceof CpuFault)) throw error;
      this.cr2 = cr2;
      return false;
    }
    for (let i = 0; i < bytes.length; i++) this.mem.write8(this.translate((lin + i) | 0, true, false), bytes[i]);
    return true;
  }

  private whereReport(): string {
    const s = this.snapshot();
    const hex = (v: number) => v.toString(16).padStart(8, '0');
    return (
      `cs:eip=${this.segSel[CS].toString(16).padStart(4, '0')}:${hex(s.eip)} ` +
      `eax=${hex(s.eax)} ebx=${hex(s.ebx)} ecx=${hex(s.ecx)} edx=${hex(s.edx)} esi=${hex(s.esi)} edi=${hex(s.edi)} ` +
      `ebp=${hex(s.ebp)} esp=${hex(s.esp)} eflags=${hex(s.eflags)} cr0=${hex(s.cr0)} cr2=${hex(s.cr2)} cr3=${hex(s.cr3)}`
    );
  }
}

/** A segment register as `snapshot` reports it. */
export interface SegmentSnapshot {
  selector: number;
  base: number;
  limit: number;
  attributes: number;
}

/** The registers as `snapshot` reports them (all unsigned). */
export interface CpuSnapshot {
  eax: number; ecx: number; edx: number; ebx: number;
  esp: number; ebp: number; esi: number; edi: number;
  eip: number;
  eflags: number;
  cpl: number;
  cr0: number; cr2: number; cr3: number; cr4: number;
  gdtr: { base: number; limit: number };
  idtr: { base: number; limit: number };
  segments: Record<string, SegmentSnapshot>;
}
