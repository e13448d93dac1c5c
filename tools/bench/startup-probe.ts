// Started as its own process by the startup benchmark: builds a PC for a Multiboot kernel file,
// executes one guest instruction and prints the milliseconds since the process started.
import { readFileSync } from 'node:fs';
import { PC } from '../../machine/pc.ts';

const pc = new PC({ boot: { multiboot: { kernel: new Uint8Array(readFileSync(process.argv[2])) } } });
pc.run({ instructions: 1 });
process.stdout.write(`${performance.now()}\n`);
