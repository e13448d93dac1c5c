// The PC's standard devices wired together the way an AT-compatible board wires them: which IRQ
// each one drives, the A20 gate shared by the 8042 and port 0x92, the devices on one I/O bus. The
// machine supplies the clock and the host-side hooks and gets back the handles it needs.

import type { Clock } from '../interfaces.ts';
import { IoBus } from '../bus/io-bus.ts';
import type { PortDevice } from '../bus/port-device.ts';
import { A20Gate } from './a20-gate.ts';
import { CmosRtc, type CalendarTime } from './cmos-rtc.ts';
import { DebugConsole } from './debug-console.ts';
import { DebugExit } from './debug-exit.ts';
import { I8042 } from './i8042.ts';
import { PicPair } from './pic-pair.ts';
import { Pit8254 } from './pit8254.ts';
import { PostCodes } from './post-codes.ts';
import { SystemControlA } from './system-control-a.ts';
import { SystemControlB } from './system-control-b.ts';
import { Uart16550 } from './uart16550.ts';
import { Vga } from './vga.ts';

/** The host-side hooks and settings of the board. */
export interface PcDevicesOptions {
  clock: Clock;
  /** Guest RAM size in bytes, for the CMOS memory-size bytes. */
  ramBytes: number;
  /** Bytes COM1 transmits. */
  serialOut?: (byte: number) => void;
  /** Bytes written to the 0xE9 debug console. */
  debugConsoleOut?: (byte: number) => void;
  /** Whether port 0xE9 has the debug console (default true); without it the port reads 0xFF, as QEMU's -debugcon none. */
  debugConsole?: boolean;
  /** A POST code was written to port 0x80. */
  postCode?: (code: number) => void;
  /** isa-debug-exit was written: stop with this status ((v << 1) | 1). */
  requestExit?: (status: number) => void;
  /** The guest pulled the CPU's reset line (8042 command 0xFE, port 0x92 bit 0). */
  resetCpu?: () => void;
  /** The A20 line changed; the memory wraps at 1 MiB while it is disabled. */
  a20Changed?: (enabled: boolean) => void;
  /** A20 at power-on. Default enabled, as QEMU starts and as Multiboot requires on entry. */
  a20Enabled?: boolean;
  /** RTC calendar at virtual time 0. */
  rtcStart?: CalendarTime;
}

/** The board's devices, attached to their ports and IRQs. */
export interface PcDevices {
  readonly bus: IoBus;
  /** The CPU's interrupt source. */
  readonly pic: PicPair;
  readonly pit: Pit8254;
  readonly speakerPort: SystemControlB;
  /** The text screen (TextScreen); map vga.memory at VGA_TEXT_BASE for VGA_TEXT_SIZE bytes. */
  readonly vga: Vga;
  readonly keyboardController: I8042;
  readonly com1: Uart16550;
  readonly rtc: CmosRtc;
  readonly postCodes: PostCodes;
  readonly a20: A20Gate;
}

/** Builds the standard AT devices on a fresh I/O bus; every port range is checked for overlap. */
export function createPcDevices(options: PcDevicesOptions): PcDevices {
  const { clock } = options;
  const ignore = () => {};
  const bus = new IoBus();
  const pic = new PicPair();
  const a20 = new A20Gate(options.a20Changed ?? ignore, options.a20Enabled ?? true);
  const resetCpu = options.resetCpu ?? ignore;
  const pit = new Pit8254(clock, pic.line(0));
  const speakerPort = new SystemControlB(clock, pit);
  const vga = new Vga(clock);
  const keyboardController = new I8042({ clock, irq1: pic.line(1), irq12: pic.line(12), a20, resetCpu });
  const com1 = new Uart16550({ clock, irq: pic.line(4), sink: options.serialOut ?? ignore });
  const rtc = new CmosRtc({
    clock,
    irq8: pic.line(8),
    ramBytes: options.ramBytes,
    ...(options.rtcStart ? { start: options.rtcStart } : {}),
  });
  const postCodes = new PostCodes(options.postCode);
  const devices: PortDevice[] = [
    pic,
    pit,
    speakerPort,
    keyboardController,
    rtc,
    postCodes,
    new SystemControlA(a20, resetCpu),
    new DebugExit(options.requestExit ?? ignore),
    com1,
    vga,
  ];
  if (options.debugConsole ?? true) devices.push(new DebugConsole(options.debugConsoleOut ?? ignore));
  for (const device of devices) bus.attach(device);
  return { bus, pic, pit, speakerPort, vga, keyboardController, com1, rtc, postCodes, a20 };
}
