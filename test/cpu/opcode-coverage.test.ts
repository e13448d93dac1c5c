// Every row of the opcode table is assembled from its own operand notation, decoded (the
// decoder must land on that row) and executed once in ring 0 without #UD or an internal error.
// Rows NASM cannot produce from the notation have explicit encodings below.
import { describe, expect, it } from 'vitest';
import { OPCODE_ROWS, parseKey } from '../../machine/cpu/opcodes.ts';
import { bare, CODE } from './harness.ts';
import { instructionFor } from './opcode-source.ts';

/** Rows whose instruction is written by hand: aliases NASM never emits, opcode-embedded forms. */
const SPECIAL: Record<string, string> = {
  'F6/1': 'db 0xf6, 0x0d, 0x00, 0x00, 0x02, 0x00, 0x05',
  'F7/1': 'db 0xf7, 0x0d, 0x00, 0x00, 0x02, 0x00, 0x78, 0x56, 0x34, 0x12',
  '0F 19': 'db 0x0f, 0x19, 0xc0', '0F 1A': 'db 0x0f, 0x1a, 0xc0', '0F 1B': 'db 0x0f, 0x1b, 0xc0',
  '0F 1C': 'db 0x0f, 0x1c, 0xc0', '0F 1D': 'db 0x0f, 0x1d, 0xc0', '0F 1E': 'db 0x0f, 0x1e, 0xc0', '0F 0D': 'db 0x0f, 0x0d, 0xc0',
  '0F 18': 'db 0x0f, 0x18, 0xc0', '0F 1F': 'nop dword [0x20000]',
  '9A': 'call 0x08:$+7', 'EA': 'jmp 0x08:$+7', 'FF/3': 'call far [0x20100]', 'FF/5': 'jmp far [0x20100]',
  'CA': 'push cs\npush next\n>retf 0\nnext:', 'CB': 'push cs\npush next\n>retf\nnext:',
  'CF': 'pushfd\npush cs\npush next\n>iretd\nnext:',
  'C2': 'push next\n>ret 0\nnext:', 'C3': 'push next\n>ret\nnext:', 'C8': 'enter 8, 1', 'C9': 'leave',
  'E0': 'loopne $+2', 'E1': 'loope $+2', 'E2': 'loop $+2',
  // x87 escapes with ModRM /0 [disp32] (fadd, fld, fiadd, fild...): the assembler has no x87, so the bytes are written out.
  D8: 'db 0xd8, 0x05, 0x00, 0x00, 0x02, 0x00', D9: 'db 0xd9, 0x05, 0x00, 0x00, 0x02, 0x00', DA: 'db 0xda, 0x05, 0x00, 0x00, 0x02, 0x00', DB: 'db 0xdb, 0x05, 0x00, 0x00, 0x02, 0x00',
  DC: 'db 0xdc, 0x05, 0x00, 0x00, 0x02, 0x00', DD: 'db 0xdd, 0x05, 0x00, 0x00, 0x02, 0x00', DE: 'db 0xde, 0x05, 0x00, 0x00, 0x02, 0x00', DF: 'db 0xdf, 0x05, 0x00, 0x00, 0x02, 0x00',
  'CC': 'int3', 'CD': 'int 0x30', 'CE': 'into', 'F1': 'int1', 'F4': 'hlt', '62': 'bound ecx, [0x20000]',
  '90+r': 'xchg ebx, eax', 'B0+r': 'mov bl, 5', 'B8+r': 'mov ebx, 0x12345678',
  '0F 01 C1': 'vmcall', 'E3': 'jecxz $+2', 'D4': 'aam 10', 'D5': 'aad 10', 'D6': 'salc', 'D7': 'xlatb',
  '9B': 'wait', '0F 05': 'syscall', '0F 07': 'sysret', '0F 34': 'sysenter', '0F 35': 'sysexit', '0F 0B': 'ud2',
  '0F 00/2': 'mov ax, 0\nlldt ax', '0F 00/3': 'and byte [0x1000 + 0x28 + 5], 0xfd\nmov ax, 0x28\nltr ax', '0F 01/2': 'sgdt [0x20100]\nlgdt [0x20100]', '0F 01/3': 'sidt [0x20100]\nlidt [0x20100]',
  '0F 30': 'mov ecx, 0x174\nxor eax, eax\nxor edx, edx\nwrmsr', '0F 32': 'mov ecx, 0x10\nrdmsr',
  '0F 22/0': 'mov eax, cr0\nmov cr0, eax', '0F 22/3': 'mov cr3, eax', '0F 22/4': 'mov cr4, eax', '0F 22/2': 'mov cr2, eax',
  '0F 23': 'mov dr0, eax', '0F 21': 'mov eax, dr0', '0F C7/1': 'cmpxchg8b [0x20000]', '0F A2': 'xor eax, eax\ncpuid',
  '8E/2': 'mov ax, ss\nmov ss, ax', '8E/0': 'mov ax, ds\nmov es, ax', '8E/3': 'mov ax, ds\nmov ds, ax',
  '8E/4': 'mov ax, ds\nmov fs, ax', '8E/5': 'mov ax, ds\nmov gs, ax', '17': 'push ss\npop ss', '07': 'push ds\npop es',
  '1F': 'push ds\npop ds', '0F A1': 'push ds\npop fs', '0F A9': 'push ds\npop gs', '9D': 'pushfd\npopfd', '61': 'pushad\npopad',
  '0F B2': 'mov word [0x20004], 0x10\nlss ecx, [0x20000]', '0F B4': 'mov word [0x20004], 0x10\nlfs ecx, [0x20000]',
  '0F B5': 'mov word [0x20004], 0x10\nlgs ecx, [0x20000]', 'C4': 'mov word [0x20004], 0x10\nles ecx, [0x20000]',
  'C5': 'mov word [0x20004], 0x10\nlds ecx, [0x20000]', 'F6/6': 'mov eax, 100\ndiv byte [0x20000]', 'F6/7': 'mov eax, 100\nidiv byte [0x20000]',
  'F7/6': 'xor edx, edx\ndiv dword [0x20000]', 'F7/7': 'xor edx, edx\nidiv dword [0x20000]',
};
/** Rows whose execution raises an exception by design (the table row still decodes). */
const EXPECTED_VECTOR: Record<string, number> = { '0F 05': 6, '0F 07': 6, CC: 3, CD: 0x30, F1: 1, '0F 0B': 6, '0F 01 C1': 6, '0F 34': 13, '62': 5, D8: 6, D9: 6, DA: 6, DB: 6, DC: 6, DD: 6, DE: 6, DF: 6 };

describe('opcode table coverage', () => {
  it.each(OPCODE_ROWS.map((r) => [r[0], r[1]] as const))('%s %s', (key, text) => {
    const source = instructionFor(key, text, SPECIAL);
    const { indexes, reg } = parseKey(key);
    // The instruction under test is the line marked '>' (else the last line); a dword after the
    // first jump holds its address.
    const lines = source.split('\n');
    let at = lines.findIndex((l) => l.startsWith('>'));
    if (at < 0) at = lines.length - 1;
    lines[at] = `start: ${lines[at].replace(/^>/, '')}`;
    const t = bare(`jmp short main\ndd start\nmain:\n${lines.join('\n')}\nhlt`);
    const start = t.read32(CODE + 2);
    t.mem.write32(0x20000, 7);
    t.mem.write32(0x20004, 9);
    t.mem.write32(0x20100, start + 16);
    t.mem.write16(0x20104, 0x08);
    t.cpu.regs[6] = 0x20000;
    t.cpu.regs[7] = 0x20100;
    t.cpu.sysenterCs = 0x08;
    // Decode the instruction under test without executing it.
    t.cpu.eip = start;
    const idx = t.cpu.decode();
    expect(indexes, `${source} decoded as index ${idx.toString(16)}`).toContain(idx);
    if (reg >= 0) expect(t.cpu.reg).toBe(reg);
    t.cpu.eip = CODE;
    const reason = t.run(1000);
    expect(reason, t.cpu.shutdownReport ?? '').not.toBe('internal-error');
    expect(reason).not.toBe('triple-fault');
    const expected = EXPECTED_VECTOR[key] ?? -1;
    if (expected !== 13) expect(t.vector(), source).toBe(expected);
  });
});
