; badptr: every pointer argument of every call (from syscall-args.inc, which the kernel's table
; generates) is given bad addresses while the other arguments are valid: NULL, unmapped, kernel,
; the top of the address space, a read-only page (outputs), an object straddling into an unmapped
; page, the last byte of a page. Each must answer EFAULT and change nothing: memory around it,
; the other outputs, descriptors, file offsets and contents, signal actions and mask, the working
; directory, a file it names, a child it could have reaped. Then the same object straddling two
; mapped pages (in a child, so its effects stay there) must answer what it answers in one page.
; Calls go through syscall(nr, ...): the mechanism the libc was built for. Prints a line per
; argument, one per failure, and a summary; the exit status is the number of failures.
bits 32
%include "libc.inc"
%include "syscall-args.inc"

PAGE        equ 4096
BUF_LEN     equ 64              ; every buffer's length argument; the data file's size
FILL        equ 0x61            ; what the pages and the other outputs hold before a call
RO_FILL     equ 0x5a
SEEK_SET    equ 0
SEEK_CUR    equ 1
SEEK_END    equ 2
SIG_BLOCK   equ 0
SIGSET_SIZE equ 8
KILLED      equ 0x100           ; run_child's answer for a child killed by a signal: KILLED + signal

; where a case's address comes from
FROM_VALUE  equ 0               ; the value in the case table
FROM_RO     equ 1               ; inside a read-only page (outputs only)
FROM_STRADDLE equ 2             ; the object's start in the last mapped bytes before an unmapped page
FROM_PAGE_END equ 3             ; the last byte of the mapped pages

SYSCALL_ARGS_TABLE rows

section .rodata
bad_cases:
    dd c_null, FROM_VALUE, 0
    dd c_unmapped, FROM_VALUE, 0x30000000
    dd c_kernel, FROM_VALUE, 0xc0000000
    dd c_image, FROM_VALUE, 0xc0100000
    dd c_top, FROM_VALUE, 0xfffffffc         ; runs past 4 GiB
    dd c_ro, FROM_RO, 0
    dd c_straddle, FROM_STRADDLE, 0
    dd c_page_end, FROM_PAGE_END, 0
bad_cases_end:
c_null:     db "NULL", 0
c_unmapped: db "unmapped", 0
c_kernel:   db "kernel", 0
c_image:    db "kernel image", 0
c_top:      db "top of memory", 0
c_ro:       db "read-only", 0
c_straddle: db "straddling into unmapped", 0
c_page_end: db "last byte of a page", 0
c_legal:    db "straddling two pages", 0

data_path:  db "/tmp/badptr.data", 0
scratch:    db "/tmp/badptr.exe", 0     ; the path every string argument names: tiny_elf
tmp_dir:    db "/tmp", 0
arg0:       db "badptr.exe", 0
pass_fmt:   db "badptr: %s arg %d: %d cases passed", 10, 0
fail_fmt:   db "badptr: FAIL %s arg %d (%s): %s", 10, 0
errno_fmt:  db "badptr: FAIL %s arg %d (%s): answered errno %d, wanted EFAULT", 10, 0
child_fmt:  db "badptr: FAIL %s arg %d (%s): the child answered %d, in one page %d", 10, 0
done_fmt:   db "badptr: %d arguments, %d cases, %d failed", 10, 0
setup_fmt:  db "badptr: setup failed at step %d", 10, 0
r_memory:   db "changed the memory at the address", 0
r_other:    db "wrote another output argument", 0
r_ro:       db "wrote a read-only page", 0
r_fd:       db "left a descriptor open", 0
r_offset:   db "moved the file offset", 0
r_file:     db "changed the file", 0
r_dir:      db "moved the directory offset", 0
r_action:   db "changed a signal action", 0
r_mask:     db "changed the signal mask", 0
r_cwd:      db "changed the working directory", 0
r_scratch:  db "removed the file it names", 0
r_reaped:   db "reaped the child", 0
valid_argv: dd arg0, 0
; The valid structure a call reads: first word 1, the rest 0 (a one-second timespec, SIG_IGN,
; a mask blocking SIGHUP), so that a change it makes shows.
instruct_recipe: dd 1
            times 124 db 0

; A whole ELF program that only exits with status 0 through int 0x80 (which the kernel always
; serves): written to `scratch`, so execve's path argument names a program.
ELF_BASE    equ 0x08048000
tiny_elf:
    db 0x7f, "ELF", 1, 1, 1, 0          ; 32-bit, little-endian, version 1
    times 8 db 0
    dw 2, 3                             ; ET_EXEC, EM_386
    dd 1, ELF_BASE + (tiny_code - tiny_elf), tiny_phdr - tiny_elf, 0, 0
    dw tiny_phdr - tiny_elf, 32, 1, 0, 0, 0
tiny_phdr:
    dd 1, 0, ELF_BASE, ELF_BASE, tiny_end - tiny_elf, tiny_end - tiny_elf, 5, PAGE  ; PT_LOAD R+X
tiny_code:
    mov eax, __NR_exit
    xor ebx, ebx
    int 0x80
tiny_end:

align PAGE
ro_page:    times PAGE db RO_FILL

section .bss
row:        resd 1                      ; the row and argument under test
arg:        resd 1
case_name:  resd 1
args:       resd 6
base:       resd 1                      ; two mapped pages from brk, unmapped after them
boundary:   resd 1
page_end:   resd 1
fd_file:    resd 1
fd_dir:     resd 1
lowest_fd:  resd 1
zombie:     resd 1
failures:   resd 1
cases_run:  resd 1
arguments:  resd 1
saved:      resb 2 * PAGE
out_area:   resb PAGE
pattern:    resb BUF_LEN
tmp:        resb 256
fds:        resd 2

section .text
global main
main:
    push ebx
    call setup
    test eax, eax
    jz .rows
    ccall printf, setup_fmt, eax
    mov eax, 1
    pop ebx
    ret
.rows:
    mov dword [row], rows
.row:
    mov dword [arg], 0
.arg:
    mov eax, [row]
    mov ecx, [arg]
    cmp ecx, [eax + SA_NARGS]
    jae .next_row
    mov edx, [eax + SA_ARGS + ecx * 8]
    mov ebx, edx
    and ebx, ARG_KIND_MASK
    cmp ebx, ARG_POINTER
    jb .next_arg
    test edx, ARG_WRITTEN_RARELY
    jnz .next_arg
    call check_arg
.next_arg:
    inc dword [arg]
    jmp .arg
.next_row:
    add dword [row], SA_ROW
    cmp dword [row], rows_end
    jb .row
    ccall printf, done_fmt, [arguments], [cases_run], [failures]
    mov eax, [failures]
    pop ebx
    ret

; int setup(void): the data file, the directory, the scratch program, the pages. 0, or the step that failed.
setup:
    ccall chdir, tmp_dir
    mov ecx, 1
    test eax, eax
    jnz .failed
    ccall memset, pattern, 'p', BUF_LEN
    ccall open, data_path, O_RDWR | O_CREAT | O_TRUNC, 0o644
    mov ecx, 2
    test eax, eax
    js .failed
    mov [fd_file], eax
    ccall open, tmp_dir, O_RDONLY | O_DIRECTORY, 0
    mov ecx, 3
    test eax, eax
    js .failed
    mov [fd_dir], eax
    call restore_files
    mov ecx, 4
    test eax, eax
    jnz .failed
    ccall brk, 0                ; the current break; the pages start at the next page boundary
    add eax, PAGE - 1
    and eax, -PAGE
    mov [base], eax
    add eax, PAGE
    mov [boundary], eax
    add eax, PAGE
    mov [page_end], eax
    ccall brk, eax
    mov ecx, 5
    cmp eax, [page_end]
    jne .failed
    ccall dup, 0
    mov [lowest_fd], eax
    ccall close, eax
    xor eax, eax
    ret
.failed:
    mov eax, ecx
    ret

; int restore_files(void): the data file holds the pattern, both offsets are 0, the scratch
; program exists. 0, or -1.
restore_files:
    ccall lseek, [fd_file], 0, SEEK_SET
    ccall write, [fd_file], pattern, BUF_LEN
    cmp eax, BUF_LEN
    jne .failed
    ccall lseek, [fd_file], 0, SEEK_SET
    ccall lseek, [fd_dir], 0, SEEK_SET
    ccall open, scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o755
    test eax, eax
    js .failed
    push eax
    ccall write, eax, tiny_elf, tiny_end - tiny_elf
    call close
    add esp, 4
    xor eax, eax
    ret
.failed:
    mov eax, -1
    ret

; void check_arg(void): every bad address for argument [arg] of [row], then the legal straddle.
check_arg:
    push ebx
    push esi
    push edi
    inc dword [arguments]
    mov edi, [failures]
    xor esi, esi                ; cases run for this argument
    mov ebx, bad_cases
.case:
    mov eax, [ebx]
    mov [case_name], eax
    mov eax, [ebx + 4]
    cmp eax, FROM_RO
    jne .address
    call tested_kind            ; a read-only page is bad only for what the kernel writes
    and eax, ARG_KIND_MASK
    cmp eax, ARG_OUTBUF
    jb .next
.address:
    push dword [ebx + 8]
    push dword [ebx + 4]
    call case_address
    add esp, 8
    push eax
    test eax, eax
    jnz .bad
    call tested_kind
    test eax, ARG_NULL_OK
    jz .bad
    call check_legal            ; NULL where the call allows it: it must work
    jmp .ran
.bad:
    call check_bad
.ran:
    add esp, 4
    inc esi
.next:
    add ebx, 12
    cmp ebx, bad_cases_end
    jb .case
    mov dword [case_name], c_legal
    call straddle_offset
    mov ecx, [boundary]
    sub ecx, eax
    push ecx
    call check_legal
    add esp, 4
    inc esi
    add [cases_run], esi
    cmp edi, [failures]
    jne .done
    mov eax, [row]
    mov ecx, [arg]
    inc ecx
    ccall printf, pass_fmt, [eax + SA_NAME], ecx, esi
.done:
    pop edi
    pop esi
    pop ebx
    ret

; unsigned case_address(int from, unsigned value): the address a bad case gives the argument.
case_address:
    mov eax, [esp + 4]
    cmp eax, FROM_RO
    je .ro
    cmp eax, FROM_STRADDLE
    je .straddle
    cmp eax, FROM_PAGE_END
    je .page_end
    mov eax, [esp + 8]
    ret
.ro:
    mov eax, ro_page + BUF_LEN
    ret
.straddle:
    call straddle_offset
    neg eax
    add eax, [page_end]
    ret
.page_end:
    mov eax, [page_end]
    dec eax
    ret

; int tested_kind(void): the kind (with flags) of the argument under test.   clobbers ecx
tested_kind:
    mov eax, [row]
    mov ecx, [arg]
    mov eax, [eax + SA_ARGS + ecx * 8]
    ret

; unsigned object_size(void): the bytes the argument under test spans: a structure's size,
; BUF_LEN for a buffer, 8 for a string or an array.   clobbers ecx, edx
object_size:
    mov edx, [row]
    mov ecx, [arg]
    mov eax, [edx + SA_ARGS + ecx * 8]
    and eax, ARG_KIND_MASK
    cmp eax, ARG_INSTRUCT
    je .struct
    cmp eax, ARG_OUTSTRUCT
    je .struct
    cmp eax, ARG_INBUF
    je .buffer
    cmp eax, ARG_OUTBUF
    je .buffer
    mov eax, 8
    ret
.struct:
    mov eax, [edx + SA_ARGS + ecx * 8 + 4]
    ret
.buffer:
    mov eax, BUF_LEN
    ret

; unsigned straddle_offset(void): how far before a page end the object starts: min(4, size / 2),
; so that it always crosses the end, by most of it.   clobbers ecx, edx
straddle_offset:
    call object_size
    shr eax, 1
    cmp eax, 4
    jbe .done
    mov eax, 4
.done:
    ret

; unsigned recipe(int j): a valid value for argument j of [row].   clobbers ecx, edx
recipe:
    mov edx, [row]
    mov ecx, [esp + 4]
    mov eax, [edx + SA_ARGS + ecx * 8]
    mov edx, [edx + SA_ARGS + ecx * 8 + 4]     ; the detail
    and eax, ARG_KIND_MASK
    cmp eax, ARG_FD
    je .fd
    cmp eax, ARG_UINT
    je .uint
    cmp eax, ARG_PID
    je .pid
    cmp eax, ARG_SIGNAL
    je .signal
    cmp eax, ARG_MODE
    je .mode
    cmp eax, ARG_IOCTLCMD
    je .detail
    cmp eax, ARG_STRING
    je .string
    cmp eax, ARG_STRARRAY
    je .strarray
    cmp eax, ARG_INBUF
    je .inbuf
    cmp eax, ARG_INSTRUCT
    je .instruct
    cmp eax, ARG_OUTBUF
    je .out
    cmp eax, ARG_OUTSTRUCT
    je .out
    xor eax, eax                ; int, flags, whence, options, clock ids, plain pointers: 0
    ret
.fd:
    mov eax, [fd_file]
    cmp edx, FD_DIRECTORY
    jne .not_dir
    mov eax, [fd_dir]
.not_dir:
    cmp edx, FD_TERMINAL
    jne .fd_done
    xor eax, eax                ; standard input: the console
.fd_done:
    ret
.uint:
    mov eax, BUF_LEN
    test edx, edx
    jz .uint_done
    mov eax, edx
.uint_done:
    ret
.pid:
    mov eax, [zombie]
    ret
.signal:
    mov eax, SIGUSR1
    ret
.mode:
    mov eax, 0o755
    ret
.detail:
    mov eax, edx
    ret
.string:
    mov eax, scratch
    ret
.strarray:
    mov eax, valid_argv
    ret
.inbuf:
    mov eax, pattern
    ret
.instruct:
    mov eax, instruct_recipe
    ret
.out:
    mov eax, out_area
    ret

; bool has_pid(void): whether [row] takes a process id (it then gets a zombie child).   clobbers ecx, edx
has_pid:
    mov edx, [row]
    xor ecx, ecx
.next:
    cmp ecx, [edx + SA_NARGS]
    jae .no
    mov eax, [edx + SA_ARGS + ecx * 8]
    and eax, ARG_KIND_MASK
    cmp eax, ARG_PID
    je .yes
    inc ecx
    jmp .next
.yes:
    mov eax, 1
    ret
.no:
    xor eax, eax
    ret

; void make_zombie(void): when [row] takes a pid, [zombie] = a child that has exited, unreaped.
make_zombie:
    call has_pid
    test eax, eax
    jz .done
    ccall pipe, fds
    call fork
    test eax, eax
    jnz .parent
    ccall _exit, 0              ; exiting closes the pipe's write end
.parent:
    mov [zombie], eax
    ccall close, [fds + 4]
    ccall read, [fds], tmp, 1   ; end of file once the child is gone
    ccall close, [fds]
.done:
    ret

; int call_row(unsigned addr): makes [row]'s call with `addr` for argument [arg] and the recipes
; for the others: 0 when it succeeded, else its errno.
call_row:
    push ebx
    xor ebx, ebx
.fill:
    mov eax, [row]
    xor edx, edx
    cmp ebx, [eax + SA_NARGS]
    jae .store
    mov edx, [esp + 8]
    cmp ebx, [arg]
    je .store
    push ebx
    call recipe
    add esp, 4
    mov edx, eax
.store:
    mov [args + ebx * 4], edx
    inc ebx
    cmp ebx, 6
    jb .fill
    mov eax, [row]
    ccall syscall, [eax + SA_NR], [args], [args + 4], [args + 8], [args + 12], [args + 16], [args + 20]
    cmp eax, -1
    jne .ok
    mov eax, [errno]
    pop ebx
    ret
.ok:
    xor eax, eax
    pop ebx
    ret

; void prepare(unsigned target, unsigned mapped): fills the pages, places the object under test
; at `target` unless it is 0 (at most `mapped` bytes of it: what lies before an unmapped page),
; keeps a copy.
prepare:
    push ebx
    push esi
    mov ebx, [esp + 12]
    mov esi, [esp + 16]
    ccall memset, [base], FILL, 2 * PAGE
    ccall memset, out_area, FILL, PAGE
    test ebx, ebx
    jz .save
    call tested_kind
    and eax, ARG_KIND_MASK
    cmp eax, ARG_STRING
    je .string
    cmp eax, ARG_STRARRAY
    je .array
    cmp eax, ARG_INSTRUCT
    jne .save
    call object_size            ; a structure: as much of the recipe as is mapped
    cmp eax, esi
    jbe .copy
    mov eax, esi
.copy:
    ccall memcpy, ebx, instruct_recipe, eax
    jmp .save
.string:
    cmp esi, PAGE               ; a whole path only where it fits; else the fill, with no NUL
    jb .save
    ccall strcpy, ebx, scratch
    jmp .save
.array:
    mov dword [ebx], arg0       ; argv[0], then NULL where it is mapped
    cmp esi, 8
    jb .save
    mov dword [ebx + 4], 0
.save:
    ccall memcpy, saved, [base], 2 * PAGE
    pop esi
    pop ebx
    ret

; void check_bad(unsigned addr): the call must answer EFAULT and change nothing.
check_bad:
    push ebx
    mov ebx, [esp + 8]
    call restore_files
    call straddle_offset
    push eax                    ; mapped: what lies before the page end
    mov eax, [page_end]
    sub eax, [esp]
    push eax
    call prepare
    add esp, 8
    mov dword [zombie], 0
    call make_zombie
    ccall fflush, [stdout]
    push ebx
    call call_row
    add esp, 4
    cmp eax, EFAULT
    je .unchanged
    mov ecx, [row]
    mov edx, [arg]
    inc edx
    ccall printf, errno_fmt, [ecx + SA_NAME], edx, [case_name], eax
    inc dword [failures]
.unchanged:
    call verify_unchanged
    pop ebx
    ret

; void verify_unchanged(void): reports every side effect the failed call left.
verify_unchanged:
    push ebx
    ccall memcmp, saved, [base], 2 * PAGE
    test eax, eax
    jz .other
    ccall fail, r_memory
.other:
    ccall all_bytes, out_area, PAGE, FILL
    test eax, eax
    jnz .ro
    ccall fail, r_other
.ro:
    ccall all_bytes, ro_page, PAGE, RO_FILL
    test eax, eax
    jnz .fd
    ccall fail, r_ro
.fd:
    ccall dup, 0
    mov ebx, eax
    ccall close, eax
    cmp ebx, [lowest_fd]
    je .offset
    ccall fail, r_fd
.offset:
    ccall lseek, [fd_file], 0, SEEK_CUR
    test eax, eax
    jz .file
    ccall fail, r_offset
.file:
    ccall lseek, [fd_file], 0, SEEK_SET
    ccall read, [fd_file], tmp, BUF_LEN + 1
    cmp eax, BUF_LEN
    jne .file_changed
    ccall memcmp, tmp, pattern, BUF_LEN
    test eax, eax
    jz .dir
.file_changed:
    ccall fail, r_file
.dir:
    ccall lseek, [fd_dir], 0, SEEK_CUR
    test eax, eax
    jz .action
    ccall fail, r_dir
.action:
    ccall rt_sigaction, SIGUSR1, 0, tmp, SIGSET_SIZE
    cmp dword [tmp], 0          ; sa_handler: still SIG_DFL
    je .mask
    ccall fail, r_action
.mask:
    ccall rt_sigprocmask, SIG_BLOCK, 0, tmp, SIGSET_SIZE
    mov eax, [tmp]
    or eax, [tmp + 4]
    jz .cwd
    ccall fail, r_mask
.cwd:
    ccall getcwd, tmp, 256
    ccall strcmp, tmp, tmp_dir
    test eax, eax
    jz .scratch
    ccall fail, r_cwd
.scratch:
    ccall stat, scratch, tmp
    test eax, eax
    jz .zombie
    ccall fail, r_scratch
.zombie:
    cmp dword [zombie], 0
    je .done
    ccall waitpid, [zombie], 0, WNOHANG
    cmp eax, [zombie]
    je .done
    ccall fail, r_reaped
.done:
    pop ebx
    ret

; void check_legal(unsigned addr): the call with its object at `addr` (NULL, or straddling two
; mapped pages), in a child, must answer what it answers with the object in one page, and not EFAULT.
check_legal:
    push ebx
    push esi
    ccall prepare, 0, 0         ; the answer in one page: the argument's own recipe
    push dword [arg]
    call recipe
    add esp, 4
    ccall run_child, eax
    mov esi, eax
    mov ebx, [esp + 12]
    ccall prepare, ebx, PAGE
    ccall run_child, ebx
    cmp eax, EFAULT
    je .wrong
    cmp eax, esi
    je .done
.wrong:
    mov ecx, [row]
    mov edx, [arg]
    inc edx
    ccall printf, child_fmt, [ecx + SA_NAME], edx, [case_name], eax, esi
    inc dword [failures]
.done:
    pop esi
    pop ebx
    ret

; int run_child(unsigned addr): call_row(addr) in a child: the child's errno (0: success),
; or KILLED + the signal that ended it. The files are restored before and after.
run_child:
    push ebx
    call restore_files
    ccall fflush, [stdout]
    call fork
    test eax, eax
    jnz .parent
    mov dword [zombie], 0
    call make_zombie
    push dword [esp + 8]
    call call_row
    ccall _exit, eax
.parent:
    ccall waitpid, eax, tmp, 0
    mov ebx, [tmp]
    call restore_files
    mov eax, ebx
    and eax, 0x7f
    jz .exited
    add eax, KILLED
    pop ebx
    ret
.exited:
    movzx eax, bh
    pop ebx
    ret

; void fail(const char *reason): reports a side effect of the case under test.
fail:
    mov edx, [esp + 4]
    mov eax, [row]
    mov ecx, [arg]
    inc ecx
    ccall printf, fail_fmt, [eax + SA_NAME], ecx, [case_name], edx
    inc dword [failures]
    ret

; bool all_bytes(const void *p, size_t n, int byte): whether every byte of p[0..n) is `byte`.
all_bytes:
    push edi
    mov edi, [esp + 8]
    mov ecx, [esp + 12]
    mov eax, [esp + 16]
    repe scasb
    sete al
    movzx eax, al
    pop edi
    ret
