// Real GNU binutils (ld, readelf, objdump) as oracles, when installed; and NASM-assembled inputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realNasm } from '../helpers/real-nasm.ts';

const present = new Map<string, boolean>();

/** Whether `tool --version` runs. */
export function hasTool(tool: string): boolean {
  if (!present.has(tool)) present.set(tool, spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);
  return present.get(tool)!;
}

let ldHelp: string | undefined;

/** Whether the installed GNU ld lists `option` in its --help (options differ between binutils versions). */
export function ldSupports(option: string): boolean {
  ldHelp ??= spawnSync('ld', ['--help'], { encoding: 'utf8' }).stdout ?? '';
  return ldHelp.includes(option);
}

/** Assembles with real NASM; a failure is a broken test, so it throws with NASM's messages. */
export function assemble(source: string, format: 'elf32' | 'elf64'): Uint8Array {
  const result = realNasm(source, format);
  if (!result.ok) throw new Error(`nasm failed:\n${result.messages}`);
  return result.bytes;
}

/** Runs a binutils tool on files written to a scratch directory; returns exit status, output and the named output file. */
export function runTool(
  tool: string, args: (dir: string) => string[], files: Record<string, Uint8Array>, outputName?: string,
): { status: number; stdout: string; stderr: string; output: Uint8Array | null } {
  const dir = mkdtempSync(join(tmpdir(), 'binutils-'));
  try {
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const r = spawnSync(tool, args(dir), { cwd: dir, encoding: 'utf8' });
    let output: Uint8Array | null = null;
    if (outputName) {
      try {
        output = new Uint8Array(readFileSync(join(dir, outputName)));
      } catch {
        output = null;
      }
    }
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Links named objects with real ld; `output` is null when ld failed. */
export function realLd(flags: string[], objects: Record<string, Uint8Array>): { output: Uint8Array | null; stderr: string } {
  const r = runTool('ld', () => [...flags, '-o', 'out', ...Object.keys(objects)], objects, 'out');
  return { output: r.status === 0 ? r.output : null, stderr: r.stderr };
}
