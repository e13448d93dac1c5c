// Saving the screen to a file, in the format its name asks for: what `-screendump FILE` and
// the Ctrl-A S screenshot write.
import { writeFileSync } from 'node:fs';
import type { TextScreen } from '../../machine/interfaces.ts';
import { screenToPng, type RenderOptions } from './png.ts';
import { formatSnapshot } from './snapshot.ts';

/** The formats a screendump can have, by file name ending. */
export type ScreendumpFormat = 'png' | 'txt';

/** The format `file` names, or an error message saying which endings are understood. */
export function screendumpFormat(file: string): ScreendumpFormat | { error: string } {
  const lower = file.toLowerCase();
  if (lower.endsWith('.png')) return 'png';
  if (lower.endsWith('.txt')) return 'txt';
  return { error: `screendump file "${file}" must end in .png (a picture) or .txt (a text snapshot)` };
}

/** Writes `screen` to `file` as a PNG or a text snapshot; throws an Error whose message is fit to show the user. */
export function writeScreendump(screen: TextScreen, file: string, options: RenderOptions = {}): void {
  const format = screendumpFormat(file);
  if (typeof format !== 'string') throw new Error(format.error);
  const data = format === 'png' ? screenToPng(screen, options) : formatSnapshot(screen);
  try {
    writeFileSync(file, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'its directory does not exist'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EISDIR' ? 'it is a directory'
      : (error as Error).message;
    throw new Error(`cannot write screendump "${file}": ${reason}`);
  }
}
