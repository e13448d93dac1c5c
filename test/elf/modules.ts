// Hand-built assembler output for the writer tests: what `-f elf32`/`-f elf64` would produce for
//   section .text: _start: call puts / mov eax, msg / ret     (global _start:function, extern puts)
//   section .data: msg: db "hi",0 / dd _start + 1              (local msg)
//   section .bss:  resb 64
// plus an absolute global and a weak definition.
import type { ObjectModule } from '../../tools/asm/object.ts';

export function sampleModule(elfClass: 32 | 64): ObjectModule {
  const text = new Uint8Array([0xe8, 0, 0, 0, 0, 0xb8, 0, 0, 0, 0, 0xc3]);
  const data = new Uint8Array([0x68, 0x69, 0x00, 0, 0, 0, 0]);
  return {
    elfClass,
    sourceFile: 'sample.asm',
    sections: [
      {
        name: '.text', align: 16, kind: 'progbits', alloc: true, write: false, exec: true, data: text, size: text.length,
        relocations: [
          { offset: 1, size: 4, pcRelative: true, signed: false, symbol: 'puts', symbolIsSection: false, addend: -4n },
          { offset: 6, size: 4, pcRelative: false, signed: false, symbol: '.data', symbolIsSection: true, addend: 0n },
        ],
      },
      {
        name: '.data', align: 4, kind: 'progbits', alloc: true, write: true, exec: false, data, size: data.length,
        relocations: [{ offset: 3, size: 4, pcRelative: false, signed: false, symbol: '.text', symbolIsSection: true, addend: 1n }],
      },
      { name: '.bss', align: 4, kind: 'nobits', alloc: true, write: true, exec: false, data: new Uint8Array(0), size: 64, relocations: [] },
    ],
    symbols: [
      { name: '_start', section: '.text', value: 0n, binding: 'global', type: 'func', size: 11n },
      { name: 'puts', section: null, value: 0n, binding: 'extern', type: 'notype', size: 0n },
      { name: 'msg', section: '.data', value: 0n, binding: 'local', type: 'notype', size: 0n },
      { name: 'LIMIT', section: null, value: 100n, binding: 'global', type: 'notype', size: 0n },
      { name: 'hook', section: '.text', value: 10n, binding: 'weak', type: 'func', size: 1n },
    ],
  };
}
