// Where the assembler reads sources and INCBIN data from: the disk, or a map in tests.
import { readFileSync, statSync } from 'node:fs';

export interface SourceFiles {
  /** The file's bytes, or null when it does not exist or is not a readable file. */
  read(path: string): Uint8Array | null;
}

/** Reads from the real file system. */
export const diskFiles: SourceFiles = {
  read(path: string): Uint8Array | null {
    try {
      if (!statSync(path).isFile()) return null;
      return new Uint8Array(readFileSync(path));
    } catch {
      return null;
    }
  },
};

/** An in-memory file system for library callers and tests. */
export function memoryFiles(files: Record<string, string | Uint8Array>): SourceFiles {
  const enc = new TextEncoder();
  return {
    read(path: string): Uint8Array | null {
      const f = Object.hasOwn(files, path) ? files[path] : undefined;
      if (f === undefined) return null;
      return typeof f === 'string' ? enc.encode(f) : f;
    },
  };
}
