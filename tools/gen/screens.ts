// Renders the screen snapshots the README shows into PNG files under docs/screens/, as a VGA
// monitor shows them. The snapshots are the reviewed files the screen tests compare with, so a
// picture is stale only when its snapshot changed since it was drawn.
// Run as `tools/bin/launch tools/gen/screens.ts` (writes them) or with `--check` (exit 1 and
// name the stale pictures).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { encodePng, renderScreen, type RgbImage } from '../screen/png.ts';
import { parseSnapshot } from '../screen/snapshot.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A picture in the README: where it goes and the snapshot file it is drawn from (paths from the repository root). */
export interface DocScreen {
  readonly png: string;
  readonly snapshot: string;
}

/** The pictures of the README. */
export const DOC_SCREENS: readonly DocScreen[] = [
  { png: 'docs/screens/boot.png', snapshot: 'test/boot-kernel/snapshots/boot-prompt.txt' },
  { png: 'docs/screens/faults.png', snapshot: 'test/screens/snapshots/faults.txt' },
  { png: 'docs/screens/errno.png', snapshot: 'test/screens/snapshots/errno.txt' },
  { png: 'docs/screens/usertests.png', snapshot: 'test/screens/snapshots/usertests.txt' },
];

/** The picture of one snapshot file, as pixels. */
export function renderDocScreen(entry: DocScreen, root = ROOT): RgbImage {
  return renderScreen(parseSnapshot(readFileSync(join(root, entry.snapshot), 'utf8')));
}

/** Whether the PNG file holds exactly these pixels (compared decoded, so the zlib in use does not matter). */
function samePixels(pngFile: string, image: RgbImage): boolean {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(pngFile));
  } catch {
    return false;
  }
  if (png.width !== image.width || png.height !== image.height) return false;
  for (let i = 0, j = 0; j < image.rgb.length; i += 4, j += 3) {
    if (png.data[i] !== image.rgb[j] || png.data[i + 1] !== image.rgb[j + 1] || png.data[i + 2] !== image.rgb[j + 2]) return false;
  }
  return true;
}

/** The pictures whose file is missing or differs from a fresh rendering of their snapshot. */
export function staleDocScreens(root = ROOT): string[] {
  return DOC_SCREENS.filter((entry) => !samePixels(join(root, entry.png), renderDocScreen(entry, root))).map((entry) => entry.png);
}

function main(argv: readonly string[]): number {
  if (argv.includes('--check')) {
    const stale = staleDocScreens();
    for (const p of stale) process.stderr.write(`${p} is out of date: run tools/bin/launch tools/gen/screens.ts\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const entry of DOC_SCREENS) {
    mkdirSync(dirname(join(ROOT, entry.png)), { recursive: true });
    writeFileSync(join(ROOT, entry.png), encodePng(renderDocScreen(entry)));
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
