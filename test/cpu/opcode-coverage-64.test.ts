// Every row of the 64-bit mode opcode table is assembled from its operand notation (bits 64),
// decoded (the decoder must land on that row) and executed once in ring 0 of long mode without
// #UD or an internal error. Rows NASM cannot produce from the notation have explicit encodings.
import { describe, expect, it } from 'vitest';
import { OPCODE_ROWS_64, parseKey } from '../../machine/cpu/opcodes.ts';
import { bare64, CODE, SEL64 } from './harness64.ts';
import { instructionFor } from './opcode-source.ts';

const X87 = (op: number) => `db 0x${op.toString(16)}, 0x04, 0x25, 0x00, 0x00, 0x02, 0x00`;

const SPECIAL: Record<string, string> = {
  'F6/1': 'db 0xf6, 0x0c, 0x25, 0x00, 0x00, 0x02, 0x00, 0x05',
  'F7/1': 'db 0xf7, 0x0c, 0x25, 0x00, 0x00, 0x02, 0x00, 0x78, 0x56, 0x34, 0x12',
  '0F 19': 'db 0x0f, 0x19, 0xc0', '0F 1A': 'db 0x0f, 0x1a, 0xc0', '0F 1B': 'db 0x0f, 0x1b, 0xc0',
  '0F 1C': 'db 0x0f, 0x1c, 0xc0', '0F 1D': 'db 0x0f, 0x1d, 0xc0', '0F 1E': 'db 0x0f, 0x1e, 0xc0', '0F 0D': 'db 0x0f, 0x0d, 0xc0',
  '0F 18': 'db 0x0f, 0x18, 0xc0', '0F 1F': 'nop dword [0x20000]',
  'FF/3': 'mov word [0x20108], 0x08\ncall far [0x20100]', 'FF/5': 'mov word [0x20108], 0x08\njmp far [0x20100]',
  'CA': `push ${SEL64.code64}\nlea rax, [rel next]\npush rax\n>o64 retf 0\nnext:`, 'CB': `push ${SEL64.code64}\nlea rax, [rel next]\npush rax\n>o64 retf\nnext:`,
  'CF': `mov rax, rsp\npush ${SEL64.data0}\npush rax\npushfq\npush ${SEL64.code64}\nlea rax, [rel next]\npush rax\n>iretq\nnext:`,
  'C2': 'lea rax, [rel next]\npush rax\n>ret 0\nnext:', 'C3': 'lea rax, [rel next]\npush rax\n>ret\nnext:', 'C8': 'enter 8, 1', 'C9': 'leave',
  'E0': 'loopne $+2', 'E1': 'loope $+2', 'E2': 'loop $+2', 'E3': 'jrcxz $+2',
  D8: X87(0xd8), D9: X87(0xd9), DA: X87(0xda), DB: X87(0xdb), DC: X87(0xdc), DD: X87(0xdd), DE: X87(0xde), DF: X87(0xdf),
  'CC': 'int3', 'CD': 'int 0x30', 'F1': 'int1', 'F4': 'hlt',
  '90+r': 'xchg rbx, rax', 'B0+r': 'mov bl, 5', 'B8+r': 'mov rbx, 0x123456789a',
  '63': 'movsxd rcx, dword [0x20000]', 'D7': 'xlatb', '50+r': 'push rbx', '58+r': 'pop rbx',
  A0: 'mov al, [qword 0x20000]', A1: 'mov eax, [qword 0x20000]', A2: 'mov [qword 0x20000], al', A3: 'mov [qword 0x20000], eax',
  'FF/2': 'mov qword [0x20000], next\n>call qword [0x20000]\nnext:', 'FF/4': 'mov qword [0x20000], next\n>jmp qword [0x20000]\nnext:',
  '0F 01 C1': 'vmcall', '0F 01 F8': 'swapgs', '9B': 'wait', '0F 34': 'sysenter', '0F 35': 'sysexit', '0F 0B': 'ud2',
  '0F 05': 'syscall', '0F 07': 'sysret',
  '0F 00/2': 'mov ax, 0\nlldt ax', '0F 00/3': `and byte [0x1000 + ${SEL64.tss} + 5], 0xfd\nmov ax, ${SEL64.tss}\nltr ax`,
  '0F 01/2': 'sgdt [0x20100]\nlgdt [0x20100]', '0F 01/3': 'sidt [0x20100]\nlidt [0x20100]',
  '0F 30': 'mov ecx, 0x174\nxor eax, eax\nxor edx, edx\nwrmsr', '0F 32': 'mov ecx, 0x10\nrdmsr',
  '0F 20/0': 'mov rax, cr0', '0F 20/2': 'mov rax, cr2', '0F 20/3': 'mov rax, cr3', '0F 20/4': 'mov rax, cr4',
  '0F 22/0': 'mov rax, cr0\nmov cr0, rax', '0F 22/3': 'mov rax, cr3\nmov cr3, rax', '0F 22/4': 'mov rax, cr4\nmov cr4, rax', '0F 22/2': 'mov cr2, rax',
  '0F 23': 'mov dr0, rax', '0F 21': 'mov rax, dr0', '0F C7/1': 'cmpxchg8b [0x20000]', '0F A2': 'xor eax, eax\ncpuid',
  '8E/2': 'mov ax, ss\nmov ss, ax', '8E/0': 'mov ax, ds\nmov es, ax', '8E/3': 'mov ax, ds\nmov ds, ax',
  '8E/4': 'mov ax, ds\nmov fs, ax', '8E/5': 'mov ax, ds\nmov gs, ax', '0F A1': 'push fs\npop fs', '0F A9': 'push gs\npop gs', '9D': 'pushfq\npopfq',
  '0F B2': 'mov word [0x20004], 0x10\nlss ecx, [0x20000]', '0F B4': 'mov word [0x20004], 0x10\nlfs ecx, [0x20000]',
  '0F B5': 'mov word [0x20004], 0x10\nlgs ecx, [0x20000]',
  'F6/6': 'mov eax, 100\ndiv byte [0x20000]', 'F6/7': 'mov eax, 100\nidiv byte [0x20000]',
  'F7/6': 'xor edx, edx\ndiv dword [0x20000]', 'F7/7': 'xor edx, edx\nidiv dword [0x20000]',
  '6C': 'mov edi, 0x20100\nmov dx, 0x80\ninsb', '6D': 'mov edi, 0x20100\nmov dx, 0x80\ninsd',
  '6E': 'mov esi, 0x20000\nmov dx, 0x80\noutsb', '6F': 'mov esi, 0x20000\nmov dx, 0x80\noutsd',
};
/** Rows whose execution raises an exception by design (13: not checked). */
const EXPECTED_VECTOR: Record<string, number> = {
  CC: 3, CD: 0x30, F1: 1, '0F 0B': 6, '0F 01 C1': 6, '0F 05': 6, '0F 07': 6, '0F 34': 13, '0F 35': 13,
  D8: 6, D9: 6, DA: 6, DB: 6, DC: 6, DD: 6, DE: 6, DF: 6,
};

describe('64-bit opcode table coverage', () => {
  it.each(OPCODE_ROWS_64.map((r) => [r[0], r[1]] as const))('%s %s', (key, text) => {
    const source = instructionFor(key, text, SPECIAL, 64);
    const { indexes, reg } = parseKey(key);
    // The instruction under test is the line marked '>' (else the last line); a qword after the
    // first jump holds its address.
    const lines = source.split('\n');
    let at = lines.findIndex((l) => l.startsWith('>'));
    if (at < 0) at = lines.length - 1;
    lines[at] = `start: ${lines[at].replace(/^>/, '')}`;
    const t = bare64(`jmp short main\ndq start\nmain:\n${lines.join('\n')}\nhlt`);
    const start = Number(t.read64(CODE + 2));
    t.write64(0x20000, 7n);
    t.write64(0x20008, 9n);
    t.write64(0x20100, BigInt(start + 16));
    t.cpu.regs[6] = 0x20000;
    t.cpu.regs[7] = 0x20100;
    t.cpu.eip = start;
    const idx = t.cpu.decode();
    expect(indexes, `${source} decoded as index ${idx.toString(16)}`).toContain(idx);
    if (reg >= 0) expect(t.cpu.reg & 7).toBe(reg);
    t.cpu.eip = CODE;
    const reason = t.run(1000);
    expect(reason, t.cpu.shutdownReport ?? '').not.toBe('internal-error');
    expect(reason).not.toBe('triple-fault');
    const expected = EXPECTED_VECTOR[key] ?? -1;
    if (expected !== 13) expect(t.vector(), source).toBe(expected);
    expect(t.logs.filter((l) => l.includes('unimplemented'))).toEqual([]);
  });
});
