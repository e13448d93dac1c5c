// `tools/ld`: the static linker's command line. Messages go to stderr in ld's words; on any
// error the exit status is 1 and no output file is left behind.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { link, type InputFile } from './link.ts';
import { parseCommandLine, USAGE, UsageError } from './options.ts';

function run(args: string[]): number {
  let command;
  try {
    command = parseCommandLine(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ld: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (command.action === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.action === 'version') {
    process.stdout.write('ld (syscall-kit static linker) for elf_i386 and elf_x86_64\n');
    return 0;
  }
  const inputs: InputFile[] = [];
  let missing = false;
  for (const name of command.inputs) {
    try {
      inputs.push({ name, bytes: new Uint8Array(readFileSync(name)) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      process.stderr.write(`ld: cannot find ${name}: ${code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : String(code)}\n`);
      missing = true;
    }
  }
  const result = missing ? null : link(inputs, command.options);
  for (const line of result ? [...result.warnings, ...result.errors] : []) process.stderr.write(`${line}\n`);
  if (!result?.bytes) {
    rmSync(command.output, { force: true });
    return 1;
  }
  try {
    writeFileSync(command.output, result.bytes);
    chmodSync(command.output, 0o755);
  } catch (error) {
    process.stderr.write(`ld: cannot open output file ${command.output}: ${(error as Error).message}\n`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (error) {
  // A fault of the linker itself: one line naming it, never a stack trace.
  process.stderr.write(`ld: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
