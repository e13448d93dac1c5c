// The fixed table in the 8042's ROM that turns keyboard scan code set 2 into the set 1 codes PC
// software expects (command byte bit 6). Index: set 2 byte from the keyboard; value: set 1 byte.
// Bytes from 0x80 up pass through unchanged except 0x83 (F7) and 0x84 (SysRq); a 0xF0 (break)
// prefix is swallowed and sets bit 7 of the next translated byte.

const LOW_HALF =
  'ff 43 41 3f 3d 3b 3c 58 64 44 42 40 3e 0f 29 59 65 38 2a 70 1d 10 02 5a 66 71 2c 1f 1e 11 03 5b ' +
  '67 2e 2d 20 12 05 04 5c 68 39 2f 21 14 13 06 5d 69 31 30 23 22 15 07 5e 6a 72 32 24 16 08 09 5f ' +
  '6b 33 25 17 18 0b 0a 60 6c 34 35 26 27 19 0c 61 6d 73 28 74 1a 0d 62 6e 3a 36 1c 1b 75 2b 63 76 ' +
  '55 56 77 78 79 7a 0e 7b 7c 4f 7d 4b 47 7e 7f 6f 52 53 50 4c 4d 48 01 45 57 4e 51 4a 37 49 46 54';

/** set2ToSet1[b] is the set 1 byte the 8042 emits for set 2 byte b (without a break prefix). */
export const SET2_TO_SET1: Uint8Array = (() => {
  const table = new Uint8Array(256);
  LOW_HALF.split(' ').forEach((hex, i) => (table[i] = parseInt(hex, 16)));
  for (let b = 0x80; b < 0x100; b++) table[b] = b;
  table[0x83] = 0x41;
  table[0x84] = 0x54;
  return table;
})();
