// The MC146818 CMOS: the date at boot and the memory size the BIOS recorded there.
import type { PortIo } from '../../../../machine/interfaces.ts';

function read(io: PortIo, reg: number): number {
  io.write(0x70, 1, 0x80 | reg); // bit 7: keep NMI disabled while the kernel reads
  return io.read(0x71, 1);
}

/** RAM in bytes from the extended-memory registers: KiB above 1 MiB (0x30/0x31), 64 KiB blocks above 16 MiB (0x34/0x35). */
export function cmosMemoryBytes(io: PortIo): number {
  const above16m = read(io, 0x34) | (read(io, 0x35) << 8);
  if (above16m > 0) return 16 * 1024 * 1024 + above16m * 65536;
  return 1024 * 1024 + (read(io, 0x30) | (read(io, 0x31) << 8)) * 1024;
}

/** The RTC's date and time as seconds since the Epoch (UTC), waiting out an update in progress. */
export function cmosEpochSeconds(io: PortIo): number {
  for (let tries = 0; tries < 1000 && read(io, 0x0a) & 0x80; tries++);
  const binary = (read(io, 0x0b) & 0x04) !== 0;
  const value = (reg: number): number => {
    const raw = read(io, reg);
    return binary ? raw : (raw >> 4) * 10 + (raw & 0x0f);
  };
  // In 12-hour mode bit 7 of the hour is PM and 12 stands for 0.
  const rawHour = read(io, 0x04);
  const hourDigits = binary ? rawHour & 0x7f : ((rawHour & 0x70) >> 4) * 10 + (rawHour & 0x0f);
  const hour = read(io, 0x0b) & 0x02 ? hourDigits : (hourDigits % 12) + (rawHour & 0x80 ? 12 : 0);
  const century = value(0x32) || 20;
  const year = century * 100 + value(0x09);
  return Date.UTC(year, value(0x08) - 1, value(0x07), hour, value(0x02), value(0x00)) / 1000;
}
