// The i386 kernel on a PC: the bridge's service routines. Boot builds memory management and
// the CPU's tables in guest memory; start brings up the devices and init; then every entry
// stub's call (system call, interrupt, exception) lands in `bridge`. See README.md for the
// calling convention.
import { Kernel } from '../../kernel.ts';
import { PhysicalMemory } from '../../mm/phys.ts';
import { VgaWriter } from '../../tty/vga-writer.ts';
import { i386Abi } from './abi.ts';
import { KERNEL_BASE } from './address-space.ts';
import { I386Context } from './context.ts';
import { CpuArea } from './cpu-area.ts';
import { writeGdt, writeIdt, writePseudoDescriptor, writeTss, IDT_ENTRIES } from './descriptors.ts';
import { cmosEpochSeconds, cmosMemoryBytes } from './drivers/cmos.ts';
import { Keyboard } from './drivers/keyboard.ts';
import { Pic } from './drivers/pic.ts';
import { startPit } from './drivers/pit.ts';
import { Serial } from './drivers/serial.ts';
import { vgaCursor, vgaTextMemory } from './drivers/vga-text.ts';
import { symbol, type KernelImage } from './image.ts';
import { ARG_BLOCK_VA, Bridge, Gdt, IMAGE_PHYS, IRQ_BASE } from './layout.ts';
import { bootLog } from './boot-log.ts';
import { EFLAGS, userReturnEflags } from './eflags.ts';
import { callGatePath, ENTRY_PATHS, entryPathByKey, type EntryPath } from './entry-paths.ts';
import { Reg, type Platform } from './platform.ts';
import { setupI386Memory } from './setup.ts';
import { sepUsable, SysexitPolicy } from './sysenter.ts';
import { TrapFrame } from './trap-frame.ts';
import { loadVdso } from './vdso-image.ts';
import { kernelInstructionAt } from './disasm.ts';
import { kernelFaultReport, userException } from './traps.ts';

/** What to start once the machine is up. */
export interface I386Options {
  /** The initramfs (newc cpio) unpacked into the root file system. */
  readonly initramfs: Uint8Array;
  /** The first program and its arguments. */
  readonly init?: readonly string[];
  /** Timer interrupts per second. */
  readonly hz?: number;
}

/** CR4 bits the kernel's page tables use: PSE (4 MiB pages, required) and PGE (global pages, when the CPU has it). */
const CR4_PSE = 1 << 4;
const CR4_PGE = 1 << 7;
/** CPUID.1:EDX feature bits. */
const CPUID_PSE = 1 << 3;
const CPUID_PGE = 1 << 13;
const TIMER_IRQ = 0;
const KEYBOARD_IRQ = 1;
const SERIAL_IRQ = 4;
/** The exception vector of single-step traps (#DB). */
const DEBUG_VECTOR = 1;

/** The kernel and its i386 architecture layer, reached through `bridge`. */
export class I386System {
  kernel: Kernel | null = null;
  /** Bytes the keyboard has typed so far (front ends wait for their typed input with it). */
  keyboardBytes = 0;
  /** Set when the kernel stopped the machine (a panic): the reason. */
  panicMessage: string | null = null;
  private readonly mem: PhysicalMemory;
  private readonly area: CpuArea;
  private readonly vga: VgaWriter;
  private readonly pic: Pic;
  private readonly keyboard: Keyboard;
  private readonly serial: Serial;
  private context: I386Context | null = null;
  /** The choice of sysexit on the way out, when the CPU has a usable SEP (its MSRs are then programmed). */
  private sysexit: SysexitPolicy | null = null;
  private kernelDirectory = 0;
  /** Whether CR4.PGE is on (the CPU has global pages). */
  private globalPages = false;
  /** The entry path a program single-stepped into (a call gate and sysenter keep TF): its TF goes back into its frame at the call. */
  private steppedInto: EntryPath | null = null;
  /** Interrupt work that arrived while a stub was between entry and bridge; done at the next call. */
  private deferredTicks = 0;
  private readonly deferredKeys: number[] = [];
  private readonly outputListeners: Array<(bytes: Uint8Array) => void> = [];

  constructor(
    private readonly platform: Platform,
    private readonly image: KernelImage,
    private readonly options: I386Options,
  ) {
    this.mem = new PhysicalMemory(platform.ram, platform.ramWritten);
    this.area = new CpuArea(this.mem, image);
    this.vga = new VgaWriter(vgaTextMemory(platform.physical), vgaCursor(platform.io));
    this.pic = new Pic(platform.io);
    this.keyboard = new Keyboard(platform.io);
    this.serial = new Serial(platform.io, (byte) => this.input(byte));
  }

  /**
   * The native-call bridge: `vmcall` in ring 0 with the service in EAX (see README.md). An
   * error thrown by the kernel's TypeScript is a kernel bug: it becomes a panic (as an oops in
   * Linux), never an exception in the emulator.
   */
  bridge(regs: Int32Array): void {
    try {
      this.serve(regs);
      // The exit path's way out for the frame it is about to restore (see sysenter.ts).
      this.area.sysexit = this.panicMessage === null && this.kernel !== null && (this.sysexit?.mayExit(this.kernel) ?? false);
    } catch (error) {
      // The TypeScript stack is for the kernel's developers: the serial log, not the screen.
      const stack = error instanceof Error ? error.stack : undefined;
      this.die(`kernel bug: ${error instanceof Error ? error.message : String(error)}`, stack);
    }
  }

  private serve(regs: Int32Array): void {
    const service = regs[Reg.EAX]!;
    if (service === Bridge.BOOT) return this.boot(regs);
    if (service === Bridge.START) return this.start();
    if (service === Bridge.FLUSH) {
      regs[Reg.EAX] = this.serial.drained() ? 0 : 1;
      return;
    }
    const frameVa = regs[Reg.EBX]! >>> 0;
    const frame = TrapFrame.atKernelAddress(this.mem, frameVa);
    this.area.returnEsp = frameVa;
    if (this.context) this.context.loadedCr3 = this.area.cr3;
    // After a panic only the devices are served (COM1 still sending the report): the kernel's
    // state may be what broke it.
    if (this.panicMessage !== null) {
      if (service === Bridge.IRQ) this.irq(regs[Reg.ECX]! - IRQ_BASE);
      return;
    }
    const k = this.kernel!;
    const fromUser = (frame.get('cs') & 3) === 3;
    const path = service === Bridge.SYSCALL ? entryPathByKey(regs[Reg.ECX]!) : undefined;
    if (fromUser && k.current) this.sysexit?.noteEntry(k.current, path?.gate.kind === 'sysenter');
    if (service === Bridge.SYSCALL) this.syscall(k, frame, path, regs[Reg.ECX]!);
    else if (service === Bridge.IRQ) this.irq(regs[Reg.ECX]! - IRQ_BASE);
    else if (service === Bridge.EXCEPTION) this.exception(frame, regs[Reg.ECX]!, regs[Reg.EDX]! >>> 0, fromUser);
    else this.die(`unknown bridge service ${service}`);
    // An interrupt that hit a stub in ring 0 (int 0x80's trap gate leaves IF set) must not switch
    // stacks under it: its work waits for the next entry from ring 3 or from the idle loop.
    if (fromUser || k.current === null) this.runDeferred(k);
    this.sanitizeReturn();
  }

  /** A system call through `path`, the entry path the stub named with `key` in ECX (entry-paths.ts). */
  private syscall(k: Kernel, frame: TrapFrame, path: EntryPath | undefined, key: number): void {
    if (!path) return this.die(`system call from an unknown entry path ${key}`);
    if (this.steppedInto === path) {
      frame.set('eflags', frame.get('eflags') | EFLAGS.TF);
      this.steppedInto = null;
    }
    path.syscall(k, frame, (line) => this.print(line));
  }

  /** Whatever the entry and whatever the kernel did to the frame, ring 3 gets only EFLAGS it may have (eflags.ts). */
  private sanitizeReturn(): void {
    if (this.panicMessage !== null || this.area.idle) return;
    const out = TrapFrame.atKernelAddress(this.mem, this.area.returnEsp);
    if ((out.get('cs') & 3) === 3) out.set('eflags', userReturnEflags(out.get('eflags')));
  }

  /** Calls `listener` with everything written to the console from the boot log on (front ends, tests). */
  onConsoleOutput(listener: (bytes: Uint8Array) => void): void {
    this.outputListeners.push(listener);
  }

  /** Whether the machine can only go on with a key: idle, with a reader blocked on the console and no key pending. */
  waitingForInput(): boolean {
    const k = this.kernel;
    return k !== null && k.current === null && k.console.readWait.size > 0 && this.deferredKeys.length === 0;
  }

  /** Console bytes the serial driver still has to hand to COM1. */
  serialBacklog(): number {
    return this.serial.backlog;
  }

  /** Paging is off: memory management and the CPU's tables. Answers EAX = CR3, EBX = CR4 bits. */
  private boot(regs: Int32Array): void {
    const io = this.platform.io;
    const features = regs[Reg.EBX]!;
    if (!(features & CPUID_PSE)) return this.die('this CPU lacks 4 MiB pages (CPUID PSE), which the kernel mapping needs');
    const ramBytes = Math.min(cmosMemoryBytes(io), this.mem.size);
    const imageEnd = IMAGE_PHYS + (symbol(this.image, 'image_end') - symbol(this.image, 'image_start'));
    const info = { flags: 0, memLowerKb: 640, memUpperKb: (ramBytes - 0x100000) / 1024, commandLine: '', modules: [], memoryMap: [], loaderName: '' };
    let context: I386Context | null = null;
    const tlb = { invalidatePage: (root: number, va: number) => context?.tlb.invalidatePage(root, va), flushAll: (root: number) => context?.tlb.flushAll(root) };
    const memory = setupI386Memory(this.mem, info, IMAGE_PHYS, imageEnd, tlb);
    if (!memory) return this.die('no memory for the kernel page directory');
    this.kernelDirectory = memory.kernelDirectory;
    // The boot code runs at its physical address until it jumps to the higher half: map the low 4 MiB 1:1 meanwhile.
    this.mem.write32(memory.kernelDirectory, 0x83); // P, RW, PS: 4 MiB at 0
    const pa = (name: string): number => symbol(this.image, name) - KERNEL_BASE;
    const tssPa = pa('tss');
    writeTss(this.mem, tssPa, symbol(this.image, 'boot_stack_top'));
    const stubs = Array.from({ length: 48 }, (_, i) => this.mem.read32(pa('vector_table') + 4 * i));
    const stub = (name: string): number => symbol(this.image, name);
    writeIdt(this.mem, pa('idt'), stubs, ENTRY_PATHS.flatMap((p) => (p.gate.kind === 'trap' ? [{ vector: p.gate.vector, offset: stub(p.stub) }] : [])));
    const gate = callGatePath();
    writeGdt(this.mem, pa('gdt'), symbol(this.image, 'tss'), gate && { offset: stub(gate.stub), params: gate.gate.params });
    writePseudoDescriptor(this.mem, pa('cpu_area.gdtr'), symbol(this.image, 'gdt'), Gdt.ENTRIES * 8 - 1);
    writePseudoDescriptor(this.mem, pa('cpu_area.idtr'), symbol(this.image, 'idt'), IDT_ENTRIES * 8 - 1);
    context = new I386Context(this.mem, memory.frames, this.area, tssPa, memory.kernelDirectory);
    context.onPanic = (message) => this.die(message);
    this.context = context;
    // The vDSO whose __kernel_vsyscall this CPU can run; with SEP, startup_32 programs the MSRs.
    const sep = sepUsable(this.area.cpuVendor, this.area.cpuSignature, features);
    const vdso = loadVdso(this.mem, memory.frames, this.image, sep);
    if (typeof vdso === 'string') return this.die(vdso);
    this.area.sysenter = sep;
    if (sep) this.sysexit = new SysexitPolicy(this.mem, this.area, (p) => context!.context(p).frameVa);
    this.kernel = new Kernel({
      mem: this.mem, frames: memory.frames, newSpace: memory.newSpace, abi: i386Abi, arch: context,
      clock: this.platform.clock, bootEpochSeconds: cmosEpochSeconds(io), initramfs: this.options.initramfs, hwcap: features >>> 0,
      argBlockPage: ARG_BLOCK_VA, vdso,
    });
    context.kernel = this.kernel;
    regs[Reg.EAX] = memory.kernelDirectory;
    this.globalPages = (features & CPUID_PGE) !== 0;
    regs[Reg.EBX] = CR4_PSE | (this.globalPages ? CR4_PGE : 0);
  }

  /** Paging is on and the tables are loaded: devices, the boot log, init. */
  private start(): void {
    const k = this.kernel!;
    this.mem.write32(this.kernelDirectory, 0); // the identity map's job is done
    this.area.cr3 = this.kernelDirectory;
    this.area.flushTlb();
    this.vga.reset();
    k.console.attach((bytes) => this.vga.write(bytes));
    k.console.attach((bytes) => this.serial.write(bytes));
    k.console.attach((bytes) => this.outputListeners.forEach((listener) => listener(bytes)));
    this.serial.init();
    const hz = this.options.hz ?? 100;
    const divisor = startPit(this.platform.io, hz);
    this.pic.init(IRQ_BASE, [TIMER_IRQ, KEYBOARD_IRQ, SERIAL_IRQ]);
    const early = this.keyboard.drain();
    this.keyboardBytes += early.length;
    this.deferredKeys.push(...early);
    const argv = this.options.init ?? ['/bin/sh'];
    const cpu = { vendor: this.area.cpuVendor, signature: this.area.cpuSignature, sysenter: this.sysexit !== null };
    for (const line of bootLog({ kernel: k, hz, divisor, globalPages: this.globalPages, cpu, init: argv[0]! })) this.print(`${line}\n`);
    const init = k.startInit(argv[0]!, argv);
    if (typeof init === 'number') this.die(`cannot run ${argv[0]}: error ${-init}`);
  }

  /** Serves the device; what it means for processes waits for runDeferred. */
  private irq(irq: number): void {
    if (!this.pic.isGenuine(irq)) return;
    if (irq === TIMER_IRQ) this.deferredTicks++;
    else if (irq === KEYBOARD_IRQ) {
      const byte = this.keyboard.interrupt();
      if (byte !== null) {
        this.keyboardBytes++;
        this.deferredKeys.push(byte);
      }
    } else if (irq === SERIAL_IRQ) this.serial.interrupt();
    this.pic.endOfInterrupt(irq);
  }

  /** Timer ticks and keys for the kernel: only where it may switch processes (not inside another stub). */
  private runDeferred(k: Kernel): void {
    while (this.deferredKeys.length > 0) k.keyboardInput(this.deferredKeys.shift()!);
    for (; this.deferredTicks > 0; this.deferredTicks--) k.timerTick();
  }

  private input(byte: number): void {
    this.deferredKeys.push(byte === 0x0a ? 0x0d : byte);
  }

  private exception(frame: TrapFrame, vector: number, cr2: number, fromUser: boolean): void {
    if (fromUser && userException(this.kernel!, frame, vector, cr2, (line) => this.print(line))) return;
    if (!fromUser && vector === DEBUG_VECTOR && this.singleStepIntoEntry(frame)) return;
    this.die(kernelFaultReport(frame, vector, cr2, kernelInstructionAt(this.mem, frame.get('eip'))));
  }

  /**
   * A call gate and sysenter keep TF, so a program single-stepping through `call 0x33:0` or
   * sysenter traps (#DB) at the stub's first instruction, in ring 0. As Linux does for sysenter:
   * the kernel goes on without TF, and the program gets it back in its frame at the call, so its
   * single-step resumes after it. Whether the #DB was that.
   */
  private singleStepIntoEntry(frame: TrapFrame): boolean {
    const eip = frame.get('eip');
    const path = ENTRY_PATHS.find((p) => symbol(this.image, p.stub) === eip);
    if (!path || frame.get('cs') !== Gdt.KERNEL_CS || !(frame.get('eflags') & EFLAGS.TF)) return false;
    frame.set('eflags', frame.get('eflags') & ~EFLAGS.TF);
    this.steppedInto = path;
    return true;
  }

  /** Kernel messages: the console (screen and serial). */
  private print(text: string): void {
    this.kernel?.console.output(new TextEncoder().encode(text));
  }

  /** The panic screen, and on COM1 the message and `serialOnly` (a host stack); the exit path then stops the CPU. */
  private die(message: string, serialOnly?: string): void {
    this.panicMessage = message;
    this.vga.write(`\x1b[0m\n\x1b[1;37;41m Kernel panic \x1b[0m ${message}\n`);
    this.serial.write(new TextEncoder().encode(`Kernel panic: ${message}\n${serialOnly === undefined ? '' : `${serialOnly}\n`}`));
    this.area.halt();
  }
}
