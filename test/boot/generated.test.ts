import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateBootRom, ROM_OUTPUT } from '../../tools/gen/boot-rom.ts';

describe('generated boot ROM', () => {
  it('matches its NASM source (run tools/bin/launch tools/gen/boot-rom.ts after editing it)', () => {
    expect(readFileSync(ROM_OUTPUT, 'utf8')).toBe(generateBootRom());
  });
});
