// The instruction a coverage test assembles for an opcode-table row: written from the row's own
// operand notation (with operands that reach memory at 0x20000), or taken from a map of rows that
// NASM cannot produce from their notation. 64-bit rows use the same notation with 64-bit operands
// where a form needs them.
import { parseKey } from '../../machine/cpu/opcodes.ts';

const SEGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const OPERAND: Record<string, string> = {
  Eb: 'byte [0x20000]', Ev: 'dword [0x20000]', Ew: 'word [0x20000]', Gb: 'cl', Gv: 'ecx', Gw: 'cx',
  Ib: '5', Iz: '0x12345678', AL: 'al', eAX: 'eax', CL: 'cl', DX: 'dx', '1': '1',
  M: '[0x20000]', Ma: '[0x20000]', Mp: '[0x20000]', Ms: '[0x20000]', Mq: '[0x20000]',
  Ob: '[0x20000]', Ov: '[0x20000]', Jb: 'short $+2', Jz: 'near $+5', Zv: 'ebx', Zb: 'bl',
};

/** Operands that differ in 64-bit code. */
const OPERAND_64: Record<string, string> = { Rd: 'rax', Ed: 'dword [0x20000]' };

/** The NASM source of the row's instruction; `special` overrides by row key. */
export function instructionFor(key: string, text: string, special: Record<string, string>, bits: 32 | 64 = 32): string {
  if (special[key]) return special[key];
  const { reg } = parseKey(key);
  // Encodings NASM never chooses: the 82 alias of group 1 and sal as /6 of group 2 (disp32 operand).
  const modrm = `0x${((reg << 3) | 5).toString(16)}, 0x00, 0x00, 0x02, 0x00`;
  if (key.startsWith('82/')) return `db 0x82, ${modrm}, 5`;
  if (/^(C0|C1)\/6$/.test(key)) return `db 0x${key.slice(0, 2)}, ${modrm}, 5`;
  if (/^D[0-3]\/6$/.test(key)) return `db 0x${key.slice(0, 2)}, ${modrm}`;
  const space = text.indexOf(' ');
  let mn = space < 0 ? text : text.slice(0, space);
  const args = space < 0 ? [] : text.slice(space + 1).split(',');
  if (mn === 'jcc') mn = 'jz';
  if (mn === 'setcc') mn = 'setz';
  if (mn === 'cmovcc') mn = 'cmovz';
  if (['insb', 'insw', 'outsb', 'outsw', 'movsb', 'movsw', 'cmpsb', 'cmpsw', 'stosb', 'stosw', 'lodsb', 'lodsw', 'scasb', 'scasw'].includes(mn)) {
    return `mov esi, 0x20000\nmov edi, 0x20100\n${mn.replace(/w$/, 'd')}`;
  }
  if (mn === 'pusha') return 'pushad';
  if (mn === 'pushf') return bits === 64 ? 'pushfq' : 'pushfd';
  if (mn === 'cbw') return 'cwde';
  if (mn === 'cwd') return 'cdq';
  if (mn === 'iret') return 'iretd';
  const ops = args.map((a) => {
    if (a === 'Sw') return SEGS[reg];
    if (a === 'Ev' && args[1] === 'Sw') return '[0x20000]';
    if (a === 'Cd') return `cr${reg}`;
    if (bits === 64 && OPERAND_64[a]) return OPERAND_64[a];
    if (a === 'Rd') return 'eax';
    if (['ES', 'CS', 'SS', 'DS', 'FS', 'GS'].includes(a)) return a.toLowerCase();
    return OPERAND[a] ?? a;
  });
  if (mn === 'push' && args[0] === 'Ib') ops[0] = 'byte 5';
  if (args[1] === 'Ib' && args[0].startsWith('E') && args[0] !== 'Eb') ops[1] = 'byte 5';
  if (mn === 'test' && args[1] === 'Ib' && args[0] === 'Eb') ops[1] = '5';
  if (args[0] === 'Ev' && args[1] === 'Ib' && (key.startsWith('C1') || key.startsWith('0F BA'))) ops[1] = '5';
  if (args[0] === 'eAX' && args[1] === 'Iz') ops[1] = '0x12345678';
  if (args[0] === 'Ev' && args[1] === 'Iz') ops[0] = 'dword [0x20000]';
  if (args[0] === 'Ev' && args.length === 1 && ['inc', 'dec', 'push', 'not', 'neg', 'mul', 'imul', 'pop'].includes(mn)) {
    ops[0] = bits === 64 && (mn === 'push' || mn === 'pop') ? 'qword [0x20000]' : 'dword [0x20000]';
  }
  if (mn === 'in' || mn === 'out') return `mov dx, 0x80\n${mn} ${ops.join(', ')}`;
  if (mn === 'lock') return '';
  return `${mn} ${ops.join(', ')}`.trim();
}
