// The text screen as a VGA monitor shows it, as a bitmap and as PNG.
//
// Mode 03h drives 720x400: 80 columns of 9 dots by 25 rows of 16 scan lines. The 9th dot of a
// cell is background, except for codes 0xC0-0xDF when line graphics are enabled, where it
// repeats the 8th so box-drawing lines join. A screen that says it uses 8-dot characters
// renders at 640x400. Colours are the screen's DAC colours when it reports them, else the
// default palette. Blinking characters are drawn in their "on" phase unless asked otherwise,
// and the cursor like the CRTC draws it: the font row forced to all ones on the cursor's scan
// lines, in the cell's foreground colour.
import { PNG } from 'pngjs';
import { cp437Font, GLYPH_HEIGHT } from './font.ts';
import {
  cellColours,
  cursorScanLines,
  screenPalette,
  textModeSettings,
  type RichTextScreen,
  type TextModeSettings,
} from './vga.ts';

/** How to render; what is left out comes from the screen, then from mode 03h. */
export interface RenderOptions extends Partial<TextModeSettings> {
  /** Blinking characters show their glyph ('on', the default) or only their background ('off'). */
  blinkPhase?: 'on' | 'off';
  /** Draw the cursor when the screen shows one (default true). */
  showCursor?: boolean;
  /** 256 x 16 bytes of font; default the project's CP437 font. */
  font?: Uint8Array;
}

/** An RGB image, 3 bytes per pixel, rows top to bottom. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Renders every cell of `screen` into an RGB image of (cols x dots) by (rows x 16) pixels. */
export function renderScreen(screen: RichTextScreen, options: RenderOptions = {}): RgbImage {
  const settings = textModeSettings(screen, options);
  const font = options.font ?? cp437Font();
  if (font.length !== 256 * GLYPH_HEIGHT) throw new RangeError(`a font has ${256 * GLYPH_HEIGHT} bytes, this one ${font.length}`);
  const dots = settings.dotsPerChar;
  const width = screen.cols * dots;
  const height = screen.rows * GLYPH_HEIGHT;
  const rgb = new Uint8Array(width * height * 3);
  const cursor = screen.cursor();
  const cursorLines = options.showCursor === false ? null : cursorScanLines(screen, GLYPH_HEIGHT);
  const palette = screenPalette(screen);
  const blinkOff = options.blinkPhase === 'off';

  for (let row = 0; row < screen.rows; row++) {
    for (let col = 0; col < screen.cols; col++) {
      const value = screen.cell(row, col);
      const code = value & 0xff;
      const colours = cellColours((value >> 8) & 0xff, settings.blinkEnabled);
      const fg = palette[colours.blink && blinkOff ? colours.bg : colours.fg]!;
      const bg = palette[colours.bg]!;
      const repeatsLastDot = settings.lineGraphics && code >= 0xc0 && code <= 0xdf;
      const hasCursor = cursorLines !== null && cursor.row === row && cursor.col === col;
      for (let line = 0; line < GLYPH_HEIGHT; line++) {
        const underCursor = hasCursor && line >= cursorLines[0] && line <= cursorLines[1];
        const bits = underCursor ? 0xff : font[code * GLYPH_HEIGHT + line]!;
        let p = ((row * GLYPH_HEIGHT + line) * width + col * dots) * 3;
        for (let x = 0; x < dots; x++, p += 3) {
          const ink = x < 8 ? (bits & (0x80 >> x)) !== 0 : repeatsLastDot && (bits & 1) !== 0;
          const colour = ink ? fg : bg;
          rgb[p] = colour[0];
          rgb[p + 1] = colour[1];
          rgb[p + 2] = colour[2];
        }
      }
    }
  }
  return { width, height, rgb };
}

/** Encodes an RGB image as a PNG file (8-bit truecolour, no alpha). */
export function encodePng(image: RgbImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height, colorType: 2, inputColorType: 2, bitDepth: 8 });
  png.data = Buffer.from(image.rgb.buffer, image.rgb.byteOffset, image.rgb.byteLength);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, bitDepth: 8 });
}

/** The screen as a PNG file, rendered as renderScreen does. */
export function screenToPng(screen: RichTextScreen, options: RenderOptions = {}): Buffer {
  return encodePng(renderScreen(screen, options));
}
