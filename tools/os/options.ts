// The command line of `make run` / tools/os/main.ts (DESIGN.md, "Command-line interfaces").
import { availableAbis } from '../build/userland.ts';
import { CPU_MODEL_SYNTAX, parseCpuModel } from '../frontend/cpu-model.ts';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { isMechanism, MECHANISMS } from '../../kernel/syscalls/mechanisms.ts';

/** What the user asked for. */
export interface RunOptions {
  arch: 'i386' | 'x86_64';
  abi: string;
  cpu: 'intel' | 'amd';
  /** false: the CPU lacks SYSENTER/SYSEXIT (`--cpu intel,-sep`). */
  sep: boolean;
  headless: boolean;
  /** Keys to type, with `\n` already turned into a newline (Enter). */
  type: string;
  until: string | null;
  /** 'stdio', a file path, or null for no serial output. */
  serial: string | null;
  screendump: string | null;
  maxInstructions: number | null;
  help: boolean;
}

/** A bad command line: the message, and exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A well-formed request for something this build cannot do yet (exit status 2). */
export class NotImplementedError extends Error {
  override readonly name = 'NotImplementedError';
}

export const RUN_USAGE = `usage: make run [ABI=int80] [CPU=intel|amd[,-sep]]
       tools/run [options]
  --arch i386|x86_64     the kernel's architecture (i386)
  --abi MECHANISM        the system-call mechanism of the userland (int80)
  --cpu intel|amd[,-sep] the CPU's vendor (intel); -sep: a part without sysenter
  --headless             no live screen: run, then print the screen (or --screendump it)
  --type TEXT            type TEXT on the keyboard ("\\n" is Enter)
  --until TEXT           stop when TEXT appears on the screen after the typed input was read
  --serial stdio|FILE    where the console's serial mirror (COM1) goes
  --screendump FILE      write the screen at exit (.txt snapshot or .png)
  --max-insns N          stop after N guest instructions
In the live screen, Ctrl-A X quits and Ctrl-A S saves a screenshot.`;


/** Turns the two-character escapes \n, \t and \\ of --type into the characters. */
export function unescapeTyped(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

/** Parses argv; throws UsageError or NotImplementedError. */
export function parseRunOptions(argv: readonly string[]): RunOptions {
  const o: RunOptions = { arch: 'i386', abi: 'int80', cpu: 'intel', sep: true, headless: false, type: '', until: null, serial: null, screendump: null, maxInstructions: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.startsWith('--') && flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--help': case '-h': o.help = true; break;
      case '--headless': o.headless = true; break;
      case '--arch': {
        const v = value();
        if (v !== 'i386' && v !== 'x86_64') throw new UsageError(`--arch must be i386 or x86_64, not '${v}'`);
        o.arch = v;
        break;
      }
      case '--abi': o.abi = value(); break;
      case '--cpu': {
        const v = value();
        const model = parseCpuModel(v);
        if (!model) throw new UsageError(`--cpu must be ${CPU_MODEL_SYNTAX}, not '${v}'`);
        o.cpu = model.vendor;
        o.sep = model.sep;
        break;
      }
      case '--type': o.type += unescapeTyped(value()); break;
      case '--until': o.until = unescapeTyped(value()); break;
      case '--serial': o.serial = value(); break;
      case '--screendump': o.screendump = value(); break;
      case '--max-insns': {
        const v = value();
        if (!/^[0-9]+$/.test(v) || Number(v) === 0) throw new UsageError(`--max-insns needs a positive whole number, not '${v}'`);
        o.maxInstructions = Number(v);
        break;
      }
      default: throw new UsageError(`unknown option '${flag}'`);
    }
  }
  if (o.help) return o;
  if (o.arch === 'x86_64') throw new NotImplementedError('--arch x86_64: the 64-bit kernel is not implemented yet (use --arch i386)');
  if (!isMechanism(o.abi)) throw new UsageError(`unknown --abi '${o.abi}': the mechanisms are ${MECHANISMS.join(', ')}`);
  if (!I386_MECHANISMS.includes(o.abi) || !availableAbis().includes(o.abi)) {
    throw new NotImplementedError(`--abi ${o.abi}: this mechanism is not implemented yet (available: ${I386_MECHANISMS.filter((a) => availableAbis().includes(a)).join(', ')})`);
  }
  if (!o.headless && o.until !== null) throw new UsageError('--until needs --headless (the live screen runs until you quit)');
  if (!o.headless && o.serial === 'stdio') throw new UsageError('--serial stdio needs --headless (the terminal shows the screen)');
  return o;
}
