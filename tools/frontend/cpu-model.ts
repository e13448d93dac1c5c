// The CPU the front ends emulate, from their -cpu / --cpu value: a vendor, optionally without
// SYSENTER/SYSEXIT, in QEMU's feature syntax (`intel`, `amd,-sep`).
import type { Vendor } from '../../machine/cpu/cpuid.ts';

/** A vendor and whether the part has SEP. */
export interface CpuModel {
  readonly vendor: Vendor;
  readonly sep: boolean;
}

/** What the front ends print for the value's syntax. */
export const CPU_MODEL_SYNTAX = 'intel|amd[,-sep]';

/** The model `text` names, or null when it is not VENDOR[,-sep]. */
export function parseCpuModel(text: string): CpuModel | null {
  const [vendor, ...features] = text.split(',');
  if (vendor !== 'intel' && vendor !== 'amd') return null;
  if (features.some((f) => f !== '-sep')) return null;
  return { vendor, sep: features.length === 0 };
}
