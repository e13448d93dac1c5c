// Every .asm file in the repository, assembled by this assembler and by real NASM 2.16: flat
// binaries must be byte-identical, objects must have the same sections, bytes, symbols and relocations.
import { describe, expect, it } from 'vitest';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { compareAll, repositoryAsmFiles } from './differential.ts';

describe.skipIf(!hasRealNasm())('assembler against real NASM on the repository sources', () => {
  it('produces what NASM produces for every .asm file', () => {
    const files = repositoryAsmFiles();
    const report = compareAll(files);
    process.stdout.write(
      `asm differential: compared ${report.files} files (${report.comparisons} file/format pairs, ${report.bothRejected} rejected by both), ${report.differed.length} differed\n`,
    );
    expect(report.files).toBeGreaterThanOrEqual(3);
    expect(report.differed).toEqual([]);
  });
});

it.runIf(!hasRealNasm())('assembler differential test', () => {
  process.stdout.write('asm differential skipped: nasm is not installed\n');
});
