// The PC: CPU, physical memory, the AT devices and the virtual clock, assembled as one machine
// with one headless API. Tests, `tools/pc`, `tools/run` and the benchmarks all drive this class.
// It boots any PC code: a raw ROM at the reset vector, or a Multiboot kernel through the boot ROM.
import { planMultibootBoot, type MultibootBoot } from './boot/multiboot.ts';
import { BootImageError } from './boot/multiboot-header.ts';
import { VirtualClock } from './clock.ts';
import { Cpu, type CpuSnapshot } from './cpu/cpu.ts';
import type { Vendor } from './cpu/cpuid.ts';
import { createPcDevices, type PcDevices } from './devices/board.ts';
import { VGA_TEXT_BASE, VGA_TEXT_SIZE } from './devices/vga.ts';
import type { TextScreen } from './interfaces.ts';
import { PhysicalMemory } from './memory/physical.ts';

/** What the PC boots. */
export type BootSource = { rom: Uint8Array } | { multiboot: MultibootBoot };

/** How to build a PC. */
export interface PcConfig {
  boot: BootSource;
  /** RAM in bytes; 64 MiB by default. */
  ramBytes?: number;
  vendor?: Vendor;
  /** false: the CPU lacks SYSENTER/SYSEXIT (see CpuOptions.sep). */
  sep?: boolean;
  /** Virtual time per instruction; 10 ns (a 100 MIPS machine) by default. */
  nsPerInstruction?: number;
  /** Hears each POST code as the guest writes it to port 0x80. */
  onPostCode?: (code: number) => void;
  /** Where the CPU's diagnostics go; kept in `log` by default. */
  log?: (message: string) => void;
}

/** Why `run` returned. */
export type RunReason =
  /** The guest wrote to isa-debug-exit; `exitStatus` holds the status. */
  | 'exit'
  /** The instruction or virtual-time limit was reached. */
  | 'limit'
  /** The `until` predicate became true. */
  | 'until'
  /** The CPU shut down after a triple fault. */
  | 'triple-fault'
  /** `hlt` with interrupts disabled, or with nothing left that could ever wake it. */
  | 'halted'
  /** The emulator itself failed; `report` says where. */
  | 'internal-error';

/** The outcome of one `run` call. */
export interface RunResult {
  reason: RunReason;
  /** A one-line explanation for the reasons that need one. */
  report: string | null;
}

/** Limits of one `run` call; at least one should be given. */
export interface RunLimits {
  /** Stop after this many more instructions. */
  instructions?: number;
  /** Stop when virtual time reaches this many nanoseconds since power-on. */
  untilNs?: number;
  /** Checked between slices of execution; stop when it returns true. */
  until?: () => boolean;
}

const DEFAULT_RAM = 64 * 1024 * 1024;
/** Instructions between checks of the `until` predicate. */
const SLICE = 100_000;

/** Pads a ROM image at its start to whole 4 KiB pages, as the unused part of a flash chip reads. */
function padRom(image: Uint8Array): Uint8Array {
  if (image.byteLength === 0 || image.byteLength > 0x20000) {
    throw new BootImageError(`a boot ROM must be 1 byte to 128 KiB, got ${image.byteLength} bytes`);
  }
  const size = Math.ceil(image.byteLength / 4096) * 4096;
  const padded = new Uint8Array(size).fill(0xff);
  padded.set(image, size - image.byteLength);
  return padded;
}

/** An AT-compatible PC with virtual, deterministic time. */
export class PC {
  readonly cpu: Cpu;
  readonly memory: PhysicalMemory;
  readonly devices: PcDevices;
  readonly clock = new VirtualClock();
  readonly nsPerInstruction: number;
  /** Bytes COM1 transmitted. */
  readonly serial: number[] = [];
  /** Bytes written to the 0xE9 debug console. */
  readonly debugConsole: number[] = [];
  /** CPU diagnostics, when no `log` was given. */
  readonly log: string[] = [];
  /** The isa-debug-exit status, once the guest wrote it. */
  exitStatus: number | null = null;
  /** Virtual nanoseconds spent halted (the rest of virtual time comes from instructions). */
  private idleNs = 0;

  /** Builds and powers on a PC; a bad boot image throws BootImageError before any instruction runs. */
  constructor(config: PcConfig) {
    const ramBytes = config.ramBytes ?? DEFAULT_RAM;
    this.nsPerInstruction = config.nsPerInstruction ?? 10;
    this.memory = new PhysicalMemory({ ramSize: ramBytes });
    this.devices = createPcDevices({
      clock: this.clock,
      ramBytes,
      serialOut: (byte) => this.serial.push(byte),
      debugConsoleOut: (byte) => this.debugConsole.push(byte),
      requestExit: (status) => {
        this.exitStatus = status;
        this.cpu.requestStop();
      },
      resetCpu: () => this.cpu.reset(),
      a20Changed: (enabled) => this.memory.setA20(enabled),
      ...(config.onPostCode ? { postCode: config.onPostCode } : {}),
    });
    this.memory.mapMmio(VGA_TEXT_BASE, VGA_TEXT_SIZE, this.devices.vga.memory);
    this.cpu = new Cpu({
      memory: this.memory,
      io: this.devices.bus,
      interrupts: this.devices.pic,
      vendor: config.vendor ?? 'intel',
      sep: config.sep,
      log: config.log ?? ((message) => this.log.push(message)),
    });
    this.clock.setTimeSource(() => this.virtualNs());
    this.loadBoot(config.boot, ramBytes);
  }

  private loadBoot(boot: BootSource, ramBytes: number): void {
    if ('rom' in boot) {
      this.memory.mapBios(padRom(boot.rom));
      return;
    }
    const plan = planMultibootBoot(boot.multiboot, ramBytes);
    for (const segment of plan.segments) {
      this.memory.load(segment.address, segment.data);
      this.memory.load(segment.address + segment.data.byteLength, new Uint8Array(segment.zeroBytes));
    }
    this.memory.mapBios(padRom(plan.rom));
  }

  /** Virtual nanoseconds since power-on: executed instructions plus time spent halted. */
  virtualNs(): number {
    return this.cpu.instructions * this.nsPerInstruction + this.idleNs;
  }

  /** Runs the machine until a limit, an exit, a shutdown or a halt nothing can end. */
  run(limits: RunLimits): RunResult {
    const endInstructions = limits.instructions === undefined ? Infinity : this.cpu.instructions + limits.instructions;
    const endNs = limits.untilNs ?? Infinity;
    for (;;) {
      if (this.exitStatus !== null) return { reason: 'exit', report: null };
      if (limits.until?.()) return { reason: 'until', report: null };
      const now = this.virtualNs();
      if (this.cpu.instructions >= endInstructions || now >= endNs) return { reason: 'limit', report: null };
      const nextEvent = Math.min(this.clock.nextEventAt(), endNs);
      const toEvent = Math.max(1, Math.ceil((nextEvent - now) / this.nsPerInstruction));
      const budget = Math.min(toEvent, endInstructions - this.cpu.instructions, SLICE);
      const stop = this.cpu.run(budget);
      this.clock.advanceTo(this.virtualNs());
      this.cpu.pollInterrupts();
      if (stop === 'triple-fault' || stop === 'internal-error') {
        return { reason: stop, report: this.cpu.shutdownReport };
      }
      if (stop === 'hlt') {
        const halted = this.idleUntilEvent(endNs);
        if (halted) return halted;
      }
    }
  }

  /** Lets virtual time pass while the CPU waits in `hlt`; returns a result when nothing can wake it. */
  private idleUntilEvent(endNs: number): RunResult | null {
    if ((this.cpu.getEflags() & 0x200) === 0) {
      return { reason: 'halted', report: 'hlt with interrupts disabled: the CPU cannot wake up again' };
    }
    const next = this.clock.nextEventAt();
    if (next === Infinity) return { reason: 'halted', report: 'hlt with no timer or device event pending: nothing can wake the CPU' };
    const target = Math.min(next, endNs);
    const now = this.virtualNs();
    if (target > now) this.idleNs += target - now;
    this.clock.advanceTo(this.virtualNs());
    this.cpu.pollInterrupts();
    return null;
  }

  /** The VGA text screen. */
  get screen(): TextScreen {
    return this.devices.vga;
  }

  /** The screen as 25 lines of text (trailing blanks kept). */
  screenText(): string {
    const screen = this.devices.vga;
    const lines: string[] = [];
    for (let row = 0; row < screen.rows; row++) {
      let line = '';
      for (let col = 0; col < screen.cols; col++) line += String.fromCharCode(screen.cell(row, col) & 0xff);
      lines.push(line);
    }
    return lines.join('\n');
  }

  /** Types text on the keyboard (characters become make/break scancodes, queued). */
  typeText(text: string): void {
    this.devices.keyboardController.keyboard.typeText(text);
  }

  /** Presses and releases one named key (Enter, Backspace, ArrowUp, F1, ...). */
  pressKey(name: string): void {
    this.devices.keyboardController.keyboard.pressKey(name);
  }

  /** Sends bytes to COM1's receiver. */
  serialInput(bytes: Iterable<number>): void {
    this.devices.com1.receive(bytes);
  }

  /** The POST codes written to port 0x80, oldest first. */
  postCodes(): number[] {
    return this.devices.postCodes.codes();
  }

  /** The registers, without side effects. */
  registers(): CpuSnapshot {
    return this.cpu.snapshot();
  }

  /** Physical memory bytes as the CPU would read them (RAM, ROM images, the VGA window). */
  readPhysical(address: number, length: number): Uint8Array {
    return this.memory.readBytes(address, length);
  }
}
