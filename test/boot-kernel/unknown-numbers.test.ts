// Hazard: a system-call number the table does not have reaching a handler, an out-of-bounds table
// read, or a host exception in the dispatcher. Every unknown number must answer exactly -ENOSYS,
// through every mechanism the kernel serves: each hole of the table, its size and one past it,
// and numbers far outside (0xffffffff, 0x80000000, ...). The guest program is nosys.asm.
import { beforeAll, describe, expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { Dispatcher } from '../../kernel/syscalls/dispatch.ts';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

/** nosys.asm's numbers far outside the table. */
const FAR_OUTSIDE = 6;

describe.each(I386_MECHANISMS)('unknown system-call numbers through %s', (abi) => {
  let build: SystemBuild;
  beforeAll(async () => {
    build = await buildTestSystem(abi);
  }, BUILD_TIMEOUT_MS);

  it('every hole, the table size, one past it and 0xffffffff answer ENOSYS, and the shell lives on', () => {
    const size = new Dispatcher(SYSCALLS, 'i386').size;
    const unknown = size - SYSCALLS.length + 2 + FAR_OUTSIDE;
    const m = new TestMachine(build);
    m.runToPrompt();
    expect(m.command('nosys')).toBe(`nosys\nnosys: table size ${size}\nnosys: ${unknown} unknown numbers, ${unknown} answered ENOSYS\n$ `);
    expect(m.command('echo $?')).toBe('echo $?\n0\n$ ');
    expect(m.system.panicMessage).toBeNull();
  }, 0); // bounded by guest instructions, not by the wall clock
});
