// The screen snapshot helper: boot a PC with the userland of one mechanism, clear the screen,
// type lines at the shell, and compare the whole 80x25 screen (text and attributes) with a
// reviewed file. See "Writing a screen snapshot test" in the top-level README.
import { beforeAll, describe, expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { MECHANISMS, type Mechanism } from '../../kernel/syscalls/mechanisms.ts';
import { buildSystem, type SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, TestMachine } from '../boot-kernel/machine.ts';
import type { ScreenSpec } from './screens.ts';

/**
 * Boots a fresh PC from `build` to the shell's first prompt, clears the screen, types each line
 * of `spec` and runs it to the next prompt; returns the snapshot text. A boot to the prompt
 * costs about 25 ms, so every screen gets its own machine: its process IDs start after the
 * shell's, whatever the screens before it did.
 */
export function showScreen(build: SystemBuild, spec: ScreenSpec): string {
  const m = new TestMachine(build);
  m.runToPrompt();
  m.clear();
  for (const line of spec.lines) m.command(line);
  return m.snapshot();
}

/** The snapshot file of `spec` under `mechanism`, relative to the test file. */
export function snapshotFile(spec: ScreenSpec, mechanism: Mechanism): string {
  return spec.figures?.kind === 'exact' ? `snapshots/${spec.name}.${mechanism}.txt` : `snapshots/${spec.name}.txt`;
}

/** The snapshot with every digit of its text rows shown as '#' (the header and the attributes kept). */
export function maskFigures(snapshot: string): string {
  return mapTextRows(snapshot, (line) => line.replace(/[0-9]/g, '#'));
}

/**
 * What must agree across mechanisms for a screen with figures: every mechanism's name (a whole
 * word) shown as '*', then its digits masked. Any name, not only the flavour's own: the vdso
 * flavour enters the kernel through sysenter or int 0x80, and strace names that way in.
 */
export function screenLayout(snapshot: string): string {
  const names = new RegExp(`\\b(?:${MECHANISMS.join('|')})\\b`, 'g');
  return maskFigures(mapTextRows(snapshot, (line) => line.replace(names, '*')));
}

function mapTextRows(snapshot: string, map: (line: string) => string): string {
  const lines = snapshot.split('\n');
  const attributes = lines.indexOf('attributes');
  return lines.map((line, i) => (i > 0 && i < attributes ? map(line) : line)).join('\n');
}

// The first mechanism's screen of each spec in this test file, for the others to agree with.
// It catches a difference even in a run that writes the files (vitest writes them at its end).
const firstScreens = new Map<string, { mechanism: Mechanism; screen: string }>();

/**
 * Checks a screen against its snapshot file (masked or per mechanism as `spec.figures` says),
 * and against the first mechanism's screen of the same spec in this test file (only their
 * layouts, screenLayout, when the spec has figures).
 */
export async function expectScreen(snapshot: string, spec: ScreenSpec, mechanism: Mechanism): Promise<void> {
  const stored = spec.figures?.kind === 'masked' ? maskFigures(snapshot) : snapshot;
  await expect(stored, `the ${spec.name} screen under ${mechanism}`).toMatchFileSnapshot(snapshotFile(spec, mechanism));
  const comparable = spec.figures === undefined ? snapshot : screenLayout(snapshot);
  const first = firstScreens.get(spec.name);
  if (first === undefined) firstScreens.set(spec.name, { mechanism, screen: comparable });
  else expect(comparable, `the ${spec.name} screen under ${mechanism} against ${first.mechanism}`).toBe(first.screen);
}

/**
 * Declares the tests of `specs`: for each mechanism of I386_MECHANISMS (so a new one needs no
 * edit), a test per screen, each on its own machine, against the snapshot files.
 */
export function describeScreens(what: string, specs: readonly ScreenSpec[]): void {
  describe.each(I386_MECHANISMS)(`${what} with the %s userland`, (mechanism) => {
    let build: SystemBuild;
    beforeAll(async () => {
      build = await buildSystem(mechanism);
    }, BUILD_TIMEOUT_MS);

    it.each(specs)('$name', async (spec) => {
      await expectScreen(showScreen(build, spec), spec, mechanism);
    });
  });
}
