// `tools/nasm`: the assembler's command line, with NASM's flags and NASM-style messages.
import { writeFileSync, rmSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { assembleFile, type OutputFormat } from './assemble.ts';
import { formatDiagnostic } from './diagnostics.ts';
import type { InstructionEncoder } from './core/state.ts';
import type { ObjectModule } from './object.ts';

const USAGE = 'usage: nasm [-f bin|elf32|elf64] [-o outfile] [-l listfile] [-I path] [-D macro[=value]] filename';

interface Args {
  input: string;
  format: OutputFormat;
  output: string | null;
  listing: string | null;
  includePaths: string[];
  defines: Array<[string, string]>;
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly informational = false,
  ) {
    super(message);
  }
}

const FORMATS: Record<string, OutputFormat> = { bin: 'bin', elf32: 'elf32', elf: 'elf32', elf64: 'elf64' };

/** Parses NASM's command line: options may be glued to their value (`-fbin`) or separate (`-f bin`). */
export function parseArgs(argv: string[]): Args {
  const args: Args = { input: '', format: 'bin', output: null, listing: null, includePaths: [], defines: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-') {
      if (args.input) throw new UsageError(`more than one input file specified`);
      args.input = a;
      continue;
    }
    const flag = a.slice(1, 2);
    // Options that would change the output if ignored are refused rather than dropped silently.
    if ('PUMpuEea'.includes(flag)) throw new UsageError(`option \`${a}' is not supported by this assembler`);
    if ('foIDlwOWgF'.includes(flag) || a.startsWith('--')) {
      if (a.startsWith('--')) {
        if (a === '--help') throw new UsageError(USAGE, true);
        continue;
      }
      if ('wOg'.includes(flag)) continue;
      let value = a.slice(2);
      if (value === '' && 'foIDlF'.includes(flag)) {
        value = argv[++i] ?? '';
        if (value === '') throw new UsageError(`option \`-${flag}' requires an argument`);
      }
      switch (flag) {
        case 'f': {
          const f = FORMATS[value];
          if (!f) throw new UsageError(`unrecognised output format \`${value}' - use -hf for a list`);
          args.format = f;
          break;
        }
        case 'o': args.output = value; break;
        case 'l': args.listing = value; break;
        case 'I': args.includePaths.push(value); break;
        case 'D': {
          const eq = value.indexOf('=');
          args.defines.push(eq < 0 ? [value, ''] : [value.slice(0, eq), value.slice(eq + 1)]);
          break;
        }
        default: break;
      }
      continue;
    }
    if (a === '-v') throw new UsageError('NASM version 2.16.01 compatible (syscall-kit assembler)', true);
    if (a === '-h') throw new UsageError(USAGE, true);
    throw new UsageError(`unrecognised option \`${a}'`);
  }
  if (!args.input) throw new UsageError('no input file specified');
  return args;
}

/** NASM's default output name: the input without its extension (bin) or with `.o` (ELF). */
export function defaultOutputName(input: string, format: OutputFormat): string {
  const stem = basename(input, extname(input));
  if (format !== 'bin') return `${stem}.o`;
  return stem === basename(input) ? 'nasm.out' : stem;
}

/** Writes a file, or says on stderr why it could not (a missing folder, no permission). */
function writeOrReport(path: string, data: string | Uint8Array, what: string): boolean {
  try {
    writeFileSync(path, data);
    return true;
  } catch (e) {
    const reason = e instanceof Error && 'code' in e ? ` (${String(e.code)})` : '';
    process.stderr.write(`nasm: fatal: unable to open ${what} file \`${path}'${reason}\n`);
    return false;
  }
}

/** The parts the command plugs into the assembler. */
export interface Backends {
  encoder: InstructionEncoder;
  writeObject: (module: ObjectModule) => Uint8Array;
}

/** Runs the command; returns the exit status. Diagnostics go to stderr, never a stack trace. */
export function main(argv: string[], backends: Backends): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // -v and -h answer on stdout like NASM; mistakes go to stderr.
    if (e.informational) {
      process.stdout.write(`${e.message}\n`);
      return 0;
    }
    process.stderr.write(`nasm: error: ${e.message}\n`);
    return 1;
  }
  const result = assembleFile(args.input, {
    format: args.format, includePaths: args.includePaths, defines: args.defines, listing: args.listing !== null,
    encoder: backends.encoder, writeObject: backends.writeObject,
  });
  for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  if (args.listing && !writeOrReport(args.listing, result.listing, 'listing')) return 1;
  const output = args.output ?? defaultOutputName(args.input, args.format);
  if (!result.ok || !result.output) {
    rmSync(output, { force: true });
    return 1;
  }
  return writeOrReport(output, result.output, 'output') ? 0 : 1;
}
