// The whole usertests battery on the screen, with the userland built for each mechanism the
// i386 kernel serves; apart from programs.test.ts so the two files run side by side.
import { USERTESTS_SCREENS } from './screens.ts';
import { describeScreens } from './shell-screens.ts';

describeScreens('usertests', USERTESTS_SCREENS);
