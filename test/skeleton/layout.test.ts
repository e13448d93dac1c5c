import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The design's four parts and the front-end commands are where users and the Makefile expect them.
describe('repository layout', () => {
  it.each(['kernel', 'userland', 'machine', 'tools', 'test'])('has the %s part', (dir) => {
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('has an executable launcher for the TypeScript commands', () => {
    expect(existsSync('tools/bin/launch')).toBe(true);
    expect(statSync('tools/bin/launch').mode & 0o111).not.toBe(0);
  });
});
