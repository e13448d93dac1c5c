// Assembles every .asm file of the repository with this assembler and with real NASM, in each
// output format NASM accepts for it, and reports where the outputs or the listings differ.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { assembleFile, type OutputFormat } from '../../tools/asm/assemble.ts';
import { encodeInstruction } from '../../tools/asm/encode/index.ts';
import { formatDiagnostic } from '../../tools/asm/diagnostics.ts';
import { writeElfObject } from '../../tools/elf/write-object.ts';
import { objectModuleFromElf } from '../../tools/elf/read-object.ts';
import { readElf } from '../../machine/formats/elf-reader.ts';
import type { ObjectModule } from '../../tools/asm/object.ts';
import { realNasm } from '../helpers/real-nasm.ts';

export interface DifferentialReport {
  /** Files NASM assembled in at least one format. */
  files: number;
  /** File/format pairs where both produced output and the outputs were compared. */
  comparisons: number;
  /** File/format pairs both assemblers rejected (e.g. ORG in an object format). */
  bothRejected: number;
  differed: string[];
}

/** Every .asm file git knows of (tracked, or new and not ignored). */
export function repositoryAsmFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.asm'], { encoding: 'utf8' });
  return [...new Set(out.split('\n').filter((f) => f.length > 0))].sort();
}

/** An object module as text, without what legitimately differs: the source file name and the numbers in `..@N.` macro-local labels. */
function objectText(m: ObjectModule): string {
  const plain = { ...m, sourceFile: '' };
  return JSON.stringify(plain, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 1)
    .replace(/\.\.@\d+\./g, '..@N.');
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) if (al[i] !== bl[i]) return `nasm ${al[i]?.trim()} / ours ${bl[i]?.trim()}`;
  return '';
}

/** Include folders for a file: its own, every `include` folder of an enclosing folder (as the userland build passes), and the root. */
export function includePathsFor(path: string): string[] {
  const root = resolve('.');
  const paths = [dirname(resolve(path))];
  for (let d = dirname(resolve(path)); d.startsWith(root); d = dirname(d)) {
    if (existsSync(join(d, 'include'))) paths.push(join(d, 'include'));
    if (d === root) break;
  }
  paths.push(root);
  return [...new Set(paths)];
}

/** NASM's listing of the file next to ours, ignoring the numbers of `..@N.` labels; null when they agree. */
function compareListing(path: string, format: OutputFormat, includePaths: string[], ours: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'asm-listing-'));
  try {
    const args = ['-f', format, ...includePaths.flatMap((p) => ['-I', `${p}/`]), '-o', join(dir, 'out'), '-l', join(dir, 'list'), path];
    execFileSync('nasm', args, { stdio: 'ignore' });
    const theirs = readFileSync(join(dir, 'list'), 'utf8').replace(/\.\.@\d+\./g, '..@N.');
    const mine = ours.replace(/\.\.@\d+\./g, '..@N.');
    return theirs === mine ? null : `${path} (${format} listing): ${firstDifference(theirs, mine)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares one file in one format: 'same', 'rejected' (by both), 'skip' (only NASM rejects it), or the difference. */
export function compareFile(path: string, format: OutputFormat): string {
  const includePaths = includePathsFor(path);
  const theirs = realNasm(readFileSync(path, 'utf8'), format, includePaths.flatMap((p) => ['-I', `${p}/`]));
  const ours = assembleFile(path, { format, includePaths, encoder: encodeInstruction, writeObject: writeElfObject, listing: true });
  if (!theirs.ok) return ours.ok ? 'skip' : 'rejected';
  if (!ours.ok || !ours.output) return `${path} (${format}): NASM assembles it, ours fails: ${ours.diagnostics.map(formatDiagnostic).slice(0, 3).join(' | ')}`;
  const listing = compareListing(path, format, includePaths, ours.listing);
  if (listing) return listing;
  if (format === 'bin') {
    const a = Buffer.from(theirs.bytes);
    const b = Buffer.from(ours.output);
    if (a.equals(b)) return 'same';
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return `${path} (bin): ${a.length} vs ${b.length} bytes, first difference at offset 0x${i.toString(16)}`;
  }
  const a = objectText(objectModuleFromElf(readElf(theirs.bytes)));
  const b = objectText(objectModuleFromElf(readElf(ours.output)));
  return a === b ? 'same' : `${path} (${format}): ${firstDifference(a, b)}`;
}

/** Runs the comparison over the given files in all three formats. */
export function compareAll(files: string[]): DifferentialReport {
  const report: DifferentialReport = { files: 0, comparisons: 0, bothRejected: 0, differed: [] };
  for (const f of files) {
    let compared = false;
    for (const format of ['bin', 'elf32', 'elf64'] as const) {
      const r = compareFile(f, format);
      if (r === 'skip') continue;
      if (r === 'rejected') {
        report.bothRejected++;
        continue;
      }
      compared = true;
      report.comparisons++;
      if (r !== 'same') report.differed.push(r);
    }
    if (compared) report.files++;
  }
  return report;
}
