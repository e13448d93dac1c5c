; The vDSO: code the kernel maps (read-only) into every process, below the stack, with the
; vvar time page one page below it. tools/build/vdso.ts assembles this file twice and lays each
; result out as an ELF shared object (ET_DYN, linked at 0, the globals below in .dynsym):
;   SYSENTER=1  __kernel_vsyscall enters with sysenter (the CPU has SEP)
;   SYSENTER=0  __kernel_vsyscall is int 0x80
; The kernel picks one at boot from CPUID, as Linux 2.6 chose between vsyscall-sysenter.so and
; vsyscall-int80.so. The code is position-independent: it finds the vvar page from its own
; address. Defined by the build: VDSO_TEXT (this section's offset in the image), PAGE_SIZE, the
; VVAR_* field offsets and the __NR_* / CLOCK_* numbers it uses.
bits 32
section .text

; long __kernel_vsyscall(void)              eax = number, ebx..ebp = arguments; result in eax
; The system-call entry programs reach through AT_SYSINFO: the same registers as int 0x80, and
; every register but eax comes back unchanged.
global __kernel_vsyscall:function
__kernel_vsyscall:
%if SYSENTER
        push ecx                        ; sysexit returns with ecx = user esp and edx = return eip:
        push edx                        ; the landing pad below restores both from here
        push ebp                        ; the sixth argument: the kernel reads it at [ebp]
        mov ebp, esp                    ; the kernel's only record of the user stack
        sysenter                        ; the kernel returns to __kernel_sysenter_return, with
                                        ; sysexit, or with iret when it rewrote the frame
; The landing pad: sysexit (or iret) comes back here with esp = the ebp above.
global __kernel_sysenter_return:function
__kernel_sysenter_return:
        pop ebp
        pop edx
        pop ecx
%else
        int 0x80
%endif
        ret

; Loads the address of the vvar page into %1: the image starts VDSO_TEXT bytes before this
; section, and the vvar page is the page before the image.
%macro VVAR_ADDRESS 1
        call %%here
%%here: pop %1
        sub %1, (%%here - $$) + VDSO_TEXT + PAGE_SIZE
%endmacro

; Reads the clock whose seconds are at vvar offset %1 (nanoseconds follow) into eax:edx as
; seconds:nanoseconds, consistently: the kernel bumps `seq` to odd before it writes and to even
; after, so a read that saw an odd or changed `seq` (a timer interrupt came between the loads)
; is retried. Uses ecx for the page and %2 for the sequence.
%macro READ_CLOCK 2
        VVAR_ADDRESS ecx
%%retry:
        mov %2, [ecx + VVAR_SEQ]
        test %2, 1
        jnz %%retry
        mov eax, [ecx + %1]
        mov edx, [ecx + %1 + 4]
        cmp %2, [ecx + VVAR_SEQ]
        jne %%retry
%endmacro

; int __vdso_clock_gettime(clockid_t id, struct timespec *tp)       clobbers eax, ecx, edx
; The realtime and monotonic clocks (and their _COARSE names) from the vvar page, with no trap;
; any other id through the real system call. 0, or -errno as the system call returns it.
global __vdso_clock_gettime:function
__vdso_clock_gettime:
        push ebx
        mov eax, [esp + 8]
        cmp eax, CLOCK_REALTIME
        je .realtime
        cmp eax, CLOCK_REALTIME_COARSE
        je .realtime
        cmp eax, CLOCK_MONOTONIC
        je .monotonic
        cmp eax, CLOCK_MONOTONIC_COARSE
        je .monotonic
        mov ebx, eax                    ; not in the page: ask the kernel
        mov ecx, [esp + 12]
        mov eax, __NR_clock_gettime
        call __kernel_vsyscall
        pop ebx
        ret
.realtime:
        READ_CLOCK VVAR_REALTIME_SEC, ebx
        jmp .store
.monotonic:
        READ_CLOCK VVAR_MONOTONIC_SEC, ebx
.store:
        mov ecx, [esp + 12]
        mov [ecx], eax
        mov [ecx + 4], edx
        xor eax, eax
        pop ebx
        ret

; int __vdso_gettimeofday(struct timeval *tv, struct timezone *tz)  clobbers eax, ecx, edx
; The real-time clock in seconds and microseconds; the time zone is UTC (zeros), as the
; kernel's gettimeofday answers. Either pointer may be NULL. Returns 0.
global __vdso_gettimeofday:function
__vdso_gettimeofday:
        push ebx
        push esi
        mov ebx, [esp + 12]
        test ebx, ebx
        jz .zone
        READ_CLOCK VVAR_REALTIME_SEC, esi
        mov [ebx], eax
        mov eax, edx
        xor edx, edx
        mov ecx, 1000
        div ecx                         ; nanoseconds -> microseconds
        mov [ebx + 4], eax
.zone:
        mov ebx, [esp + 16]
        test ebx, ebx
        jz .done
        mov dword [ebx], 0              ; tz_minuteswest
        mov dword [ebx + 4], 0          ; tz_dsttime
.done:
        xor eax, eax
        pop esi
        pop ebx
        ret

; time_t __vdso_time(time_t *t)                                     clobbers eax, ecx, edx
; Seconds since the Epoch (one aligned word: no sequence needed), also stored at t unless NULL.
global __vdso_time:function
__vdso_time:
        VVAR_ADDRESS ecx
        mov eax, [ecx + VVAR_REALTIME_SEC]
        mov edx, [esp + 4]
        test edx, edx
        jz .done
        mov [edx], eax
.done:
        ret
