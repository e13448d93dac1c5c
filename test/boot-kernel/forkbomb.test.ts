// A fork bomb on the real system: fork fails cleanly at the process limit, the children go, and
// the shell and the free-frame count are as they were.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

let build: SystemBuild;
beforeAll(async () => {
  build = await buildTestSystem();
}, BUILD_TIMEOUT_MS);

describe('a fork bomb', () => {
  it('stops at the process limit with EAGAIN, and leaves the shell and memory as they were', () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    const k = m.system.kernel!;
    const free = k.frames.freeCount;
    // The shell and the bomb itself hold two of the process table's slots.
    const children = k.maxProcesses - 2;
    expect(m.command('forkbomb')).toBe(`forkbomb\nforkbomb: made ${children} children, fork failed with errno 11\n$ `);
    expect(k.processes.size).toBe(1);
    expect(k.frames.freeCount).toBe(free);
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
  });
});
