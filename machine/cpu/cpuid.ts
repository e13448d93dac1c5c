// CPUID: vendor, family/model signature, feature bits and the brand string of this model, and
// the reset value of EDX that carries the same signature.
import type { CpuState } from './state.ts';

/** Which vendor the CPU claims to be (affects CPUID and, in long mode, syscall/sysenter rules). */
export type Vendor = 'intel' | 'amd';

// Family 6 model 3 stepping 3 (Intel) / family 6 model 2 stepping 2 (AMD): P6-class parts whose
// SEP bit is trustworthy (Pentium Pro reports SEP without supporting sysenter; model >= 3 fixes it).
const SIGNATURE: Record<Vendor, number> = { intel: 0x00000633, amd: 0x00000622 };
const VENDOR_ID: Record<Vendor, string> = { intel: 'GenuineIntel', amd: 'AuthenticAMD' };
const BRAND: Record<Vendor, string> = {
  intel: 'syscall-kit virtual P6 (Intel-compatible)',
  amd: 'syscall-kit virtual K7 (AMD-compatible)',
};

/** CPUID.1:EDX.SEP: SYSENTER/SYSEXIT and their three MSRs. */
export const FEATURE_SEP = 1 << 11;
/** CPUID.1:EDX feature bits implemented: PSE, TSC, MSR, PAE, CX8, SEP, CMOV; no FPU, no MMX/SSE. */
export const FEATURES_EDX = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8) | FEATURE_SEP | (1 << 15);
/** CPUID.1:ECX: CMPXCHG16B (bit 13); no SSE3, no VMX (`vmcall` is only the kernel bridge). */
export const FEATURES_ECX = 1 << 13;
/**
 * CPUID.80000001h:EDX: SYSCALL (11), NX (20), 1 GiB pages (26), long mode (29). Intel reports
 * SYSCALL only when CPUID runs in 64-bit mode, the only mode where its syscall works.
 */
export const EXT_FEATURES_EDX = (1 << 11) | (1 << 20) | (1 << 26) | (1 << 29);
/** CPUID.80000001h:ECX: LAHF/SAHF in 64-bit mode (0). */
export const EXT_FEATURES_ECX = 1;
/** CPUID.80000008h:EAX: 48 linear address bits, 32 physical. */
const ADDRESS_SIZES = (48 << 8) | 32;

/** The family/model/stepping signature (CPUID.1:EAX and EDX after reset). */
export function cpuSignature(vendor: Vendor): number {
  return SIGNATURE[vendor];
}

function ascii4(s: string, at: number): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= (s.charCodeAt(at + i) || 0) << (i * 8);
  return v;
}

/** Sets EAX, EBX, ECX, EDX for CPUID with the leaf in EAX (and subleaf in ECX); `features` is this part's CPUID.1:EDX. */
export function cpuid(c: CpuState, vendor: Vendor, features = FEATURES_EDX): void {
  const leaf = c.regs[0] >>> 0;
  const r = c.regs;
  const id = VENDOR_ID[vendor];
  let a = 0, b = 0, cx = 0, d = 0;
  if (leaf === 0) {
    a = 1;
    b = ascii4(id, 0);
    d = ascii4(id, 4);
    cx = ascii4(id, 8);
  } else if (leaf === 1) {
    a = SIGNATURE[vendor];
    d = features;
    cx = FEATURES_ECX;
  } else if (leaf === 0x80000000) {
    a = 0x80000008;
    if (vendor === 'amd') {
      b = ascii4(id, 0);
      d = ascii4(id, 4);
      cx = ascii4(id, 8);
    }
  } else if (leaf === 0x80000001) {
    a = vendor === 'amd' ? SIGNATURE.amd : 0;
    d = vendor === 'amd' || c.mode64 ? EXT_FEATURES_EDX : EXT_FEATURES_EDX & ~(1 << 11);
    cx = EXT_FEATURES_ECX;
  } else if (leaf === 0x80000008) {
    a = ADDRESS_SIZES;
  } else if (leaf >= 0x80000002 && leaf <= 0x80000004) {
    const brand = BRAND[vendor].padEnd(48, '\0');
    const at = (leaf - 0x80000002) * 16;
    a = ascii4(brand, at);
    b = ascii4(brand, at + 4);
    cx = ascii4(brand, at + 8);
    d = ascii4(brand, at + 12);
  } else if (leaf < 0x80000000) {
    // Intel answers leaves above the maximum with the highest basic leaf; that is leaf 1 here.
    if (vendor === 'intel') {
      a = SIGNATURE[vendor];
      d = features;
      cx = FEATURES_ECX;
    }
  }
  r[0] = a;
  r[3] = b;
  r[1] = cx;
  r[2] = d;
}
