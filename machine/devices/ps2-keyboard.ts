// A PS/2 (MF2) keyboard: it answers the host's commands with ACK (0xFA) and their replies, and
// turns key events into scan codes of the selected set (set 2 by default, which the 8042
// translates to set 1). Keys the host presses wait in a queue and enter the keyboard one event at
// a time while it is scanning, so nothing typed is lost while the guest has the keyboard disabled.

import { keystroke, typing, type KeyEvent } from './keymap.ts';
import { Queue } from './queue.ts';

const ACK = 0xfa;
const RESEND = 0xfe;
const BAT_OK = 0xaa;

/** The byte a command is waiting for, if any. */
type Awaiting = 'leds' | 'scanset' | 'typematic' | 'keytype' | null;

/** The keyboard behind the 8042; host key presses go in through pressKey and typeText. */
export class Ps2Keyboard {
  /** LED state from the last 0xED command: bit 0 Scroll, bit 1 Num, bit 2 Caps Lock. */
  leds = 0;
  scanCodeSet = 2;
  scanning = true;
  typematic = 0x2b;

  private readonly outbox: number[] = [];
  private readonly hostQueue = new Queue<KeyEvent>();
  /** The key event whose bytes are in the outbox, requeued if a command clears the outbox. */
  private inFlight: KeyEvent | null = null;
  private awaiting: Awaiting = null;
  private lastSent = 0;

  /** `dataReady` is called whenever the keyboard has a byte to send. */
  constructor(private readonly dataReady: () => void) {}

  /** Queues one keystroke ("Enter", "Ctrl-C", "F1", "Up", "a", ...); throws on an unknown key. */
  pressKey(name: string): void {
    this.enqueue(keystroke(name));
  }

  /** Queues the keystrokes that type `text`; throws before queuing anything if a character has no key. */
  typeText(text: string): void {
    this.enqueue(typing(text));
  }

  /** Queues raw key events (a key held down, for instance). */
  enqueue(events: readonly KeyEvent[]): void {
    for (const event of events) this.hostQueue.push(event);
    if (this.hasData()) this.dataReady();
  }

  /** How many key events are still waiting to reach the guest. */
  get queuedKeyEvents(): number {
    return this.hostQueue.length + (this.inFlight !== null ? 1 : 0);
  }

  /** Whether a byte is ready to go to the controller. */
  hasData(): boolean {
    return this.outbox.length > 0 || (this.scanning && this.hostQueue.length > 0);
  }

  /** The next byte for the controller, or undefined. */
  takeByte(): number | undefined {
    // Loops because some key events send nothing (Pause has no break code).
    while (this.outbox.length === 0) {
      this.inFlight = null;
      if (!this.scanning) return undefined;
      const event = this.hostQueue.shift();
      if (event === undefined) return undefined;
      this.inFlight = event;
      this.outbox.push(...this.encode(event));
    }
    const byte = this.outbox.shift()!;
    if (this.outbox.length === 0) this.inFlight = null;
    this.lastSent = byte;
    return byte;
  }

  /** A byte from the host (the guest's write to port 0x60). */
  receive(byte: number): void {
    const awaiting = this.awaiting;
    this.awaiting = null;
    if (awaiting !== null) {
      this.parameter(awaiting, byte);
    } else {
      this.command(byte);
    }
    if (this.hasData()) this.dataReady();
  }

  private command(byte: number): void {
    if (byte === 0xee) return this.reply(0xee);
    if (byte === 0xfe) return this.reply(this.lastSent);
    switch (byte) {
      case 0xed:
        this.awaiting = 'leds';
        return this.reply(ACK);
      case 0xf0:
        this.awaiting = 'scanset';
        return this.reply(ACK);
      case 0xf2:
        // An MF2 keyboard: AB 83 (which the 8042 translates to AB 41).
        return this.reply(ACK, 0xab, 0x83);
      case 0xf3:
        this.awaiting = 'typematic';
        return this.reply(ACK);
      case 0xf4:
        this.scanning = true;
        return this.reply(ACK);
      case 0xf5:
        this.defaults();
        this.scanning = false;
        return this.reply(ACK);
      case 0xf6:
        this.defaults();
        return this.reply(ACK);
      case 0xf7:
      case 0xf8:
      case 0xf9:
      case 0xfa:
        // Set 3 key-type commands: accepted, without effect outside set 3.
        return this.reply(ACK);
      case 0xfb:
      case 0xfc:
      case 0xfd:
        this.awaiting = 'keytype';
        return this.reply(ACK);
      case 0xff:
        this.defaults();
        this.scanning = true;
        this.leds = 0;
        return this.reply(ACK, BAT_OK);
      default:
        return this.reply(RESEND);
    }
  }

  private parameter(awaiting: Exclude<Awaiting, null>, byte: number): void {
    switch (awaiting) {
      case 'leds':
        this.leds = byte & 7;
        return this.reply(ACK);
      case 'scanset':
        if (byte === 0) return this.reply(ACK, this.scanCodeSet);
        if (byte === 1 || byte === 2) {
          this.scanCodeSet = byte;
          return this.reply(ACK);
        }
        // Scan code set 3 is not implemented: answer as a keyboard without it does.
        return this.reply(RESEND);
      case 'typematic':
        this.typematic = byte & 0x7f;
        return this.reply(ACK);
      case 'keytype':
        return this.reply(ACK);
    }
  }

  /** Replaces whatever was waiting in the outbox with a command's reply; an interrupted key event goes back to the front of the queue. */
  private reply(...bytes: number[]): void {
    if (this.inFlight !== null) {
      this.hostQueue.unshift(this.inFlight);
      this.inFlight = null;
    }
    this.outbox.length = 0;
    this.outbox.push(...bytes);
  }

  private defaults(): void {
    this.scanCodeSet = 2;
    this.typematic = 0x2b;
  }

  private encode(event: KeyEvent): number[] {
    const sequences = event.key.sequences;
    if (sequences !== undefined) {
      return [...(this.scanCodeSet === 1 ? sequences.set1 : sequences.set2)[event.down ? 0 : 1]];
    }
    const code = this.scanCodeSet === 1 ? event.key.set1 : event.key.set2;
    const prefix = code > 0xff ? [code >> 8] : [];
    const low = code & 0xff;
    if (event.down) return [...prefix, low];
    return this.scanCodeSet === 1 ? [...prefix, low | 0x80] : [...prefix, 0xf0, low];
  }
}
