// The preprocessor: single-line and multi-line macros, %rep, conditionals, contexts and string functions.
// Expected bytes were produced by NASM 2.16 from the same sources.
import { describe, expect, it } from 'vitest';
import { asm, hexOf } from './helpers.ts';

const CASES: Array<[string, string, string]> = [
  ["%define with parameters", "%define ADD(a,b) ((a)+(b))\ndb ADD(1,2), ADD(3, 4) * 2\n", "030e"],
  ["%define is expanded when used, %xdefine when defined", "%define V 5\n%define LAZY V\n%xdefine EAGER V\n%undef V\n%define V 7\ndb LAZY, EAGER\n", "0705"],
  ["%idefine is case-insensitive", "%idefine Nine 9\ndb nine, NINE, Nine\n", "090909"],
  ["a macro is not expanded inside itself", "%define x x+1\ny: equ 3\n%define y y+1\ndb y\n", "04"],
  ["token pasting with %+", "%define CAT(a) a %+ _tail\nfoo_tail: db CAT(foo) - $$ + 1\n", "01"],
  ["%assign evaluates now", "%assign i 1\n%assign i i*10+2\ndb i\n", "0c"],
  ["%macro with defaults and %0", "%macro m 1-3 10, 20\n db %0, %1, %2, %3\n%endmacro\nm 1\nm 1, 2\nm 1, 2, 3\n", "03010a140301021403010203"],
  ["greedy parameter", "%macro g 1+\n db %1\n%endmacro\ng 1, 2, 3\n", "010203"],
  ["%rotate inside %rep", "%macro rot 3\n%rep 3\n db %1\n%rotate 1\n%endrep\n%endmacro\nrot 4, 5, 6\n", "040506"],
  ["%%local labels are unique per call", "%macro loc 0\n%%a: db 0\n dw %%a - $$\n%endmacro\nloc\nloc\n", "000000000300"],
  ["braces group a parameter with commas", "%macro two 2\n db %1\n db %2\n%endmacro\ntwo {1, 2}, 3\n", "010203"],
  ["parameters pasted into names", "%macro mk 1\nlbl_%1: db %1\n%endmacro\nmk 3\nmk 4\ndb lbl_4 - lbl_3\n", "030401"],
  ["%{n} and %0 with variadic macros", "%macro cnt 0-*\n db %0\n%rep %0\n db %{1}\n%rotate 1\n%endrep\n%endmacro\ncnt\ncnt 7, 8\n", "00020708"],
  ["label before a macro call", "%macro one 0\n db 1\n%endmacro\nhere: one\ndw here\n", "010000"],
  ["overloaded macros by parameter count", "%macro ov 1\n db 1\n%endmacro\n%macro ov 2\n db 2\n%endmacro\nov a\nov a, b\n", "0102"],
  ["%rep with %exitrep", "%assign n 0\n%rep 10\n%if n == 3\n%exitrep\n%endif\n db n\n%assign n n+1\n%endrep\n", "000102"],
  ["nested %rep", "%rep 2\n%rep 3\n db 1\n%endrep\n db 2\n%endrep\n", "0101010201010102"],
  ["%if / %elif / %else", "%if 0\n db 1\n%elif 2 > 1 && 3 <= 3\n db 2\n%else\n db 3\n%endif\n%if 1 || 0\n db 4\n%endif\n", "0204"],
  ["%ifdef and %ifndef", "%define D\n%ifdef D\n db 1\n%endif\n%ifndef D\n db 2\n%endif\n%ifndef E\n db 3\n%endif", "0103"],
  ["%ifidn and %ifidni", "%define A foo\n%ifidn A, foo\n db 1\n%endif\n%ifidn A, FOO\n db 2\n%endif\n%ifidni A, FOO\n db 3\n%endif\n", "0103"],
  ["%ifmacro, %ifnum, %ifstr, %ifid, %ifempty", "%macro mm 1\n%endmacro\n%ifmacro mm\n db 1\n%endif\n%ifnmacro nn\n db 2\n%endif\n%ifnum 5\n db 3\n%endif\n%ifstr 'x'\n db 4\n%endif\n%ifid abc\n db 5\n%endif\n%ifempty\n db 6\n%endif\n", "010203040506"],
  ["nested conditionals in a false branch", "%if 0\n%if 1\n db 1\n%else\n db 2\n%endif\n%else\n db 3\n%endif\n", "03"],
  ["%strlen and %substr", "%strlen L 'hello'\ndb L\n%substr S 'hello', 2, 3\ndb S\n%substr T 'hello', 5\ndb T\n", "05656c6c6f"],
  ["__LINE__ and __?LINE?__", "db __LINE__\n\ndb __?LINE?__\n", "0103"],
  ["line continuation", "db 1, \\\n 2\n", "0102"],
  ["conditional on NASM version", "%if __NASM_MAJOR__ >= 2\n db 1\n%endif\n", "01"],
  ["a multi-line macro defining a macro", "%macro def 1\n%define NAME_%1 %1\n%endmacro\ndef 5\ndb NAME_5\n", "05"],
  ["case-insensitive %imacro", "%imacro Emit 1\n db %1\n%endmacro\nEMIT 1\nemit 2\n", "0102"],
  ["contexts: %push, %repl, %pop, %ifctx, %$local, and %-1 inverse condition codes", "%macro IF 1\n  %push if\n  j%-1 %$ifnot\n%endmacro\n%macro ELSE 0\n  %ifctx if\n    %repl else\n    jmp %$ifend\n    %$ifnot:\n  %else\n    %error \"expected IF before ELSE\"\n  %endif\n%endmacro\n%macro ENDIF 0\n  %ifctx if\n    %$ifnot:\n    %pop\n  %elifctx else\n    %$ifend:\n    %pop\n  %else\n    %error \"expected IF before ENDIF\"\n  %endif\n%endmacro\nbits 32\ncmp eax, ebx\nIF e\n  mov ecx, 1\nELSE\n  mov ecx, 2\nENDIF\n%push outer\n%define %$val 5\ndb %$val\n%pop\n", "39d87507b901000000eb05b90200000005"],
  ["%+1 condition code parameter", "%macro jif 2\n j%+1 %2\n%endmacro\nbits 16\nx: jif nz, x\njif c, x\n", "75fe72fc"],
  ["parameter ranges %{a:b}", "%macro tail 1-*\n db %{2:-1}\n db %{-1:1}\n%endmacro\ntail 1, 2, 3, 4\n", "02030404030201"],
  ["%[...] builds names from expanded values", "%assign i 3\nv_3: db 1\n%define HAVE_3\n%ifdef HAVE_%[i]\n dw v_%[i]\n%endif\n%rep 2\n db %[i]\n%assign i i+1\n%endrep\n", "0100000304"],
  ["%str, %defstr, %strcat and %deftok", "%define NAME foo\n%defstr S NAME\n%strcat T 'ab', \"cd\", S\n%deftok K '1+2'\n db S, 0, T, 0, K\n%macro q 1\n db %str(%1), 0\n%endmacro\nq hello world\n", "666f6f0061626364666f6f000368656c6c6f20776f726c6400"],
  ["__SECT__ returns to the section of the last SECTION line", "section .data\n db 1\n[section .text]\n db 2\n__SECT__\n db 3\nsection .text\n db 4\n", "020400000103"],
  ["__BITS__ follows BITS and USE32", "db __BITS__, __?BITS?__\nbits 32\ndb __BITS__\n[bits 64]\ndb __BITS__\nuse16\n%if __BITS__ == 16\ndb 1\n%endif\n", "1010204001"],
  ["macro calls inside macro arguments", "%define a(x) x+1\n%define b a(a(1))\ndb b, 5\n", "0305"],
  ["%if, %assign and %rep on equ constants defined above, as NASM's first pass sees them", "X equ 5\nY: equ X*2+1\n%if Y == 11 && X > 2\n db 1\n%endif\n%assign z Y+1\n db z\n%rep X-3\n db 9\n%endrep\n", "010c0909"],
  ["%xdefine accumulating a list", "%xdefine LIST 1\n%xdefine LIST LIST, 2\n%xdefine LIST LIST, 3\ndb LIST\n", "010203"],
];

describe('preprocessor', () => {
  it.each(CASES)('%s', (_name, source, expected) => {
    expect(hexOf(asm(source))).toBe(expected);
  });
});
