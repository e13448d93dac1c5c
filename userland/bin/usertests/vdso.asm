; usertests: the vDSO's time functions, found by name in the image AT_SYSINFO_EHDR points to,
; against the system calls they stand for: never earlier than what a call answered before,
; the same time zone, and the system call's answer for clocks the time page does not hold.
%include "ut.inc"

CLOCK_REALTIME  equ 0
CLOCK_MONOTONIC equ 1
CLOCK_BOOTTIME  equ 7           ; not in this kernel's time page: the vDSO asks the kernel
NO_SUCH_CLOCK   equ 99

section .rodata
n_clock_gettime: db "__vdso_clock_gettime", 0
n_gettimeofday: db "__vdso_gettimeofday", 0
n_time:         db "__vdso_time", 0

section .bss
by_call:    resd 2              ; struct timespec / timeval from the system call
by_vdso:    resd 2              ; the same from the vDSO
zone_call:  resd 2              ; struct timezone
zone_vdso:  resd 2
tloc:       resd 1

section .text

; Fails with message %1 unless the pair at by_vdso (seconds, then a fraction) is not earlier
; than the pair at by_call.
%macro EXPECT_NOT_EARLIER 1
    mov eax, [by_vdso]
    cmp eax, [by_call]
    jne %%seconds
    mov eax, [by_vdso + 4]
    cmp eax, [by_call + 4]
    FAIL_UNLESS %1, ae
    jmp %%done
%%seconds:
    FAIL_UNLESS %1, a
%%done:
%endmacro

TEST_BEGIN test_vdso
    ccall vdso_sym, n_clock_gettime
    test eax, eax
    FAIL_UNLESS "no __vdso_clock_gettime in the vDSO", nz
    mov ebx, eax
    ccall clock_gettime, CLOCK_MONOTONIC, by_call
    ccall ebx, CLOCK_MONOTONIC, by_vdso
    EXPECT_EQ eax, 0, "__vdso_clock_gettime(CLOCK_MONOTONIC) failed"
    EXPECT_NOT_EARLIER "the vDSO's monotonic clock is earlier than the system call's"
    ccall clock_gettime, CLOCK_REALTIME, by_call
    ccall ebx, CLOCK_REALTIME, by_vdso
    EXPECT_NOT_EARLIER "the vDSO's real-time clock is earlier than the system call's"
    ccall ebx, CLOCK_BOOTTIME, by_vdso
    EXPECT_EQ eax, 0, "__vdso_clock_gettime(CLOCK_BOOTTIME) failed"
    ccall ebx, NO_SUCH_CLOCK, by_vdso
    EXPECT_EQ eax, -EINVAL, "__vdso_clock_gettime(99) is not the system call's -EINVAL"

    ccall vdso_sym, n_gettimeofday
    test eax, eax
    FAIL_UNLESS "no __vdso_gettimeofday in the vDSO", nz
    mov ebx, eax
    ccall gettimeofday, by_call, zone_call
    mov dword [zone_vdso], -1
    mov dword [zone_vdso + 4], -1
    ccall ebx, by_vdso, zone_vdso
    EXPECT_EQ eax, 0, "__vdso_gettimeofday failed"
    EXPECT_NOT_EARLIER "the vDSO's gettimeofday is earlier than the system call's"
    cmp dword [by_vdso + 4], 1000000
    FAIL_UNLESS "__vdso_gettimeofday's microseconds are out of range", b
    mov eax, [zone_call]
    EXPECT_EQ eax, [zone_vdso], "the vDSO's time zone differs"
    mov eax, [zone_call + 4]
    EXPECT_EQ eax, [zone_vdso + 4], "the vDSO's daylight-saving flag differs"

    ccall vdso_sym, n_time
    test eax, eax
    FAIL_UNLESS "no __vdso_time in the vDSO", nz
    mov ebx, eax
    ccall time, 0
    mov esi, eax
    ccall ebx, tloc
    cmp eax, esi
    FAIL_UNLESS "__vdso_time is earlier than time()", ae
    EXPECT_EQ eax, [tloc], "__vdso_time stored another value than it returned"
TEST_END
