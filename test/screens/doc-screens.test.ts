// The README's screen pictures are renderings of the current snapshot files.
import { describe, expect, it } from 'vitest';
import { staleDocScreens } from '../../tools/gen/screens.ts';

describe('the pictures in docs/screens', () => {
  it('show the snapshots as they are now (run tools/bin/launch tools/gen/screens.ts)', () => {
    expect(staleDocScreens()).toEqual([]);
  });
});
