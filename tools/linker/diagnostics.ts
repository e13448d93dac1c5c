// Messages in ld's words: "ld: " then the object, section and offset they concern.

/** Collects errors and warnings; linking fails when any error was reported. */
export class Diagnostics {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  error(message: string): void {
    this.errors.push(`ld: ${message}`);
  }

  warning(message: string): void {
    this.warnings.push(`ld: warning: ${message}`);
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }
}

/** `0x...` as used in section+offset locations. */
export function hexOffset(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/** An address the way ld prints it in warnings: zero-padded to the address size. */
export function paddedAddress(value: bigint, elfClass: 32 | 64): string {
  return value.toString(16).padStart(elfClass === 64 ? 16 : 8, '0');
}
