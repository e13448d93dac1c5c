// The A20 gate: address line 20 is enabled when either the 8042's output port bit 1 or System
// Control Port A (0x92) bit 1 enables it, as chipsets OR the two sources. The memory subscribes to
// changes to wrap addresses at 1 MiB while the line is masked.

/** The combined A20 line with its two sources; reports every change of the line. */
export class A20Gate {
  private fromKbc: boolean;
  private fromPort92 = false;

  /** `onChange` is called with the new state whenever the combined line changes. */
  constructor(
    private readonly onChange: (enabled: boolean) => void,
    initiallyEnabled: boolean,
  ) {
    this.fromKbc = initiallyEnabled;
  }

  /** Whether address line 20 reaches memory. */
  get enabled(): boolean {
    return this.fromKbc || this.fromPort92;
  }

  /** The keyboard controller's own output port bit 1, whatever port 0x92 says. */
  get keyboardControllerBit(): boolean {
    return this.fromKbc;
  }

  /** Sets the keyboard controller's output port bit 1. */
  setKeyboardController(enabled: boolean): void {
    this.set(() => (this.fromKbc = enabled));
  }

  /** Port 0x92 bit 1. */
  setPort92(enabled: boolean): void {
    this.set(() => (this.fromPort92 = enabled));
  }

  private set(change: () => void): void {
    const before = this.enabled;
    change();
    if (this.enabled !== before) this.onChange(this.enabled);
  }
}
