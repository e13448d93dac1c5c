// Renders a text snapshot file as the PNG a VGA monitor would show, for documentation and bug
// reports: tools/bin/launch tools/screen/render.ts SNAPSHOT.txt OUT.png [--8-dot] [--no-cursor]
import { readFileSync } from 'node:fs';
import { writeScreendump } from './screendump.ts';
import { parseSnapshot, SnapshotError } from './snapshot.ts';

const USAGE = 'usage: render SNAPSHOT.txt OUT.png [--8-dot] [--no-cursor]';

function main(args: string[]): number {
  const files = args.filter((a) => !a.startsWith('--'));
  const flags = args.filter((a) => a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--8-dot' && f !== '--no-cursor');
  if (files.length !== 2 || unknown.length > 0) {
    process.stderr.write(`${unknown.length > 0 ? `render: unknown option ${unknown[0]}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const [input, output] = files as [string, string];
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`render: cannot read "${input}": ${code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
    return 1;
  }
  try {
    writeScreendump(parseSnapshot(text), output, {
      ...(flags.includes('--8-dot') ? { dotsPerChar: 8 as const } : {}),
      showCursor: !flags.includes('--no-cursor'),
    });
  } catch (error) {
    // Snapshot errors name the line; prefix them with the file they are in.
    const where = error instanceof SnapshotError ? `${input}: ` : '';
    process.stderr.write(`render: ${where}${(error as Error).message}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
