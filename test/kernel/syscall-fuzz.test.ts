// Random system calls from the table, with random (often hostile) arguments, from several
// processes at once: the kernel must never throw, and every frame must come back once the
// processes are gone. Deterministic (seeded); FUZZ_LONG=1 (make fuzz) runs it much longer.
import { describe, expect, it } from 'vitest';
import { KERNEL_BASE } from '../../kernel/arch/i386/address-space.ts';
import { SIG } from '../../kernel/proc/signals.ts';
import type { ArgSpec } from '../../kernel/syscalls/spec.ts';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { elf32 } from './helpers/elf.ts';
import { DATA, DATA_PAGES, Harness, RODATA } from './helpers/harness.ts';

const CALLS = process.env.FUZZ_LONG ? 200_000 : 4_000;

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('syscall fuzzing', () => {
  it(`survives ${CALLS} random calls and gives every frame back`, () => {
    const h = new Harness({ initramfs: packInitramfs([{ path: '/bin/p', data: elf32(Uint8Array.of(0xeb, 0xfe), 3000), perm: 0o755 }]), maxProcesses: 12 });
    const random = rng(0x5eed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const strings = ['/tmp/a', '/tmp', '/dev/null', '/', '..', '/bin/p', '/nope/x', 'a'.repeat(300)];
    strings.forEach((s, i) => h.str(DATA + i * 512, s));
    h.poke(DATA + 0x1800, new Uint8Array(new Uint32Array([DATA, DATA + 512, 0, 0]).buffer)); // an argv
    h.poke(DATA + 0x1900, new Uint8Array(new Int32Array([0, 1000]).buffer)); // a short timespec
    const start = h.frames.freeCount;

    const pointer = (): number => pick([
      0, DATA + Math.floor(random() * DATA_PAGES * 4096), DATA + pick([0, 1, 2, 3, 4, 5, 6, 7]) * 512, DATA + 0x1800, DATA + 0x1900,
      RODATA, 0x30000000, KERNEL_BASE, 0xfffffffc, DATA + DATA_PAGES * 4096 - 3, Math.floor(random() * 2 ** 32),
    ]);
    const scalar = (): number => pick([-1, 0, 1, 2, 3, 4, 5, 64, 4096, 0x7fffffff, 0x80000000, Math.floor(random() * 2 ** 32)]);
    const value = (a: ArgSpec): number => {
      switch (a.kind) {
        case 'string': case 'inbuf': case 'outbuf': case 'instruct': case 'outstruct': case 'strarray': case 'ptr': return pointer();
        case 'fd': return pick([0, 1, 2, 3, 4, 5, 9, -1, 63, 64]);
        case 'uint': return pick([0, 1, 16, 100, 4096, 70000, 0xffffffff]);
        case 'signal': return pick([0, SIG.SIGTERM, SIG.SIGSTOP, SIG.SIGCONT, SIG.SIGCHLD, SIG.SIGPIPE, 64, 65, -1]);
        default: return scalar();
      }
    };

    for (let i = 0; i < CALLS; i++) {
      if (!h.kernel.current) {
        h.kernel.keyboardInput(0x0a);
        h.clock.advance(1_000_000);
        h.kernel.timerTick();
      }
      if (!h.kernel.current) {
        // Everything sleeps on something nobody will do: end a sleeper, as a user's kill would.
        const sleeper = [...h.kernel.processes.values()].find((p) => p.pid !== 1 && p.state !== 'zombie');
        if (sleeper) h.kernel.signal(sleeper, pick([SIG.SIGKILL, SIG.SIGCONT]));
        h.kernel.preemptionPoint();
        continue;
      }
      const p = h.current;
      if (p.pid === 1) {
        // init only forks workers and reaps them, so it never sleeps.
        if (random() < 0.5) h.call('fork');
        else h.call('waitpid', -1, 0, 1);
        h.call('sched_yield');
        continue;
      }
      const spec = random() < 0.02 ? null : pick(SYSCALLS);
      if (spec === null) h.call(Math.floor(random() * 2 ** 32));
      else h.call(spec.i386, ...spec.args.map(value));
      if (random() < 0.1) h.kernel.timerTick();
    }

    for (const p of h.kernel.processes.values()) if (p.pid !== 1) h.kernel.signal(p, SIG.SIGKILL);
    h.kernel.preemptionPoint();
    while (h.kernel.current?.pid === 1 && h.kernel.processes.size > 1) {
      if (h.sys('waitpid', -1, 0, 1) <= 0) break;
    }
    expect([...h.kernel.processes.keys()]).toEqual([1]);
    expect(h.frames.freeCount).toBe(start);
  });
});
