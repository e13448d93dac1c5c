// ld's command line: the flags this linker implements, parsed the way GNU ld reads them.
import type { LinkOptions } from './link.ts';
import { EMULATIONS, type EmulationName } from './input.ts';

/** A parsed command line: what to link and how, or a request for help/version. */
export interface Command {
  inputs: string[];
  output: string;
  options: LinkOptions;
  action: 'link' | 'help' | 'version';
}

/** A command-line mistake, reported as "ld: <message>". */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: ld [options] file...
Options:
  -m EMULATION            elf_i386 or elf_x86_64 (default: from the first input)
  -o FILE, --output=FILE  output file (default a.out)
  -e SYMBOL, --entry=SYMBOL
                          entry point (default _start)
  -Ttext ADDRESS          address of the code (hexadecimal)
  -Tdata ADDRESS          address of the data (hexadecimal)
  -Tbss ADDRESS           address of the bss (hexadecimal)
  -N, --omagic            one read/write/execute segment, no page alignment
  -n, --nmagic            one segment, data on its own page
  -z separate-code        code in its own pages (default)
  -z noseparate-code      headers, code and read-only data in one segment
  -s, --strip-all         no symbol table in the output
  --build-id=none, -static, -S, -z noexecstack, --no-warn-rwx-segments
                          accepted for compatibility
  --help, --version
`;

/** ld reads section addresses as hexadecimal, with or without 0x. */
function parseHexAddress(flag: string, text: string): bigint {
  const digits = text.replace(/^0x/i, '');
  if (!/^[0-9a-f]+$/i.test(digits)) throw new UsageError(`invalid hex number \`${text}' for ${flag}`);
  return BigInt(`0x${digits}`);
}

/** Parses ld's arguments; throws UsageError for anything it does not understand. */
export function parseCommandLine(args: string[]): Command {
  const command: Command = { inputs: [], output: 'a.out', options: {}, action: 'link' };
  const o = command.options;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (flag: string, inline: string | undefined): string => {
      if (inline !== undefined && inline !== '') return inline;
      const next = args[++i];
      if (next === undefined) throw new UsageError(`option requires an argument -- '${flag}'`);
      return next;
    };
    let m: RegExpMatchArray | null;
    if (arg === '--help') command.action = 'help';
    else if (arg === '--version' || arg === '-v' || arg === '-V') command.action = 'version';
    else if ((m = arg.match(/^-m(.*)$/))) {
      const name = value('m', m[1]);
      if (!(name in EMULATIONS)) throw new UsageError(`unrecognised emulation mode: ${name}\nSupported emulations: ${Object.keys(EMULATIONS).join(' ')}`);
      o.emulation = name as EmulationName;
    } else if ((m = arg.match(/^(?:-o|--output(?:=|$))(.*)$/))) command.output = value('o', m[1]);
    else if ((m = arg.match(/^(?:-e|--entry(?:=|$))(.*)$/))) o.entry = value('e', m[1]);
    else if ((m = arg.match(/^--?T(text|data|bss)(?:=|$)(.*)$/))) {
      const address = parseHexAddress(`-T${m[1]}`, value(`T${m[1]}`, m[2]));
      if (m[1] === 'text') o.textAddress = address;
      else if (m[1] === 'data') o.dataAddress = address;
      else o.bssAddress = address;
    } else if (/^(-T|--script)/.test(arg)) {
      throw new UsageError(`linker scripts are not supported (${arg}); -Ttext, -Tdata and -Tbss set addresses`);
    } else if (arg === '-N' || arg === '--omagic') o.mode = 'omagic';
    else if (arg === '-n' || arg === '--nmagic') o.mode = 'nmagic';
    else if ((m = arg.match(/^-z(.*)$/))) {
      const keyword = value('z', m[1]);
      if (keyword === 'separate-code') o.mode = 'separate-code';
      else if (keyword === 'noseparate-code') o.mode = 'noseparate-code';
      else if (keyword !== 'noexecstack') throw new UsageError(`-z ${keyword} is not supported by this linker`);
    } else if (arg === '--build-id=none' || arg === '-static' || arg === '-Bstatic' || arg === '--no-dynamic-linker') continue;
    else if (arg === '-s' || arg === '--strip-all') o.stripAll = true;
    else if (arg === '-S' || arg === '--strip-debug') continue;
    else if (arg === '--no-warn-rwx-segments') o.warnRwx = false;
    else if (arg === '--warn-rwx-segments') o.warnRwx = true;
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unrecognized option '${arg}'\nld: use the --help option for usage information`);
    else command.inputs.push(arg);
  }
  o.outputName = command.output;
  return command;
}
