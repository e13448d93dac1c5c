// Every .asm file in the repository, assembled by this assembler and by real NASM 2.16: flat
// binaries must be byte-identical, objects must have the same sections, bytes, symbols and relocations.
import { afterAll, describe, expect, it } from 'vitest';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { compareAll, repositoryAsmFiles, type DifferentialReport } from './differential.ts';

describe.skipIf(!hasRealNasm())('assembler against real NASM on the repository sources', () => {
  const files = repositoryAsmFiles();
  const total: DifferentialReport = { files: 0, comparisons: 0, bothRejected: 0, differed: [] };

  afterAll(() => {
    process.stdout.write(
      `asm differential: compared ${total.files} files (${total.comparisons} file/format pairs, ${total.bothRejected} rejected by both), ${total.differed.length} differed\n`,
    );
  });

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('%s', (file) => {
    const report = compareAll([file]);
    total.files += report.files;
    total.comparisons += report.comparisons;
    total.bothRejected += report.bothRejected;
    total.differed.push(...report.differed);
    expect(report.differed).toEqual([]);
  });
});

it.runIf(!hasRealNasm())('assembler differential test', () => {
  process.stdout.write('asm differential skipped: nasm is not installed\n');
});
