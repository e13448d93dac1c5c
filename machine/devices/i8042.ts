// The 8042 keyboard controller at 0x60 (data) and 0x64 (status/command) with a PS/2 keyboard on
// its first port. The second (mouse) port has no device: its loopback works and a byte sent to it
// is answered 0xFE. Bytes come from the keyboard one at a time, a PS/2 byte time after the output
// buffer empties, and are translated to set 1 while bit 6 of the command byte is set. IRQ1 follows
// a full output buffer holding keyboard data while bit 0 of the command byte is set.

import type { Clock, IrqLine, Timer } from '../interfaces.ts';
import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';
import type { A20Gate } from './a20-gate.ts';
import { Ps2Keyboard } from './ps2-keyboard.ts';
import { SET2_TO_SET1 } from './scancode-translation.ts';

/** One byte on the PS/2 wire: 11 bits at 12.5 kHz. */
export const PS2_BYTE_NS = 880_000;

const STATUS_OBF = 0x01;
const STATUS_SYS = 0x04;
const STATUS_CMD = 0x08;
const STATUS_UNLOCKED = 0x10;
const STATUS_AUX = 0x20;

const CMD_KBD_INT = 0x01;
const CMD_AUX_INT = 0x02;
const CMD_SYS = 0x04;
const CMD_KBD_DISABLE = 0x10;
const CMD_AUX_DISABLE = 0x20;
const CMD_XLAT = 0x40;

/** The clock, interrupt lines and board hooks the controller is wired to. */
export interface I8042Options {
  clock: Clock;
  irq1: IrqLine;
  irq12?: IrqLine;
  a20: A20Gate;
  /** Called when the guest pulls the CPU reset line (command 0xFE, or output port bit 0 cleared). */
  resetCpu: () => void;
}

/** The keyboard controller; its `keyboard` takes the host's key presses. */
export class I8042 implements PortDevice {
  readonly name = '8042 keyboard controller';
  readonly ports: readonly PortRange[] = [
    { first: 0x60, last: 0x60 },
    { first: 0x64, last: 0x64 },
  ];
  readonly keyboard: Ps2Keyboard;
  /** Controller RAM; byte 0 is the command byte. As a BIOS leaves it: IRQ1 on, system flag, translation, mouse port off. */
  private readonly ram = new Uint8Array(32);
  private output = 0;
  private full = false;
  private outputIsAux = false;
  private lastWriteWasCommand = false;
  private awaitingData = 0;
  private breakPrefix = false;
  private readonly replies: { byte: number; aux: boolean }[] = [];
  private transfer: Timer | null = null;
  private irq1Level = false;
  private irq12Level = false;

  constructor(private readonly options: I8042Options) {
    this.ram[0] = CMD_KBD_INT | CMD_SYS | CMD_AUX_DISABLE | CMD_XLAT;
    this.keyboard = new Ps2Keyboard(() => this.pump());
  }

  /** The command byte (controller RAM 0). */
  get commandByte(): number {
    return this.ram[0]!;
  }

  read(port: number, _size: AccessSize): number {
    if (port === 0x64) return this.status();
    const value = this.output;
    if (this.full) {
      this.full = false;
      this.updateIrqs();
      this.pump();
    }
    return value;
  }

  write(port: number, _size: AccessSize, value: number): void {
    if (port === 0x64) {
      this.lastWriteWasCommand = true;
      this.awaitingData = 0;
      this.command(value);
    } else {
      this.lastWriteWasCommand = false;
      const command = this.awaitingData;
      this.awaitingData = 0;
      if (command !== 0) this.commandData(command, value);
      else {
        // Sending to the keyboard re-enables its interface, as 8042 firmware does.
        this.ram[0] = this.ram[0]! & ~CMD_KBD_DISABLE;
        this.keyboard.receive(value);
      }
    }
    this.updateIrqs();
    this.pump();
  }

  private status(): number {
    return (
      (this.full ? STATUS_OBF : 0) |
      (this.ram[0]! & CMD_SYS ? STATUS_SYS : 0) |
      (this.lastWriteWasCommand ? STATUS_CMD : 0) |
      STATUS_UNLOCKED |
      (this.full && this.outputIsAux ? STATUS_AUX : 0)
    );
  }

  private command(value: number): void {
    if (value >= 0x20 && value <= 0x3f) return this.reply(this.ram[value & 0x1f]!);
    if ((value >= 0x60 && value <= 0x7f) || value === 0xd1 || (value >= 0xd2 && value <= 0xd4)) {
      this.awaitingData = value;
      return;
    }
    if (value >= 0xf0) {
      // Pulse output port lines; bit 0 clear pulses the CPU reset line.
      if ((value & 1) === 0) this.options.resetCpu();
      return;
    }
    switch (value) {
      case 0xa7:
        this.ram[0] = this.ram[0]! | CMD_AUX_DISABLE;
        break;
      case 0xa8:
        this.ram[0] = this.ram[0]! & ~CMD_AUX_DISABLE;
        break;
      case 0xa9: // mouse interface test: no fault
      case 0xab: // keyboard interface test: no fault
        this.reply(0x00);
        break;
      case 0xaa: // controller self test
        this.ram[0] = this.ram[0]! | CMD_SYS;
        this.reply(0x55);
        break;
      case 0xad:
        this.ram[0] = this.ram[0]! | CMD_KBD_DISABLE;
        break;
      case 0xae:
        this.ram[0] = this.ram[0]! & ~CMD_KBD_DISABLE;
        break;
      case 0xc0: // input port: keyboard not inhibited
        this.reply(0x80);
        break;
      case 0xd0:
        this.reply(this.outputPort());
        break;
      case 0xdd:
        this.options.a20.setKeyboardController(false);
        break;
      case 0xdf:
        this.options.a20.setKeyboardController(true);
        break;
      case 0xe0: // test inputs
        this.reply(0x00);
        break;
      default:
        // Vendor-specific commands of other controllers: ignored, as a plain 8042 ignores them.
        break;
    }
  }

  private commandData(command: number, value: number): void {
    if (command >= 0x60 && command <= 0x7f) {
      this.ram[command & 0x1f] = value;
      return;
    }
    switch (command) {
      case 0xd1:
        this.options.a20.setKeyboardController((value & 2) !== 0);
        if ((value & 1) === 0) this.options.resetCpu();
        break;
      case 0xd2:
        this.reply(value);
        break;
      case 0xd3:
        this.reply(value, true);
        break;
      case 0xd4:
        // No device on the mouse port.
        this.reply(0xfe, true);
        break;
    }
  }

  /** The output port as command 0xD0 reads it. */
  private outputPort(): number {
    return (
      0x01 |
      (this.options.a20.keyboardControllerBit ? 0x02 : 0) |
      (this.irq1Level ? 0x10 : 0) |
      (this.irq12Level ? 0x20 : 0) |
      0xc0
    );
  }

  private reply(byte: number, aux = false): void {
    this.replies.push({ byte, aux });
  }

  /** Fills the output buffer: controller replies at once, keyboard bytes after a PS/2 byte time. */
  private pump(): void {
    if (this.full) return;
    const reply = this.replies.shift();
    if (reply !== undefined) {
      this.fill(reply.byte, reply.aux);
      return;
    }
    if (this.transfer !== null || !this.keyboardEnabled() || !this.keyboard.hasData()) return;
    this.transfer = this.options.clock.at(this.options.clock.now() + PS2_BYTE_NS, () => {
      this.transfer = null;
      if (!this.full && this.replies.length === 0 && this.keyboardEnabled()) this.fromKeyboard();
      this.pump();
    });
  }

  private fromKeyboard(): void {
    const byte = this.keyboard.takeByte();
    if (byte === undefined) return;
    if (!(this.ram[0]! & CMD_XLAT)) return this.fill(byte, false);
    if (byte === 0xf0) {
      this.breakPrefix = true;
      return;
    }
    const translated = SET2_TO_SET1[byte]! | (this.breakPrefix ? 0x80 : 0);
    this.breakPrefix = false;
    this.fill(translated, false);
  }

  private keyboardEnabled(): boolean {
    return (this.ram[0]! & CMD_KBD_DISABLE) === 0;
  }

  private fill(byte: number, aux: boolean): void {
    this.output = byte;
    this.outputIsAux = aux;
    this.full = true;
    this.updateIrqs();
  }

  private updateIrqs(): void {
    const irq1 = this.full && !this.outputIsAux && (this.ram[0]! & CMD_KBD_INT) !== 0;
    const irq12 = this.full && this.outputIsAux && (this.ram[0]! & CMD_AUX_INT) !== 0;
    if (irq1 !== this.irq1Level) {
      this.irq1Level = irq1;
      if (irq1) this.options.irq1.raise();
      else this.options.irq1.lower();
    }
    if (irq12 !== this.irq12Level) {
      this.irq12Level = irq12;
      if (irq12) this.options.irq12?.raise();
      else this.options.irq12?.lower();
    }
  }
}
