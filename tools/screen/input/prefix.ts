// The Ctrl-A escape prefix of the front end, as QEMU's and screen's consoles have it: Ctrl-A
// then a letter is a command to the front end rather than a key for the guest.
//
//   Ctrl-A X   quit          Ctrl-A S   screenshot (PNG)
//   Ctrl-A H   help          Ctrl-A Ctrl-A (or Ctrl-A A) sends Ctrl-A to the guest
import { keyEvent, type KeyEvent } from './keys.ts';

/** A front-end command typed after the prefix. */
export type Command = 'quit' | 'screenshot' | 'help';

/** What a key amounts to once the prefix is accounted for. */
export type PrefixResult =
  | { kind: 'key'; key: KeyEvent }
  | { kind: 'command'; command: Command }
  /** The prefix followed by a key that is no command; the key is not sent to the guest. */
  | { kind: 'unknown'; key: KeyEvent }
  /** The prefix itself: wait for the next key. */
  | { kind: 'prefix' };

/** The one-line summary of the commands, for a status line. */
export const PREFIX_HELP = 'Ctrl-A then: X quit, S screenshot, H help, Ctrl-A send Ctrl-A';

const COMMANDS: Record<string, Command> = { x: 'quit', s: 'screenshot', h: 'help', '?': 'help' };

function isCtrlA(key: KeyEvent): boolean {
  return key.key === 'a' && key.ctrl && !key.alt;
}

/** Splits key events into keys for the guest and commands for the front end. */
export class EscapePrefix {
  private armed = false;

  /** Whether the prefix was typed and the next key is a command. */
  get waiting(): boolean {
    return this.armed;
  }

  /** Classifies one key; keys that are not part of a command pass through unchanged. */
  feed(key: KeyEvent): PrefixResult {
    if (!this.armed) {
      if (isCtrlA(key)) {
        this.armed = true;
        return { kind: 'prefix' };
      }
      return { kind: 'key', key };
    }
    this.armed = false;
    if (isCtrlA(key) || (key.key.toLowerCase() === 'a' && !key.ctrl && !key.alt)) return { kind: 'key', key: keyEvent('a', { ctrl: true }) };
    // Commands are the letter with or without Shift or Ctrl, so Ctrl held down still works.
    const command = key.alt ? undefined : COMMANDS[key.key.toLowerCase()];
    if (command) return { kind: 'command', command };
    return { kind: 'unknown', key };
  }
}
