// The one table of keys of a US 104-key PC keyboard: name, scan code set 1 and set 2 make codes
// (0xE0xx for the extended keys that send an E0 prefix), and the characters the key types without
// and with Shift. Everything that turns host input into scan codes is derived from it.

/** One key: its name, set 1 and set 2 make codes, and what it types. */
export interface KeyDef {
  readonly name: string;
  readonly set1: number;
  readonly set2: number;
  readonly plain?: string;
  readonly shifted?: string;
  /** Keys whose codes are not one make code: the full make and break sequences per set ([] = none). */
  readonly sequences?: { readonly set1: readonly [number[], number[]]; readonly set2: readonly [number[], number[]] };
}

/** One key going down or up. */
export interface KeyEvent {
  readonly key: KeyDef;
  readonly down: boolean;
}

// [name, set 1, set 2, characters without and with Shift]
const ROWS: readonly [string, number, number, string?][] = [
  ['Escape', 0x01, 0x76, '\x1b'],
  ['1', 0x02, 0x16, '1!'], ['2', 0x03, 0x1e, '2@'], ['3', 0x04, 0x26, '3#'], ['4', 0x05, 0x25, '4$'],
  ['5', 0x06, 0x2e, '5%'], ['6', 0x07, 0x36, '6^'], ['7', 0x08, 0x3d, '7&'], ['8', 0x09, 0x3e, '8*'],
  ['9', 0x0a, 0x46, '9('], ['0', 0x0b, 0x45, '0)'], ['Minus', 0x0c, 0x4e, '-_'], ['Equal', 0x0d, 0x55, '=+'],
  ['Backspace', 0x0e, 0x66, '\b'], ['Tab', 0x0f, 0x0d, '\t'],
  ['Q', 0x10, 0x15, 'qQ'], ['W', 0x11, 0x1d, 'wW'], ['E', 0x12, 0x24, 'eE'], ['R', 0x13, 0x2d, 'rR'],
  ['T', 0x14, 0x2c, 'tT'], ['Y', 0x15, 0x35, 'yY'], ['U', 0x16, 0x3c, 'uU'], ['I', 0x17, 0x43, 'iI'],
  ['O', 0x18, 0x44, 'oO'], ['P', 0x19, 0x4d, 'pP'], ['BracketLeft', 0x1a, 0x54, '[{'],
  ['BracketRight', 0x1b, 0x5b, ']}'], ['Enter', 0x1c, 0x5a, '\n'], ['ControlLeft', 0x1d, 0x14],
  ['A', 0x1e, 0x1c, 'aA'], ['S', 0x1f, 0x1b, 'sS'], ['D', 0x20, 0x23, 'dD'], ['F', 0x21, 0x2b, 'fF'],
  ['G', 0x22, 0x34, 'gG'], ['H', 0x23, 0x33, 'hH'], ['J', 0x24, 0x3b, 'jJ'], ['K', 0x25, 0x42, 'kK'],
  ['L', 0x26, 0x4b, 'lL'], ['Semicolon', 0x27, 0x4c, ';:'], ['Quote', 0x28, 0x52, '\'"'],
  ['Backquote', 0x29, 0x0e, '`~'], ['ShiftLeft', 0x2a, 0x12], ['Backslash', 0x2b, 0x5d, '\\|'],
  ['Z', 0x2c, 0x1a, 'zZ'], ['X', 0x2d, 0x22, 'xX'], ['C', 0x2e, 0x21, 'cC'], ['V', 0x2f, 0x2a, 'vV'],
  ['B', 0x30, 0x32, 'bB'], ['N', 0x31, 0x31, 'nN'], ['M', 0x32, 0x3a, 'mM'], ['Comma', 0x33, 0x41, ',<'],
  ['Period', 0x34, 0x49, '.>'], ['Slash', 0x35, 0x4a, '/?'], ['ShiftRight', 0x36, 0x59],
  ['NumpadMultiply', 0x37, 0x7c], ['AltLeft', 0x38, 0x11], ['Space', 0x39, 0x29, ' '],
  ['CapsLock', 0x3a, 0x58],
  ['F1', 0x3b, 0x05], ['F2', 0x3c, 0x06], ['F3', 0x3d, 0x04], ['F4', 0x3e, 0x0c], ['F5', 0x3f, 0x03],
  ['F6', 0x40, 0x0b], ['F7', 0x41, 0x83], ['F8', 0x42, 0x0a], ['F9', 0x43, 0x01], ['F10', 0x44, 0x09],
  ['NumLock', 0x45, 0x77], ['ScrollLock', 0x46, 0x7e],
  ['Numpad7', 0x47, 0x6c], ['Numpad8', 0x48, 0x75], ['Numpad9', 0x49, 0x7d], ['NumpadSubtract', 0x4a, 0x7b],
  ['Numpad4', 0x4b, 0x6b], ['Numpad5', 0x4c, 0x73], ['Numpad6', 0x4d, 0x74], ['NumpadAdd', 0x4e, 0x79],
  ['Numpad1', 0x4f, 0x69], ['Numpad2', 0x50, 0x72], ['Numpad3', 0x51, 0x7a], ['Numpad0', 0x52, 0x70],
  ['NumpadDecimal', 0x53, 0x71], ['IntlBackslash', 0x56, 0x61], ['F11', 0x57, 0x78], ['F12', 0x58, 0x07],
  ['NumpadEnter', 0xe01c, 0xe05a], ['ControlRight', 0xe01d, 0xe014], ['NumpadDivide', 0xe035, 0xe04a],
  ['AltRight', 0xe038, 0xe011], ['Home', 0xe047, 0xe06c], ['ArrowUp', 0xe048, 0xe075],
  ['PageUp', 0xe049, 0xe07d], ['ArrowLeft', 0xe04b, 0xe06b], ['ArrowRight', 0xe04d, 0xe074],
  ['End', 0xe04f, 0xe069], ['ArrowDown', 0xe050, 0xe072], ['PageDown', 0xe051, 0xe07a],
  ['Insert', 0xe052, 0xe070], ['Delete', 0xe053, 0xe071], ['MetaLeft', 0xe05b, 0xe01f],
  ['MetaRight', 0xe05c, 0xe027], ['ContextMenu', 0xe05d, 0xe02f],
];

/** Every key of the table, in set 1 code order. */
export const KEYS: readonly KeyDef[] = [
  ...ROWS.map(([name, set1, set2, chars]) => ({
    name,
    set1,
    set2,
    ...(chars !== undefined ? { plain: chars[0]!, shifted: chars[1] ?? chars[0]! } : {}),
  })),
  // Print Screen sends a fake Shift around its code; Pause sends one sequence and no break at all.
  {
    name: 'PrintScreen',
    set1: 0xe037,
    set2: 0xe07c,
    sequences: {
      set1: [[0xe0, 0x2a, 0xe0, 0x37], [0xe0, 0xb7, 0xe0, 0xaa]],
      set2: [[0xe0, 0x12, 0xe0, 0x7c], [0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12]],
    },
  },
  {
    name: 'Pause',
    set1: 0xe11d,
    set2: 0xe114,
    sequences: {
      set1: [[0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5], []],
      set2: [[0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77], []],
    },
  },
];

/** Other names people use for keys. */
const ALIASES: Record<string, string> = {
  esc: 'Escape', return: 'Enter', up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft',
  right: 'ArrowRight', pgup: 'PageUp', pgdn: 'PageDown', pagedown: 'PageDown', del: 'Delete',
  ins: 'Insert', ctrl: 'ControlLeft', control: 'ControlLeft', shift: 'ShiftLeft', alt: 'AltLeft',
  meta: 'MetaLeft', win: 'MetaLeft', super: 'MetaLeft', menu: 'ContextMenu', space: 'Space',
  bksp: 'Backspace', caps: 'CapsLock', prtsc: 'PrintScreen', printscreen: 'PrintScreen',
  sysrq: 'PrintScreen', break: 'Pause',
};

const BY_NAME = new Map<string, KeyDef>(KEYS.map((k) => [k.name.toLowerCase(), k]));
const BY_CHAR = new Map<string, { key: KeyDef; shift: boolean }>();
for (const key of KEYS) {
  if (key.shifted !== undefined && key.shifted !== key.plain) BY_CHAR.set(key.shifted, { key, shift: true });
  if (key.plain !== undefined) BY_CHAR.set(key.plain, { key, shift: false });
}

const MODIFIER = /^(ctrl|control|shift|alt|meta)[-+](.+)$/i;

/** The key called `name` (case-insensitive, with common aliases), or undefined. */
export function keyByName(name: string): KeyDef | undefined {
  const lower = name.toLowerCase();
  return BY_NAME.get(lower) ?? BY_NAME.get((ALIASES[lower] ?? '').toLowerCase());
}

/**
 * The key events for one keystroke such as "Enter", "F5", "Up", "a", "Ctrl-C" or "Ctrl+Alt+Delete":
 * modifiers down, the key down and up, modifiers up in reverse order. Throws a clear error for an
 * unknown key name.
 */
export function keystroke(spec: string): KeyEvent[] {
  const modifiers: KeyDef[] = [];
  let rest = spec;
  const hold = (key: KeyDef) => {
    if (!modifiers.includes(key)) modifiers.push(key);
  };
  for (let m = MODIFIER.exec(rest); m !== null; m = MODIFIER.exec(rest)) {
    hold(keyByName(m[1]!)!);
    rest = m[2]!;
  }
  let key = keyByName(rest);
  if (key === undefined && [...rest].length === 1) {
    const typed = BY_CHAR.get(modifiers.length > 0 ? rest.toLowerCase() : rest);
    if (typed !== undefined) {
      key = typed.key;
      if (typed.shift) hold(keyByName('ShiftLeft')!);
    }
  }
  if (key === undefined) {
    throw new Error(`keyboard: unknown key "${rest}" in "${spec}" (known: ${KEYS.map((k) => k.name).join(', ')})`);
  }
  return press(modifiers, key);
}

/** The key events that type `text` on a US layout (\n is Enter, \t Tab, \b Backspace); throws, naming the character, if one cannot be typed. */
export function typing(text: string): KeyEvent[] {
  const events: KeyEvent[] = [];
  const shift = keyByName('ShiftLeft')!;
  for (const ch of text) {
    const typed = BY_CHAR.get(ch);
    if (typed === undefined) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new Error(`keyboard: no key on a US keyboard types U+${code} ${JSON.stringify(ch)}`);
    }
    events.push(...press(typed.shift ? [shift] : [], typed.key));
  }
  return events;
}

function press(modifiers: readonly KeyDef[], key: KeyDef): KeyEvent[] {
  return [
    ...modifiers.map((m) => ({ key: m, down: true })),
    { key, down: true },
    { key, down: false },
    ...[...modifiers].reverse().map((m) => ({ key: m, down: false })),
  ];
}
