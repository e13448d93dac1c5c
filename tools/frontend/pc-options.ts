// The command line of `tools/pc`, with QEMU's flag names so that a kernel's usual
// `qemu-system-i386 -kernel k.bin -nographic -serial stdio` line works with few changes.
import { CPU_MODEL_SYNTAX, parseCpuModel } from './cpu-model.ts';

/** Where a byte stream of the guest goes: the terminal, nowhere, or a file. */
export type Sink = { kind: 'stdio' } | { kind: 'none' } | { kind: 'file'; path: string };

/** The parsed command line. */
export interface PcOptions {
  kernel: string | null;
  append: string;
  /** `-initrd "file args,file2"`: each module's file and its command line (the whole item, as QEMU passes it). */
  modules: { path: string; commandLine: string }[];
  bios: string | null;
  ramBytes: number;
  vendor: 'intel' | 'amd';
  /** false: the CPU lacks SYSENTER/SYSEXIT (`-cpu intel,-sep`). */
  sep: boolean;
  serial: Sink;
  debugcon: Sink;
  display: 'terminal' | 'none';
  maxInstructions: number | null;
  screendump: string | null;
}

/** A command-line mistake; the message is meant for the user as it is. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const PC_USAGE = `usage: tools/pc (-kernel FILE [-append CMDLINE] [-initrd "FILE [ARGS][,FILE...]"] | -bios ROM)
               [-m MEGS] [-cpu intel|amd[,-sep]] [-serial stdio|none|FILE] [-debugcon stdio|none|FILE]
               [-display terminal|none] [-nographic] [-max-insns N] [-screendump FILE.txt|FILE.png]`;

function parseSink(flag: string, value: string): Sink {
  if (value === 'stdio' || value === 'none') return { kind: value };
  if (value === 'null') return { kind: 'none' };
  const path = value.startsWith('file:') ? value.slice(5) : value;
  if (path === '' || /^(tcp|udp|pty|telnet|unix|vc|mon|chardev):/.test(value)) {
    throw new UsageError(`${flag}: only stdio, none or a file are supported, not '${value}'`);
  }
  return { kind: 'file', path };
}

function parseMegabytes(value: string): number {
  const match = /^(\d+)([MG]?)$/i.exec(value.replace(/^size=/, ''));
  if (!match) throw new UsageError(`-m: '${value}' is not a size (examples: 64, 128M, 1G)`);
  const megabytes = Number(match[1]) * (match[2].toUpperCase() === 'G' ? 1024 : 1);
  if (megabytes < 2 || megabytes > 1024) throw new UsageError(`-m: RAM must be 2 MiB to 1024 MiB, not ${megabytes} MiB`);
  return megabytes * 1024 * 1024;
}

/** Parses `argv`; throws UsageError with a precise message for anything it cannot honour. */
export function parsePcOptions(argv: readonly string[]): PcOptions {
  const options: PcOptions = {
    kernel: null, append: '', modules: [], bios: null, ramBytes: 64 * 1024 * 1024, vendor: 'intel', sep: true,
    serial: { kind: 'none' }, debugcon: { kind: 'none' }, display: 'terminal', maxInstructions: null, screendump: null,
  };
  let serialGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, '-');
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '-kernel': options.kernel = value(); break;
      case '-append': options.append = value(); break;
      case '-initrd':
        options.modules = value().split(',').filter((item) => item.trim() !== '').map((item) => ({
          path: item.trim().split(/\s+/)[0], commandLine: item.trim(),
        }));
        break;
      case '-bios': options.bios = value(); break;
      case '-m': options.ramBytes = parseMegabytes(value()); break;
      case '-cpu': {
        const text = value();
        const model = parseCpuModel(text);
        if (!model) throw new UsageError(`-cpu: ${CPU_MODEL_SYNTAX}, not '${text}'`);
        options.vendor = model.vendor;
        options.sep = model.sep;
        break;
      }
      case '-serial': options.serial = parseSink(flag, value()); serialGiven = true; break;
      case '-debugcon': options.debugcon = parseSink(flag, value()); break;
      case '-display': {
        const display = value().split(',')[0];
        if (display === 'none') options.display = 'none';
        else if (display === 'terminal' || display === 'curses') options.display = 'terminal';
        else throw new UsageError(`-display: 'terminal' or 'none', not '${display}'`);
        break;
      }
      case '-nographic':
        options.display = 'none';
        if (!serialGiven) options.serial = { kind: 'stdio' };
        break;
      case '-max-insns': {
        const text = value();
        if (!/^\d+$/.test(text) || Number(text) === 0) throw new UsageError(`-max-insns: '${text}' is not a positive whole number`);
        options.maxInstructions = Number(text);
        break;
      }
      case '-screendump': {
        const file = value();
        if (!/\.(txt|png)$/i.test(file)) throw new UsageError(`-screendump: the file must end in .txt or .png, not '${file}'`);
        options.screendump = file;
        break;
      }
      // QEMU flags that describe what this PC always is.
      case '-no-reboot': case '-no-shutdown': break;
      case '-device': {
        const device = value();
        if (!device.startsWith('isa-debug-exit')) throw new UsageError(`-device: only isa-debug-exit (always present, at 0xf4) is known, not '${device}'`);
        break;
      }
      case '-h': case '-help': throw new UsageError(PC_USAGE);
      default:
        throw new UsageError(`unknown option '${argv[i]}'\n${PC_USAGE}`);
    }
  }
  if ((options.kernel === null) === (options.bios === null)) {
    throw new UsageError(`give exactly one of -kernel or -bios\n${PC_USAGE}`);
  }
  if (options.modules.length > 0 && options.kernel === null) throw new UsageError('-initrd needs -kernel');
  return options;
}
