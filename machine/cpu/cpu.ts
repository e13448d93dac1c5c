// The processor: instruction decode and dispatch, the run loop with interrupts at instruction
// boundaries, exception delivery with the double- and triple-fault rules, and the public API.
import type { InterruptSource, PortIo } from '../interfaces.ts';
import type { PhysicalMemory } from '../memory/physical.ts';
import { CR0_CD, CR0_ET, CR0_NW, CS, DB, DF_VEC, DS, EBP, EBX, EDI, EDX, ES, ESI, ESP, FLAGS_FIXED, FS, GS, IF, LDTR, RF, SEG_NAMES, SS, TF, TR } from './constants.ts';
import { cpuSignature, type Vendor } from './cpuid.ts';
import { D_CHECK, D_GROUP, D_IMM1_SHIFT, D_IMM2_SHIFT, D_IMM_TEST, D_MODRM, D_REGONLY, IMM_B, IMM_FAR, IMM_MOFFS, IMM_W, IMM_Z } from './decode-flags.ts';
import { CpuFault, faultClass, gp, ud } from './fault.ts';
import { deliverInterrupt, KIND_EXCEPTION, KIND_EXTERNAL } from './interrupts.ts';
import { CpuMemory } from './mem.ts';
import { DECODE, GROUP_HANDLERS, GROUP_VALID, HANDLERS, LOCK_MASK, MEM_ONLY } from './opcodes.ts';
import { peekTranslate } from './peek.ts';
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
  /** Where diagnostics go (unimplemented opcodes, task gates); defaults to stderr. */
  log?: (message: string) => void;
}

// Prefix bytes: 1 operand size, 2 address size, 3 segment, 4 lock, 5 rep/repne.
const PREFIX_KIND = new Uint8Array(256);
PREFIX_KIND[0x66] = 1;
PREFIX_KIND[0x67] = 2;
for (const b of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) PREFIX_KIND[b] = 3;
PREFIX_KIND[0xf0] = 4;
PREFIX_KIND[0xf2] = PREFIX_KIND[0xf3] = 5;
const SEG_OF_PREFIX = new Int8Array(256);
SEG_OF_PREFIX[0x26] = ES;
SEG_OF_PREFIX[0x2e] = CS;
SEG_OF_PREFIX[0x36] = SS;
SEG_OF_PREFIX[0x3e] = DS;
SEG_OF_PREFIX[0x64] = FS;
SEG_OF_PREFIX[0x65] = GS;

// 16-bit addressing: base and index registers per rm (-1 none) and the default segment.
const EA16_BASE = [EBX, EBX, EBP, EBP, ESI, EDI, EBP, EBX];
const EA16_INDEX = [ESI, EDI, ESI, EDI, -1, -1, -1, -1];
const EA16_SEG = [DS, DS, SS, SS, DS, DS, SS, DS];

/** An x86 processor from the 386 to the Pentium Pro, in real and 32-bit protected mode. */
export class Cpu extends CpuMemory {
  readonly io: PortIo;
  readonly intr: InterruptSource;
  readonly vendor: Vendor;
  readonly log: (message: string) => void;

  // ---- decoder state of the current instruction
  instrStart = 0;
  o32 = 0;
  a32 = 0;
  segOvr = -1;
  rep = 0;
  lock = 0;
  mod = 0;
  reg = 0;
  rm = 0;
  /** REX bits (0 outside long mode): R extends reg, X the SIB index, B rm/base, W 64-bit operand. */
  rexR = 0;
  rexX = 0;
  rexB = 0;
  rexW = 0;
  eaSeg = DS;
  eaOff = 0;
  /** The 32-bit address used ESP as its base (pop [esp+x] adjusts for the pop). */
  eaBaseEsp = false;
  /** Table index of the opcode: the opcode byte, plus 0x100 for the 0F map. */
  opcode = 0;
  imm = 0;
  imm2 = 0;

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
  tscOffset = 0;

  private readonly loggedOnce = new Set<string>();

  /** Builds a CPU in its power-on state. */
  constructor(options: CpuOptions) {
    super(options.memory);
    this.io = options.io;
    this.intr = options.interrupts;
    this.vendor = options.vendor ?? 'intel';
    this.log = options.log ?? ((m) => process.stderr.write(`cpu: ${m}\n`));
    this.reset();
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
    this.dr.fill(0);
    this.dr[6] = 0xffff0ff0 | 0;
    this.dr[7] = 0x400;
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
    this.sysenterCs = this.sysenterEsp = this.sysenterEip = 0;
    this.tscOffset = 0;
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

  // ---- decoding

  /** Decodes the instruction at CS:EIP into the decoder fields; returns its table index. */
  decode(): number {
    const start = this.eip;
    this.instrStart = start;
    // Fast path: the longest possible instruction lies inside the fetch window.
    if (start >= this.fetchLo && start + 32 <= this.fetchHi) return this.decodeBytes(this.fetchArr, this.fetchDelta + start, start);
    return this.decodeGathered(start);
  }

  /**
   * Slow path near a page end, the CS limit or outside RAM/ROM: gathers the bytes that can be
   * fetched, decodes them, and raises the fetch fault only if the instruction needs a byte that
   * could not be fetched (as the processor does).
   */
  private decodeGathered(start: number): number {
    const cr2 = this.cr2;
    const bytes = this.gathered;
    bytes.fill(0);
    let available = 0;
    let fault: CpuFault | null = null;
    for (; available < 16; available++) {
      this.eip = start + available;
      try {
        bytes[available] = this.fetch8();
      } catch (error) {
        if (!(error instanceof CpuFault)) throw error;
        fault = error;
        break;
      }
    }
    const faultCr2 = this.cr2;
    this.cr2 = cr2;
    this.eip = start;
    try {
      const idx = this.decodeBytes(bytes, 0, start);
      if (fault !== null && this.eip - start > available) throw fault;
      return idx;
    } catch (error) {
      if (fault !== null && this.eip - start > available) {
        this.cr2 = faultCr2;
        throw fault;
      }
      throw error;
    }
  }

  private readonly gathered = new Uint8Array(48);

  /** Decodes from `a[base..]` (the bytes at CS:start); sets EIP past the instruction. */
  private decodeBytes(a: Uint8Array, base: number, start: number): number {
    const def = this.code32;
    let o32 = def, a32 = def;
    let segOvr = -1, rep = 0, lock = 0;
    let i = base;
    let b = a[i++];
    let kind: number;
    while ((kind = PREFIX_KIND[b]) !== 0) {
      if (kind === 1) o32 = def ^ 1;
      else if (kind === 2) a32 = def ^ 1;
      else if (kind === 3) segOvr = SEG_OF_PREFIX[b];
      else if (kind === 4) lock = 1;
      else rep = b;
      if (i - base >= 15) {
        this.eip = start + 16;
        gp(0);
      }
      b = a[i++];
    }
    this.o32 = o32;
    this.a32 = a32;
    this.segOvr = segOvr;
    this.rep = rep;
    this.lock = lock;
    const idx = b === 0x0f ? 0x100 | a[i++] : b;
    this.opcode = idx;
    const info = DECODE[idx];
    if (info & D_MODRM) {
      const m = a[i++];
      const mod = m >>> 6;
      this.mod = mod;
      this.reg = (m >>> 3) & 7;
      this.rm = m & 7;
      if (mod !== 3) {
        if (info & D_REGONLY) this.mod = 3;
        else if (a32) i = this.ea32(a, i, mod, m & 7);
        else i = this.ea16(a, i, mod, m & 7);
      }
    } else {
      this.mod = 3;
      this.reg = 0;
    }
    const k1 = (info >>> D_IMM1_SHIFT) & 7;
    if (k1 !== 0 && ((info & D_IMM_TEST) === 0 || this.reg < 2)) {
      if (k1 === IMM_B) {
        this.imm = a[i++];
      } else if (k1 === IMM_W || ((k1 === IMM_Z || k1 === IMM_FAR) && !o32) || (k1 === IMM_MOFFS && !a32)) {
        this.imm = a[i] | (a[i + 1] << 8);
        i += 2;
      } else {
        this.imm = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
        i += 4;
      }
      if (k1 === IMM_FAR) {
        this.imm >>>= 0;
        this.imm2 = a[i] | (a[i + 1] << 8);
        i += 2;
      }
      const k2 = (info >>> D_IMM2_SHIFT) & 7;
      if (k2 !== 0) this.imm2 = a[i++];
    }
    this.eip = start + (i - base);
    if ((info & D_CHECK) !== 0 || lock !== 0) this.checkEncoding(idx, info);
    if (i - base > 15) gp(0);
    return idx;
  }

  private checkEncoding(idx: number, info: number): void {
    const reg = this.reg;
    if (this.lock !== 0 && (((LOCK_MASK[idx] >>> reg) & 1) === 0 || this.mod === 3)) ud();
    if ((info & D_GROUP) !== 0 && ((GROUP_VALID[idx] >>> reg) & 1) === 0) ud();
    if (this.mod === 3 && ((MEM_ONLY[idx] >>> reg) & 1) !== 0) ud();
  }

  private ea16(a: Uint8Array, i: number, mod: number, rm: number): number {
    let off: number;
    this.eaBaseEsp = false;
    if (mod === 0 && rm === 6) {
      off = a[i] | (a[i + 1] << 8);
      i += 2;
      this.eaSeg = DS;
    } else {
      off = this.r16[EA16_BASE[rm] * 2];
      const index = EA16_INDEX[rm];
      if (index >= 0) off += this.r16[index * 2];
      if (mod === 1) {
        off += (a[i++] << 24) >> 24;
      } else if (mod === 2) {
        off += a[i] | (a[i + 1] << 8);
        i += 2;
      }
      this.eaSeg = EA16_SEG[rm];
    }
    if (this.segOvr >= 0) this.eaSeg = this.segOvr;
    this.eaOff = off & 0xffff;
    return i;
  }

  private ea32(a: Uint8Array, i: number, mod: number, rm: number): number {
    let off: number;
    let seg = DS;
    this.eaBaseEsp = false;
    if (rm === 4) {
      const sib = a[i++];
      const base = sib & 7;
      const index = (sib >>> 3) & 7;
      if (base === 5 && mod === 0) {
        off = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
        i += 4;
      } else {
        off = this.regs[base];
        if (base === ESP || base === EBP) seg = SS;
        this.eaBaseEsp = base === ESP;
      }
      if (index !== 4) off += this.regs[index] << (sib >>> 6);
    } else if (rm === 5 && mod === 0) {
      off = a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
      i += 4;
    } else {
      off = this.regs[rm];
      if (rm === EBP) seg = SS;
    }
    if (mod === 1) {
      off += (a[i++] << 24) >> 24;
    } else if (mod === 2) {
      off += a[i] | (a[i + 1] << 8) | (a[i + 2] << 16) | (a[i + 3] << 24);
      i += 4;
    }
    this.eaSeg = this.segOvr >= 0 ? this.segOvr : seg;
    this.eaOff = off | 0;
    return i;
  }

  /** The segment for string sources and xlat: DS unless overridden. */
  dataSeg(): number {
    return this.segOvr >= 0 ? this.segOvr : DS;
  }

  /** Executes one instruction (faults propagate as CpuFault). */
  step(): void {
    const idx = this.decode();
    const info = DECODE[idx];
    if (info & D_GROUP) GROUP_HANDLERS[(((idx << 3) | this.reg) << 1) | this.o32](this);
    else HANDLERS[(idx << 1) | this.o32](this);
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

  /** The inner loop; returns true when the run must stop before `end`. */
  private loop(end: number): boolean {
    while (this.instructions < end) {
      if (this.attention && this.serviceBoundary()) return true;
      this.step();
      this.instructions++;
    }
    return false;
  }

  /** Work between instructions: single-step traps, stop requests, interrupts, hlt. */
  private serviceBoundary(): boolean {
    this.instrStart = this.eip;
    if (this.stepTrapPending) {
      this.stepTrapPending = false;
      this.dr[6] |= 0x4000;
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
    if (this.flags & RF) this.flags &= ~RF;
    if ((this.flags & TF) !== 0 && !shadowed) this.stepTrapPending = true;
    this.attention = this.checkIrq || shadowed || this.stepTrapPending;
    return false;
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
