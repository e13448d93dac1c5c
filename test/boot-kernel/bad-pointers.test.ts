// Hazard: a kernel that trusts a user pointer: reading or writing kernel memory for the caller,
// faulting in ring 0, or acting half-way before it notices (a byte written, input consumed, a
// descriptor made, a child reaped). badptr.asm gives every pointer argument of every call (from
// the include the table generates) NULL, unmapped, kernel, top-of-memory, read-only (outputs),
// straddling-into-unmapped and last-byte-of-a-page addresses, and checks -EFAULT with no side
// effect; then the object straddling two mapped pages must work as it does in one page.
// Run through every mechanism's userland.
import { beforeAll, describe, expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import type { ArgSpec } from '../../kernel/syscalls/spec.ts';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { pointerArgs, WRITTEN_ONLY_SOMETIMES } from '../../tools/gen/syscall-args.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

const POINTER_KINDS = new Set<ArgSpec['kind']>(['string', 'inbuf', 'outbuf', 'instruct', 'outstruct', 'strarray']);
/** badptr.asm's bad addresses (NULL, unmapped, kernel, kernel image, top of memory, straddling, last byte), plus read-only for outputs, plus the legal straddle. */
const CASES_IN = 8;
const CASES_OUT = 9;

describe('the pointer arguments badptr checks', () => {
  it('are every pointer argument of the table (and ioctl\'s argp), bar the named exceptions', () => {
    const table = SYSCALLS.flatMap((s) => s.args.flatMap((a, i) => (POINTER_KINDS.has(a.kind) ? [`${s.name}.${i}`] : [])));
    const described = pointerArgs(SYSCALLS).map((p) => `${p.call}.${p.index}`);
    expect(described).toEqual(expect.arrayContaining(table));
    expect(described.filter((d) => !table.includes(d))).toEqual(['ioctl.2']);
    const rarely = pointerArgs(SYSCALLS).filter((p) => p.writtenRarely).map((p) => `${p.call}.${SYSCALLS.find((s) => s.name === p.call)!.args[p.index]!.name}`);
    expect(rarely).toEqual(Object.keys(WRITTEN_ONLY_SOMETIMES));
  });
});

describe.each(I386_MECHANISMS)('bad pointers through %s', (abi) => {
  let build: SystemBuild;
  beforeAll(async () => {
    build = await buildTestSystem(abi);
  }, BUILD_TIMEOUT_MS);

  it('every pointer argument answers EFAULT with no side effect, and straddling two pages works', () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    const k = m.system.kernel!;
    const free = k.frames.freeCount;
    const out = m.command('badptr');
    const checked = pointerArgs(SYSCALLS).filter((p) => !p.writtenRarely);
    const cases = checked.reduce((n, p) => n + (p.written ? CASES_OUT : CASES_IN), 0);
    expect(out).toBe([
      'badptr',
      ...checked.map((p) => `badptr: ${p.call} arg ${p.index + 1}: ${p.written ? CASES_OUT : CASES_IN} cases passed`),
      `badptr: ${checked.length} arguments, ${cases} cases, 0 failed`,
      '$ ',
    ].join('\n'));
    // The children's orphans are reaped by the shell at its next prompt.
    m.command('true');
    expect(k.processes.size).toBe(1);
    expect(k.frames.freeCount).toBe(free);
    expect(m.system.panicMessage).toBeNull();
  }, 0); // bounded by guest instructions, not by the wall clock
});
