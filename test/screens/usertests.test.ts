// The whole usertests battery on the screen, with the userland built for each mechanism the
// i386 kernel serves; apart from programs.test.ts so the two files run side by side.
import { beforeAll, describe, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { buildSystem, type SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS } from '../boot-kernel/machine.ts';
import { USERTESTS_SCREENS } from './screens.ts';
import { expectScreen, showScreen } from './shell-screens.ts';

describe.each(I386_MECHANISMS)('usertests with the %s userland', (mechanism) => {
  let build: SystemBuild;
  beforeAll(async () => {
    build = await buildSystem(mechanism);
  }, BUILD_TIMEOUT_MS);

  it.each(USERTESTS_SCREENS)('$name', async (spec) => {
    await expectScreen(showScreen(build, spec), spec, mechanism);
  });
});
