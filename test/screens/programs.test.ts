// Every program's screen, with the userland built for each mechanism the i386 kernel serves:
// each screen of PROGRAM_SCREENS on its own freshly booted machine must equal its snapshot
// file, the same file for every mechanism (so a new mechanism needs no edit here).
import { expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { buildSystem } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS } from '../boot-kernel/machine.ts';
import { PROGRAM_SCREENS, USERTESTS_SCREENS } from './screens.ts';
import { describeScreens } from './shell-screens.ts';

describeScreens('the programs', PROGRAM_SCREENS);

it('has a screen for every program in /bin', async () => {
  const shown = new Set([...PROGRAM_SCREENS, ...USERTESTS_SCREENS].flatMap((s) => s.programs));
  const programs = (await buildSystem(I386_MECHANISMS[0])).programs.map((path) => path.replace(/^\/bin\//, ''));
  // A new program needs an entry in test/screens/screens.ts.
  expect(programs.filter((name) => !shown.has(name))).toEqual([]);
}, BUILD_TIMEOUT_MS);
