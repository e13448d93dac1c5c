// The kernel's view of time: virtual nanoseconds since power-on from the machine's clock (the
// PIT and RTC advance with executed instructions, so runs repeat), plus the wall-clock time
// the RTC reported at boot.

/** A scheduled callback that can be cancelled. */
export interface TimerHandle {
  cancel(): void;
}

/** Virtual time, as machine/interfaces.ts's Clock provides it. */
export interface VirtualClock {
  /** Nanoseconds since power-on. */
  now(): number;
  /** Calls `fn` once when virtual time reaches `atNs`. */
  at(atNs: number, fn: () => void): TimerHandle;
}

/** Clock ids clock_gettime accepts. */
export const CLOCK = { REALTIME: 0, MONOTONIC: 1, MONOTONIC_RAW: 4, REALTIME_COARSE: 5, MONOTONIC_COARSE: 6, BOOTTIME: 7 } as const;

/** Time of `clockId` in nanoseconds, or null for a clock this kernel does not have. */
export function clockNs(clock: VirtualClock, bootEpochSeconds: number, clockId: number): number | null {
  switch (clockId) {
    case CLOCK.REALTIME: case CLOCK.REALTIME_COARSE: return bootEpochSeconds * 1e9 + clock.now();
    case CLOCK.MONOTONIC: case CLOCK.MONOTONIC_RAW: case CLOCK.MONOTONIC_COARSE: case CLOCK.BOOTTIME: return clock.now();
    default: return null;
  }
}
