// What a VGA does with a text cell that the TextScreen interface leaves to its readers: the
// 16-colour palette, the attribute byte's meaning, and the mode-03h display settings.
import type { TextScreen } from '../../machine/interfaces.ts';

/** The 16 colours of the VGA's default palette as 8-bit RGB, indexed by attribute colour number. */
export const VGA_PALETTE: readonly (readonly [number, number, number])[] = [
  // The BIOS loads the DAC with 6-bit levels 0x00, 0x15, 0x2A, 0x3F; x*255/63 gives these.
  // Colour 6 is brown, not dark yellow: the BIOS sets attribute palette register 6 to 0x14,
  // whose DAC entry has green at level 0x15 rather than 0x2A.
  [0x00, 0x00, 0x00], [0x00, 0x00, 0xaa], [0x00, 0xaa, 0x00], [0x00, 0xaa, 0xaa],
  [0xaa, 0x00, 0x00], [0xaa, 0x00, 0xaa], [0xaa, 0x55, 0x00], [0xaa, 0xaa, 0xaa],
  [0x55, 0x55, 0x55], [0x55, 0x55, 0xff], [0x55, 0xff, 0x55], [0x55, 0xff, 0xff],
  [0xff, 0x55, 0x55], [0xff, 0x55, 0xff], [0xff, 0xff, 0x55], [0xff, 0xff, 0xff],
];

/** Display settings of a VGA text mode beyond the cells themselves. */
export interface TextModeSettings {
  /** Attribute Mode Control bit 3: attribute bit 7 blinks the character (else it brightens the background). */
  blinkEnabled: boolean;
  /** Attribute Mode Control bit 2: codes 0xC0-0xDF repeat their 8th column into the 9th. */
  lineGraphics: boolean;
  /** Sequencer Clocking Mode bit 0 clear = 9 dots per character, set = 8. */
  dotsPerChar: 8 | 9;
}

/** The settings the VGA BIOS programs for mode 03h (80x25, 720x400). */
export const MODE_03H: Readonly<TextModeSettings> = Object.freeze({
  blinkEnabled: true,
  lineGraphics: true,
  dotsPerChar: 9,
});

/** The cursor's shape: CRTC Cursor Start (0x0A) and Cursor End (0x0B) scan lines, and the disable bit. */
export interface CursorShape {
  start: number;
  end: number;
  enabled: boolean;
}

/** Mode 03h's cursor: the BIOS writes 0x0D and 0x0E to CRTC registers 0x0A and 0x0B. */
export const MODE_03H_CURSOR: Readonly<CursorShape> = Object.freeze({ start: 13, end: 14, enabled: true });

/**
 * What a screen may tell beyond the TextScreen interface, read from its registers (the VGA
 * device answers blinkEnabled, cursorShape and colorRgb). Anything it does not answer takes the
 * value mode 03h has.
 */
export interface TextScreenExtras {
  blinkEnabled?(): boolean;
  lineGraphics?(): boolean;
  dotsPerChar?(): 8 | 9;
  cursorShape?(): CursorShape;
  /** The 8-bit RGB the DAC shows for text colour 0-15. */
  colorRgb?(colour: number): readonly [number, number, number];
}

/** A screen, with whatever extras it has. */
export type RichTextScreen = TextScreen & TextScreenExtras;

/** The screen's settings: `overrides` first, then what the screen reports, then mode 03h's. */
export function textModeSettings(screen: RichTextScreen, overrides: Partial<TextModeSettings> = {}): TextModeSettings {
  return {
    blinkEnabled: overrides.blinkEnabled ?? screen.blinkEnabled?.() ?? MODE_03H.blinkEnabled,
    lineGraphics: overrides.lineGraphics ?? screen.lineGraphics?.() ?? MODE_03H.lineGraphics,
    dotsPerChar: overrides.dotsPerChar ?? screen.dotsPerChar?.() ?? MODE_03H.dotsPerChar,
  };
}

/** The 16 text colours the screen shows: its DAC's when it reports them, else the default palette. */
export function screenPalette(screen: RichTextScreen): (readonly [number, number, number])[] {
  return VGA_PALETTE.map((rgb, colour) => screen.colorRgb?.(colour) ?? rgb);
}

/** An attribute byte split the way the attribute controller reads it. */
export interface CellColours {
  /** Foreground colour 0-15. */
  fg: number;
  /** Background colour: 0-7 when blinking is enabled, 0-15 otherwise. */
  bg: number;
  /** Whether the character blinks (only possible when blinking is enabled). */
  blink: boolean;
}

/** Splits `attr` into foreground, background and blink as the VGA does for `blinkEnabled`. */
export function cellColours(attr: number, blinkEnabled: boolean): CellColours {
  const fg = attr & 0x0f;
  if (blinkEnabled) return { fg, bg: (attr >> 4) & 0x07, blink: (attr & 0x80) !== 0 };
  return { fg, bg: (attr >> 4) & 0x0f, blink: false };
}

/**
 * The scan lines of a cell the cursor covers, as [first, last], or null for none. As on the VGA
 * (unlike the EGA, which wraps), a start after the end shows no cursor, and an end past the
 * cell's last line is clipped to it.
 */
export function cursorScanLines(screen: RichTextScreen, cellHeight: number): [number, number] | null {
  if (!screen.cursor().visible) return null;
  const shape = screen.cursorShape?.() ?? MODE_03H_CURSOR;
  const end = Math.min(shape.end, cellHeight - 1);
  if (!shape.enabled || shape.start > end) return null;
  return [shape.start, end];
}
