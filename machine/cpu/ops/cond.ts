// The sixteen condition codes of jcc, setcc and cmovcc, evaluated from the (lazy) flags.
import type { Cpu } from '../cpu.ts';

/** Whether condition `n` (0 o, 1 no, 2 b, 3 ae, 4 e, 5 ne, 6 be, 7 a, 8 s, 9 ns, a p, b np, c l, d ge, e le, f g) holds. */
export function cond(c: Cpu, n: number): boolean {
  let r: boolean;
  switch (n >>> 1) {
    case 0:
      r = c.getOF();
      break;
    case 1:
      r = c.getCF() !== 0;
      break;
    case 2:
      r = c.getZF();
      break;
    case 3:
      r = c.getCF() !== 0 || c.getZF();
      break;
    case 4:
      r = c.getSF();
      break;
    case 5:
      r = c.getPF();
      break;
    case 6:
      r = c.getSF() !== c.getOF();
      break;
    default:
      r = c.getZF() || c.getSF() !== c.getOF();
  }
  return (n & 1) === 0 ? r : !r;
}
