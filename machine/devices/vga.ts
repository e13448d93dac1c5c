// A VGA adapter in 80x25 colour text mode (mode 3): the 32 KiB text window at 0xB8000 with a
// character and an attribute byte per cell, and the register files a text-mode guest touches:
// CRTC (index/data at 0x3D4/0x3D5, or 0x3B4/0x3B5 when the misc output register selects mono
// addressing), misc output, input status 1 with its retrace bits, the attribute controller, the
// sequencer, the graphics controller and the DAC. Graphics modes are not drawn: their registers
// are stored and the screen keeps showing the text window.

import type { Clock, MmioRegion, TextCursor, TextScreen } from '../interfaces.ts';
import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';

/** Physical address of the text window 0xB8000-0xBFFFF (16 Ki cells). */
export const VGA_TEXT_BASE = 0xb8000;
/** Size of the text window in bytes (32 KiB). */
export const VGA_TEXT_SIZE = 0x8000;
const CELL_MASK = VGA_TEXT_SIZE / 2 - 1;

// Register contents after a BIOS sets mode 3 (no BIOS runs before our guests, so the card starts so).
const MODE3_CRTC = [
  0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00, 0x00, 0x00,
  0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff,
];
const MODE3_SEQ = [0x03, 0x00, 0x03, 0x00, 0x02];
const MODE3_GC = [0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff];
const MODE3_ATTR = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
  0x0c, 0x00, 0x0f, 0x08, 0x00,
];
const MODE3_MISC = 0x67;

// 720x400 at 70 Hz: 900 dot clocks of 28.322 MHz per line (720 visible), 449 lines (400 visible),
// vertical sync on lines 412-413.
const LINE_NS = 31_778;
const VISIBLE_LINE_NS = 25_422;
const FRAME_LINES = 449;
const VISIBLE_LINES = 400;
const VSYNC_FIRST = 412;
const VSYNC_END = 414;

/** The VGA card in text mode: registers on the bus, text window for the memory, TextScreen for front ends. */
export class Vga implements PortDevice, TextScreen {
  readonly name = 'VGA';
  readonly ports: readonly PortRange[] = [
    { first: 0x3b4, last: 0x3b5 },
    { first: 0x3ba, last: 0x3ba },
    { first: 0x3c0, last: 0x3cf },
    { first: 0x3d4, last: 0x3d5 },
    { first: 0x3da, last: 0x3da },
  ];
  readonly cols = 80;
  readonly rows = 25;
  /** The text window's bytes: even offsets characters, odd offsets attributes. */
  readonly text = new Uint8Array(VGA_TEXT_SIZE);
  /** The text window as the memory maps it at 0xB8000. */
  readonly memory: MmioRegion;
  /** Incremented on every change that can alter the picture, so front ends redraw only when needed. */
  version = 0;

  readonly crtc = Uint8Array.from({ length: 0x19 }, (_, i) => MODE3_CRTC[i]!);
  readonly seq = Uint8Array.from(MODE3_SEQ);
  readonly gc = Uint8Array.from(MODE3_GC);
  readonly attr = Uint8Array.from(MODE3_ATTR);
  misc = MODE3_MISC;
  /** 256 DAC entries of 6-bit red, green, blue. */
  readonly dac = new Uint8Array(256 * 3);

  private crtcIndex = 0;
  private seqIndex = 0;
  private gcIndex = 0;
  /** Index register of the attribute controller; bit 5 (palette address source) set lets the display run. */
  private attrIndex = 0x20;
  private attrExpectsData = false;
  private dacWriteIndex = 0;
  private dacReadIndex = 0;
  private dacComponent = 0;
  private dacReading = false;
  private pelMask = 0xff;
  private featureControl = 0;

  constructor(private readonly clock: Clock) {
    const text = this.text;
    this.memory = {
      read8: (offset) => text[offset & (VGA_TEXT_SIZE - 1)]!,
      write8: (offset, value) => {
        const i = offset & (VGA_TEXT_SIZE - 1);
        if (text[i] !== (value & 0xff)) {
          text[i] = value;
          this.version++;
        }
      },
    };
    // The EGA-compatible 64-colour palette in the first 64 DAC entries: bits 2-0 are red, green,
    // blue at 2/3 intensity, bits 5-3 add 1/3.
    for (let i = 0; i < 64; i++) {
      const level = (hi: number, lo: number) => (((i >> hi) & 1) * 42) + (((i >> lo) & 1) * 21);
      this.dac.set([level(2, 5), level(1, 4), level(0, 3)], i * 3);
    }
    // A mode set clears the window to grey-on-black spaces.
    for (let i = 0; i < VGA_TEXT_SIZE; i += 2) {
      text[i] = 0x20;
      text[i + 1] = 0x07;
    }
  }

  /** The cell at (row, col) counted from the CRTC start address: character | attribute << 8. */
  cell(row: number, col: number): number {
    if (!(row >= 0 && row < this.rows && col >= 0 && col < this.cols) || !Number.isInteger(row + col)) {
      throw new RangeError(`VGA: no cell at row ${row}, column ${col} on an ${this.cols}x${this.rows} screen`);
    }
    const i = ((this.startAddress() + row * this.pitch() + col) & CELL_MASK) * 2;
    return this.text[i]! | (this.text[i + 1]! << 8);
  }

  /** The hardware cursor: CRTC location relative to the start address; hidden when disabled by bit 5 of the cursor start register, when the start line is past the end line, or off screen. */
  cursor(): TextCursor {
    const location = (this.crtc[0x0e]! << 8) | this.crtc[0x0f]!;
    const offset = (location - this.startAddress()) & CELL_MASK;
    const row = Math.floor(offset / this.pitch());
    const col = offset % this.pitch();
    const shape = this.cursorShape();
    const visible = shape.enabled && shape.start <= shape.end && row < this.rows && col < this.cols;
    return { row, col, visible };
  }

  /** Cursor start/end scan lines and the disable bit, for renderers that draw its shape. */
  cursorShape(): { start: number; end: number; enabled: boolean } {
    return {
      start: this.crtc[0x0a]! & 0x1f,
      end: this.crtc[0x0b]! & 0x1f,
      enabled: (this.crtc[0x0a]! & 0x20) === 0,
    };
  }

  /** Whether the card shows the picture: the attribute index's palette address source bit is set and the sequencer's screen-off bit is clear. Renderers draw black otherwise. */
  displayEnabled(): boolean {
    return (this.attrIndex & 0x20) !== 0 && (this.seq[1]! & 0x20) === 0;
  }

  /** Attribute bit 7 means blink (true) or a bright background (false): mode control bit 3. */
  blinkEnabled(): boolean {
    return (this.attr[0x10]! & 0x08) !== 0;
  }

  /** The 8-bit RGB of text colour 0-15 through the attribute palette and the DAC. */
  colorRgb(color: number): [number, number, number] {
    const select = this.attr[0x14]!;
    const index = ((((select & 0x0c) << 4) | (this.attr[color & 0x0f]! & 0x3f)) & this.pelMask) * 3;
    const scale = (v: number) => Math.round((v * 255) / 63);
    return [scale(this.dac[index]!), scale(this.dac[index + 1]!), scale(this.dac[index + 2]!)];
  }

  read(port: number, _size: AccessSize): number {
    const crtcBase = this.crtcBase();
    if ((port & 0xfff0) === 0x3b0 || (port & 0xfff0) === 0x3d0) {
      if ((port & 0xfff0) !== crtcBase) return 0xff;
      if ((port & 0xf) === 0x4) return this.crtcIndex;
      if ((port & 0xf) === 0x5) return this.crtcIndex < this.crtc.length ? this.crtc[this.crtcIndex]! : 0xff;
      return this.inputStatus1();
    }
    switch (port) {
      case 0x3c0:
        return this.attrIndex;
      case 0x3c1:
        return this.attr[this.attrIndex & 0x1f] ?? 0;
      case 0x3c2:
        // Input status 0: switch sense (bit 4) reads 1, which a BIOS takes for an attached colour monitor.
        return 0x10;
      case 0x3c3:
        return 0x01;
      case 0x3c4:
        return this.seqIndex;
      case 0x3c5:
        return this.seq[this.seqIndex] ?? 0xff;
      case 0x3c6:
        return this.pelMask;
      case 0x3c7:
        return this.dacReading ? 0x03 : 0x00;
      case 0x3c8:
        return this.dacWriteIndex;
      case 0x3c9:
        return this.readDac();
      case 0x3ca:
        return this.featureControl;
      case 0x3cc:
        return this.misc;
      case 0x3ce:
        return this.gcIndex;
      case 0x3cf:
        return this.gc[this.gcIndex] ?? 0xff;
      default:
        return 0xff;
    }
  }

  write(port: number, _size: AccessSize, value: number): void {
    if ((port & 0xfff0) === 0x3b0 || (port & 0xfff0) === 0x3d0) {
      if ((port & 0xfff0) !== this.crtcBase()) return;
      if ((port & 0xf) === 0x4) this.crtcIndex = value & 0x3f;
      else if ((port & 0xf) === 0x5) this.writeCrtc(value);
      else this.featureControl = value;
      return;
    }
    switch (port) {
      case 0x3c0:
        this.writeAttr(value);
        break;
      case 0x3c2:
        this.misc = value;
        break;
      case 0x3c4:
        this.seqIndex = value & 0x07;
        break;
      case 0x3c5:
        if (this.seqIndex < this.seq.length) this.seq[this.seqIndex] = value;
        this.version++;
        break;
      case 0x3c6:
        this.pelMask = value;
        this.version++;
        break;
      case 0x3c7:
        this.dacReadIndex = value;
        this.dacComponent = 0;
        this.dacReading = true;
        break;
      case 0x3c8:
        this.dacWriteIndex = value;
        this.dacComponent = 0;
        this.dacReading = false;
        break;
      case 0x3c9:
        this.writeDac(value);
        break;
      case 0x3ce:
        this.gcIndex = value & 0x0f;
        break;
      case 0x3cf:
        if (this.gcIndex < this.gc.length) this.gc[this.gcIndex] = value;
        break;
      default:
        break;
    }
  }

  private crtcBase(): number {
    return this.misc & 1 ? 0x3d0 : 0x3b0;
  }

  private startAddress(): number {
    return (this.crtc[0x0c]! << 8) | this.crtc[0x0d]!;
  }

  private pitch(): number {
    return Math.max(1, this.crtc[0x13]! * 2);
  }

  private writeCrtc(value: number): void {
    const index = this.crtcIndex;
    if (index >= this.crtc.length) return;
    // Bit 7 of the vertical retrace end register protects registers 0-7 (except the line compare bit 4 of 7).
    if (index <= 7 && (this.crtc[0x11]! & 0x80) !== 0) {
      if (index !== 7) return;
      value = (this.crtc[7]! & ~0x10) | (value & 0x10);
    }
    this.crtc[index] = value;
    this.version++;
  }

  private writeAttr(value: number): void {
    if (!this.attrExpectsData) {
      this.attrIndex = value & 0x3f;
      this.version++;
    } else if ((this.attrIndex & 0x1f) < this.attr.length) {
      this.attr[this.attrIndex & 0x1f] = value;
      this.version++;
    }
    this.attrExpectsData = !this.attrExpectsData;
  }

  /** Input status 1: bit 0 while the display is blanked, bit 3 during vertical retrace; reading it resets the attribute controller's flip-flop. */
  private inputStatus1(): number {
    this.attrExpectsData = false;
    const frameNs = LINE_NS * FRAME_LINES;
    const t = this.clock.now() % frameNs;
    const line = Math.floor(t / LINE_NS);
    const blank = line >= VISIBLE_LINES || t % LINE_NS >= VISIBLE_LINE_NS;
    const vsync = line >= VSYNC_FIRST && line < VSYNC_END;
    return (blank ? 0x01 : 0) | (vsync ? 0x08 : 0);
  }

  private readDac(): number {
    const value = this.dac[this.dacReadIndex * 3 + this.dacComponent]!;
    if (++this.dacComponent === 3) {
      this.dacComponent = 0;
      this.dacReadIndex = (this.dacReadIndex + 1) & 0xff;
    }
    return value;
  }

  private writeDac(value: number): void {
    this.dac[this.dacWriteIndex * 3 + this.dacComponent] = value & 0x3f;
    this.version++;
    if (++this.dacComponent === 3) {
      this.dacComponent = 0;
      this.dacWriteIndex = (this.dacWriteIndex + 1) & 0xff;
    }
  }
}
