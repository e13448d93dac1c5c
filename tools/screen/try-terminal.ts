// Tries the terminal front end without an emulated PC: a screen that logs every key event it
// receives, with a line editor at the bottom. Ctrl-A S saves the screen (to the file named on
// the command line, default screenshot.png), Ctrl-A X quits. With input from a pipe it reads
// to the end and prints the final screen as text:
//
//   tools/bin/launch tools/screen/try-terminal.ts [SCREENSHOT.png|SCREENSHOT.txt]
import { unicodeToCp437 } from './cp437.ts';
import type { KeyEvent } from './input/keys.ts';
import { MemoryScreen } from './memory-screen.ts';
import { writeScreendump } from './screendump.ts';
import { screenText } from './snapshot.ts';
import { TerminalSession } from './terminal/session.ts';

const COLS = 80;
const LOG_TOP = 2;
const LOG_ROWS = 20;
const EDIT_ROW = 23;

const screen = new MemoryScreen(COLS, 25);
const log: string[] = [];
let line = '';

function describeKey(key: KeyEvent): string {
  const mods = [key.ctrl && 'Ctrl', key.alt && 'Alt', key.shift && 'Shift'].filter(Boolean).join('+');
  const name = Array.from(key.key).length === 1 ? `'${key.key}'` : key.key;
  return mods ? `${mods} ${name}` : name;
}

// Typed text in characters code page 437 has, with '?' for the others (the PC has no glyph for them).
function showable(text: string): string[] {
  return Array.from(text, (ch) => (unicodeToCp437(ch) === undefined ? '?' : ch));
}

function paint(): void {
  screen.write(0, 0, ' terminal check: every key is listed; Ctrl-A H for the commands'.padEnd(COLS), 0x1f);
  for (let i = 0; i < LOG_ROWS; i++) screen.write(LOG_TOP + i, 0, showable(log[i] ?? '').join('').padEnd(COLS), 0x07);
  const shown = showable(`> ${line}`).slice(-(COLS - 1));
  screen.write(EDIT_ROW, 0, shown.join('').padEnd(COLS), 0x0e);
  screen.setCursor({ row: EDIT_ROW, col: shown.length, visible: true });
}

const session = new TerminalSession();
const interactive = session.outputIsTerminal;
const screenshot = process.argv[2] ?? 'screenshot.png';

function refresh(): void {
  paint();
  if (interactive) session.draw(screen);
}

session.onKey((key) => {
  log.push(describeKey(key));
  if (log.length > LOG_ROWS) log.shift();
  if (key.key === 'Enter') line = '';
  else if (key.key === 'Backspace') line = Array.from(line).slice(0, -1).join('');
  else if (Array.from(key.key).length === 1 && !key.ctrl && !key.alt) line += key.key;
  refresh();
});

session.onCommand((command) => {
  if (command === 'quit') {
    session.stop();
    return;
  }
  if (command === 'screenshot') {
    try {
      writeScreendump(screen, screenshot);
      session.setStatus(`saved ${screenshot}`);
    } catch (error) {
      session.setStatus((error as Error).message);
    }
  }
});

session.onInputEnd(() => {
  session.stop();
  if (!interactive) process.stdout.write(`${screenText(screen)}\n`);
});

session.start();
session.setStatus('Ctrl-A X quits');
refresh();
