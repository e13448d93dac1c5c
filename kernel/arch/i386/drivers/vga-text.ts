// The VGA text buffer and the CRT controller's cursor, as the console's VGA writer wants them.
import type { PortIo } from '../../../../machine/interfaces.ts';
import type { CursorControl, TextMemory } from '../../../tty/vga-writer.ts';
import type { PhysicalBus } from '../platform.ts';

const TEXT_BUFFER = 0xb8000;

/** The 80x25 text buffer at physical 0xB8000. */
export function vgaTextMemory(bus: PhysicalBus): TextMemory {
  return {
    read8: (offset) => bus.read8(TEXT_BUFFER + offset),
    write8: (offset, value) => bus.write8(TEXT_BUFFER + offset, value),
  };
}

/** The hardware cursor: CRTC registers 0x0E (high byte) and 0x0F (low byte) of the cell index. */
export function vgaCursor(io: PortIo): CursorControl {
  return {
    setCursor(cell) {
      io.write(0x3d4, 1, 0x0f);
      io.write(0x3d5, 1, cell & 0xff);
      io.write(0x3d4, 1, 0x0e);
      io.write(0x3d5, 1, (cell >>> 8) & 0xff);
    },
  };
}
