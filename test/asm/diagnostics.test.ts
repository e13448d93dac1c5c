// Every kind of bad input gives NASM's `file:line: severity: message` and no output; warnings keep the output.
// The message texts are the ones NASM 2.16 prints for the same sources.
import { describe, expect, it } from 'vitest';
import { asm, messages } from './helpers.ts';

const ERRORS: Array<[string, string, string[]]> = [
  ['undefined symbols, each reported', 'dd undefined1\ndd undefined2\n', ["test.asm:1: error: symbol `undefined1' not defined", "test.asm:2: error: symbol `undefined2' not defined"]],
  ['label redefined with another value', 'x: db 1\nx: db 2\n', ["test.asm:2: error: label `x' inconsistently redefined"]],
  ['EQU redefined', 'x equ 1\nx equ 2\n', ["test.asm:2: error: label `x' inconsistently redefined"]],
  ['negative TIMES', 'times -1 db 0\n', ['test.asm:1: error: TIMES value -1 is negative']],
  ['forward reference in TIMES', 'times x db 0\nx equ 3\n', ['test.asm:1: error: non-constant argument supplied to TIMES']],
  ['division by zero', 'db 1/0\n', ['test.asm:1: error: division by zero']],
  ['unbalanced parenthesis', 'db (1\n', ["test.asm:1: error: expecting `)'"]],
  ['dangling operator', 'db 1 +\n', ['test.asm:1: error: expression syntax error']],
  ['%error with a quoted message', '%error "quoted msg"\n', ['test.asm:1: error: quoted msg']],
  ['%endif without %if', '%endif\n', ["test.asm:1: error: `%endif': no matching `%if'"]],
  ['%if without %endif', '%if 1\n', ["test.asm:1: fatal: expected `%endif' before end of file"]],
  ['missing include file', '%include "nope.inc"\n', ["test.asm:1: error: unable to open include file `nope.inc': No such file or directory"]],
  ['bad BITS', 'bits 17\n', ["test.asm:1: error: `17' is not a valid segment size; must be 16, 32 or 64"]],
  ['unknown bracketed directive', '[foo]\n', ['test.asm:1: error: unrecognized directive [foo]']],
  ['section alignment not a power of two', 'section .text align=3\n', ["test.asm:1: error: argument to `align' is not a power of two"]],
  ['missing INCBIN file', 'incbin "nofile"\n', ["test.asm:1: error: `incbin': unable to get length of file `nofile'"]],
  ['extern in flat binary', 'extern e\ndd e\n', ['test.asm:2: error: binary output format does not support external references (`e\')']],
  ['%if on an undefined name', '%if foo\n%endif\n', ["test.asm:1: error: symbol `foo' not defined before use"]],
  ['%if on an equ defined below it', '%if LATER\n%endif\nLATER equ 1\n', ["test.asm:1: error: symbol `LATER' not defined before use"]],
  [
    '%if on an equ of labels',
    'a: nop\nb: nop\nD equ b - a\n%if D\n%endif\n',
    ["test.asm:4: error: `D' is an equ of labels or of later symbols: this assembler preprocesses before it assembles, so a preprocessor expression can use only an equ of numbers and earlier such equs"],
  ],
  ['runaway macro recursion stops', '%macro r 0\nr\n%endmacro\nr\n', ['test.asm:4: error: interminable macro recursion']],
  ['misspelt instruction', 'bits 32\nmovv eax, 1\nfoo bar\n', ['test.asm:2: error: parser: instruction expected', 'test.asm:3: error: parser: instruction expected']],
  ['standard macro packages', '%use smartalign\n', ["test.asm:1: error: `%use smartalign': standard macro packages are not supported by this assembler"]],
  ['unknown preprocessor directive', '%frobnicate\n', ["test.asm:1: error: unknown preprocessor directive `%frobnicate'"]],
];

describe('assembly errors', () => {
  it.each(ERRORS)('%s', (_name, source, expected) => {
    const r = asm(source);
    expect(messages(r)).toEqual(expected);
    expect(r.ok).toBe(false);
    expect(r.output).toBeNull();
  });

  it('reports errors in an included file with that file\'s name and line', () => {
    const r = asm('db 1\n%include "inc/part.inc"\n', { extraFiles: { 'inc/part.inc': 'db 2\ndb nowhere\n' } });
    expect(messages(r)).toEqual(["inc/part.inc:2: error: symbol `nowhere' not defined"]);
  });

  it('reports an error inside a macro at the line that called it, then the macros it came from', () => {
    const r = asm('%macro m 0\n db 1\n db missing\n%endmacro\n\nm\n');
    expect(messages(r)).toEqual(["test.asm:6: error: symbol `missing' not defined", "test.asm:3: ... from macro `m' defined here"]);
    const nested = asm('%macro inner 0\n  db nope\n%endmacro\n%macro outer 0\n  inner\n%endmacro\nouter\n');
    expect(messages(nested)).toEqual([
      "test.asm:7: error: symbol `nope' not defined",
      "test.asm:5: ... from macro `outer' defined here",
      "test.asm:2: ... from macro `inner' defined here",
    ]);
  });
});

const WARNINGS: Array<[string, string, string[], string]> = [
  ['byte, word and dword overflow', 'db 300, 256, -256\ndw 70000\ndd 0x100000000\n', [
    'test.asm:1: warning: byte data exceeds bounds [-w+number-overflow]',
    'test.asm:1: warning: byte data exceeds bounds [-w+number-overflow]',
    'test.asm:2: warning: word data exceeds bounds [-w+number-overflow]',
    'test.asm:3: warning: dword data exceeds bounds [-w+number-overflow]',
  ], '2c0000701100000000'],
  ['%warning', '%warning careful\ndb 1\n', ['test.asm:1: warning: careful [-w+user]'], '01'],
  ['orphan label', 'label\ndb 1\n', ['test.asm:1: warning: label alone on a line without a colon might be in error [-w+label-orphan]'], '01'],
  ['RESB in .text', 'resb 2\n', ['test.asm:1: warning: uninitialized space declared in .text section: zeroing [-w+zeroing]'], '0000'],
  ['data in .bss', 'section .bss\ndb 1\n', ['test.asm:2: warning: attempt to initialize memory in a nobits section: ignored [-w+other]'], ''],
];

describe('assembly warnings', () => {
  it.each(WARNINGS)('%s', (_name, source, expected, hex) => {
    const r = asm(source);
    expect(messages(r)).toEqual(expected);
    expect(r.ok).toBe(true);
    expect(Buffer.from(r.output!).toString('hex')).toBe(hex);
  });
});

describe('passes', () => {
  it('reports labels that never settle instead of looping', () => {
    const r = asm('resb (fwd - $$ < 10) * 20\nfwd: db 1\n');
    expect(messages(r)).toEqual(["test.asm: error: unable to find valid values for all labels after 50 passes (`fwd' keeps changing); giving up"]);
    expect(r.output).toBeNull();
  });

  it('settles forward references through chains of EQU', () => {
    const r = asm('dw a\na equ b + 1\nb equ c + 2\nc: db 7\n');
    expect(Buffer.from(r.output!).toString('hex')).toBe('050007');
  });
});

describe('runaway expansion', () => {
  it('stops a macro that calls itself twice with one error', () => {
    const r = asm('%macro m 0\nm\nm\n%endmacro\nm\ndb 1\n');
    expect(messages(r)).toEqual(['test.asm:5: error: interminable macro recursion']);
  });

  it('stops nested %rep that would produce too many lines', () => {
    const r = asm('%rep 100000\n%rep 100000\nnop\n%endrep\n%endrep\n', { expansionLimit: 5000 });
    expect(messages(r)).toEqual(['test.asm:5: fatal: macro and %rep expansion exceeds 5000 lines']);
  });
});

describe('degenerate input', () => {
  it.each([
    ['an empty %rep body', '%rep 3\n%endrep\ndb 1\n', '01'],
    ['an empty macro', '%macro m 0\n%endmacro\nm\ndb 2\n', '02'],
    ['an empty file', '', ''],
    ['only comments', '; nothing\n   ; here\n', ''],
  ])('%s', (_name, source, hex) => {
    const r = asm(source);
    expect(messages(r)).toEqual([]);
    expect(Buffer.from(r.output!).toString('hex')).toBe(hex);
  });
});

describe('encoder warnings', () => {
  it('are reported at the line of the instruction, in the last pass only', () => {
    const r = asm('nop\nnop\n', {
      encoder: () => ({ ok: true, bytes: Uint8Array.of(0x90), fixups: [], warnings: ['byte data exceeds bounds [-w+number-overflow]'] }),
    });
    expect(messages(r)).toEqual([
      'test.asm:1: warning: byte data exceeds bounds [-w+number-overflow]',
      'test.asm:2: warning: byte data exceeds bounds [-w+number-overflow]',
    ]);
    expect(r.ok).toBe(true);
  });
});

describe('labels are relocatable in flat binaries too', () => {
  it.each([
    ['shift', 'org 0x7c00\ndw x >> 4\nx: dw 0\n', 'test.asm:2: error: shift operator may only be applied to scalar values'],
    ['division', 'dw x / 16\nx: dw 0\n', 'test.asm:1: error: division operator may only be applied to scalar values'],
    ['and', 'dw x & 0xf\nx: dw 0\n', "test.asm:1: error: `&' operator may only be applied to scalar values"],
    ['product', 'dw x * 2\nx: dw 0\n', 'test.asm:1: error: expression is not simple or relocatable'],
    ['difference across other sections', 'section .text\nx: nop\nsection .d\ny: dd y - x\n', 'test.asm:4: error: expression is not simple or relocatable'],
  ])('refuses a label in a %s, as NASM does', (_name, source, message) => {
    const r = asm(source);
    expect(messages(r)).toEqual([message]);
    expect(r.output).toBeNull();
  });
});

describe('message order', () => {
  it('gives preprocessor and assembler messages in the order of their lines', () => {
    const r = asm('%macro m 0\n  db 300\n  %error boom\n%endmacro\nm\n%warning later\n');
    expect(messages(r)).toEqual([
      'test.asm:5: warning: byte data exceeds bounds [-w+number-overflow]',
      "test.asm:2: ... from macro `m' defined here",
      'test.asm:5: error: boom',
      "test.asm:3: ... from macro `m' defined here",
      'test.asm:6: warning: later [-w+user]',
    ]);
  });
});
