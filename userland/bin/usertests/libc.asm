; usertests: the libc's string, formatting and parsing functions.
%include "ut.inc"

section .data
moving:     db "0123456789", 0
argv_words: db "prog", 0, "-ab", 0, "-n5", 0, "-o", 0, "file", 0, "--", 0, "-x", 0
argv:       dd argv_words, argv_words + 5, argv_words + 9, argv_words + 13, argv_words + 16
            dd argv_words + 21, argv_words + 24, 0
options:    db ":abn:o:", 0

section .rodata
hello:      db "hello", 0
help:       db "help", 0
world:      db "hello world", 0
fmt_all:    db "[%d|%5d|%-5d|%05d|%x|%X|%o|%u|%c|%s|%8s|%-4s|%p|%%]", 0
fmt_long:   db "%s and %d", 0
spaced:     db "  -42x", 0
hex:        db "0x1f", 0
octal:      db "077", 0
huge:       db "99999999999", 0
minus_one:  db "-1", 0
abc:        db "abc", 0

section .bss
buffer:     resb 128
endp:       resd 1

section .text

TEST_BEGIN test_strings
    ccall strlen, world
    EXPECT_EQ eax, 11, "strlen"
    ccall strcmp, hello, help
    test eax, eax
    FAIL_UNLESS "strcmp hello < help", l
    ccall strncmp, hello, help, 3
    EXPECT_EQ eax, 0, "strncmp of a common prefix"
    ccall strcpy, buffer, hello
    ccall strcat, buffer, hello
    EXPECT_STR buffer, "hellohello", "strcpy then strcat"
    ccall strchr, world, 'o'
    EXPECT_EQ eax, world + 4, "strchr"
    ccall strrchr, world, 'o'
    EXPECT_EQ eax, world + 7, "strrchr"
    ccall strchr, world, 0
    EXPECT_EQ eax, world + 11, "strchr finds the NUL"
    ccall strstr, world, help
    EXPECT_EQ eax, 0, "strstr of something absent"
    ccall strstr, world, world + 6
    EXPECT_EQ eax, world + 6, "strstr"
    ccall memset, buffer, 'z', 5
    mov byte [buffer + 5], 0
    EXPECT_STR buffer, "zzzzz", "memset"
    ccall strncpy, buffer, abc, 6
    EXPECT_EQ dword [buffer + 2], 'c', "strncpy pads with NULs"
    ccall memmove, moving + 2, moving, 5    ; overlapping, forwards
    EXPECT_STR moving, "0101234789", "memmove to a higher address"
    ccall memmove, moving, moving + 3, 5    ; overlapping, backwards
    EXPECT_STR moving, "1234734789", "memmove to a lower address"
    ccall memcmp, hello, help, 3
    EXPECT_EQ eax, 0, "memcmp equal"
    ccall memcmp, hello, help, 4
    test eax, eax
    FAIL_UNLESS "memcmp hell < help", l
TEST_END

TEST_BEGIN test_sprintf
    ccall sprintf, buffer, fmt_all, -7, 42, 42, -42, 0xbeef, 0xbeef, 8, -1, 'Q', hello, hello, abc, 0x1000
    mov ebx, eax
    EXPECT_STR buffer, "[-7|   42|42   |-0042|beef|BEEF|10|4294967295|Q|hello|   hello|abc |0x1000|%]", "sprintf conversions"
    EXPECT_EQ ebx, 77, "sprintf's count"
    ccall snprintf, buffer, 8, fmt_long, hello, 12345
    EXPECT_EQ eax, 15, "snprintf returns the whole length"
    EXPECT_STR buffer, "hello a", "snprintf truncates and ends with NUL"
    mov byte [buffer], 'x'
    ccall snprintf, buffer, 0, fmt_long, hello, 1
    EXPECT_EQ byte [buffer], 'x', "snprintf with size 0 writes nothing"
TEST_END

TEST_BEGIN test_strtol
    ccall strtol, spaced, endp, 10
    EXPECT_EQ eax, -42, "strtol with spaces and a sign"
    EXPECT_EQ dword [endp], spaced + 5, "strtol's end pointer"
    ccall strtol, hex, 0, 0
    EXPECT_EQ eax, 31, "strtol base 0 with 0x"
    ccall strtol, octal, 0, 0
    EXPECT_EQ eax, 63, "strtol base 0 with a leading 0"
    mov dword [errno], 0
    ccall strtol, huge, 0, 10
    EXPECT_EQ eax, 0x7fffffff, "strtol saturates"
    EXPECT_EQ dword [errno], ERANGE, "strtol overflow sets ERANGE"
    ccall strtoul, minus_one, 0, 10
    EXPECT_EQ eax, 0xffffffff, "strtoul of -1"
    ccall strtol, abc, endp, 10
    EXPECT_EQ eax, 0, "strtol of no digits"
    EXPECT_EQ dword [endp], abc, "strtol of no digits leaves end at the start"
    ccall atoi, hex + 2
    EXPECT_EQ eax, 1, "atoi stops at a non-digit"
TEST_END

TEST_BEGIN test_getopt
    mov dword [optind], 1
    ccall getopt, 7, argv, options
    EXPECT_EQ eax, 'a', "getopt first flag of a cluster"
    ccall getopt, 7, argv, options
    EXPECT_EQ eax, 'b', "getopt second flag of a cluster"
    ccall getopt, 7, argv, options
    EXPECT_EQ eax, 'n', "getopt attached argument"
    EXPECT_STR [optarg], "5", "getopt's attached optarg"
    ccall getopt, 7, argv, options
    EXPECT_EQ eax, 'o', "getopt separate argument"
    EXPECT_STR [optarg], "file", "getopt's separate optarg"
    ccall getopt, 7, argv, options
    EXPECT_EQ eax, -1, "getopt stops at --"
    EXPECT_EQ dword [optind], 6, "getopt's optind after --"
TEST_END

section .rodata
lines:      db "line one", 10, "line two", 10, "rest"
LINES_LEN   equ $ - lines

section .bss
pipe_fds:   resd 2

section .text

; Line input from standard input: fgets stops after a newline or when the buffer is full,
; getchar and fgets share the buffer, and the end of input gives NULL and sets feof. (Tests
; run in a child, so replacing its standard input harms nothing.)
TEST_BEGIN test_stdin
    ccall pipe, pipe_fds
    EXPECT_EQ eax, 0, "pipe failed"
    ccall write, [pipe_fds + 4], lines, LINES_LEN
    EXPECT_EQ eax, LINES_LEN, "write to the pipe failed"
    ccall close, [pipe_fds + 4]
    ccall dup2, [pipe_fds], 0
    ccall fgets, buffer, 100, [stdin]
    EXPECT_EQ eax, buffer, "fgets did not return its buffer"
    EXPECT_STR buffer, {"line one", 10}, "fgets of a whole line"
    call getchar
    EXPECT_EQ eax, 'l', "getchar after fgets"
    ccall fgets, buffer, 5, [stdin]
    EXPECT_STR buffer, "ine ", "fgets stops when the buffer is full"
    ccall fgets, buffer, 100, [stdin]
    EXPECT_STR buffer, {"two", 10}, "fgets of the rest of a line"
    ccall feof, [stdin]
    EXPECT_EQ eax, 0, "feof before the end"
    ccall fgets, buffer, 100, [stdin]
    EXPECT_STR buffer, "rest", "fgets of a last line without a newline"
    ccall fgets, buffer, 100, [stdin]
    EXPECT_EQ eax, 0, "fgets at the end of input did not return NULL"
    ccall feof, [stdin]
    test eax, eax
    FAIL_UNLESS "feof not set at the end of input", nz
    call getchar
    EXPECT_EQ eax, -1, "getchar at the end of input is not EOF"
TEST_END
