// The -l listing in NASM's layout. The expected texts are NASM 2.16's listings of the same sources.
import { describe, expect, it } from 'vitest';
import { asm } from './helpers.ts';

const CASES: Array<[string, string, string]> = [
  ['instructions, data, TIMES, ALIGN, long data rows, RESB and EQU', "bits 16\norg 0x7c00\nstart: mov ax, 1\n jmp start\n db 'ab', \"cd\", `e\\n`, 0\nalign 8\ntimes 3 db 1\ndb 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20\nsection .bss\nbuf: resb 64\nx equ 5\n", "     1                                  bits 16\n     2                                  org 0x7c00\n     3 00000000 B80100                  start: mov ax, 1\n     4 00000003 EBFB                     jmp start\n     5 00000005 61626364650A00           db 'ab', \"cd\", `e\\n`, 0\n     6 0000000C 90<rep 4h>              align 8\n     7 00000010 01<rep 3h>              times 3 db 1\n     8 00000013 010203040506070809-     db 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20\n     8 0000001C 0A0B0C0D0E0F101112-\n     8 00000025 1314               \n     9                                  section .bss\n    10 00000000 <res 40h>               buf: resb 64\n    11                                  x equ 5\n"],
  ['macro and %rep expansions, skipped branches and directives', "%macro m 1\n db %1\n%endmacro\n%if 0\n db 9\n%else\n db 8\n%endif\nm 5\n%rep 2\n db 7\n%endrep\n%define X 1\nlbl:\n", "     1                                  %macro m 1\n     2                                   db %1\n     3                                  %endmacro\n     4                                  %if 0\n     5                                   db 9\n     6                                  %else\n     7 00000000 08                       db 8\n     8                                  %endif\n     9                                  m 5\n     2 00000001 05                  <1>  db %1\n    10                                  %rep 2\n    11                                   db 7\n    12                                  %endrep\n    11 00000002 07                  <1>  db 7\n    11 00000003 07                  <1>  db 7\n    13                                  %define X 1\n    14                                  lbl:\n"],
];

describe('listing', () => {
  it.each(CASES)('%s', (_name, source, expected) => {
    expect(asm(source, { listing: true }).listing).toBe(expected);
  });
});
