// Re-renders the committed reference image from the test card, after a deliberate change to
// the renderer or the font: tools/bin/launch test/screen/update-reference.ts
import { writeFileSync } from 'node:fs';
import { screenToPng } from '../../tools/screen/png.ts';
import { testCard } from './test-card.ts';

const target = new URL('./reference/test-card.png', import.meta.url);
writeFileSync(target, screenToPng(testCard()));
process.stdout.write(`wrote ${target.pathname}\n`);
