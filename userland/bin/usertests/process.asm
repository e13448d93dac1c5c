; usertests: processes and files through the system calls: errno, fork and wait, pipes,
; exec, brk, dup2 and syscall().
%include "ut.inc"

PIPE_BYTES  equ 20000           ; less than a pipe holds, so the writer never blocks forever

section .rodata
missing:    db "/no/such/program", 0

section .bss
wait_status: resd 1
fds:        resd 2
chunk:      resb 256

section .text

TEST_BEGIN test_errno
    mov dword [errno], 0
    ccall open, missing, O_RDONLY, 0
    EXPECT_EQ eax, -1, "open of a missing file did not return -1"
    EXPECT_EQ dword [errno], ENOENT, "open of a missing file: errno is not ENOENT"
    call getpid
    EXPECT_EQ dword [errno], ENOENT, "a successful call changed errno"
    ccall close, 1000
    EXPECT_EQ dword [errno], EBADF, "close of a bad descriptor: errno is not EBADF"
    ccall syscall, 9999
    EXPECT_EQ eax, -1, "syscall(9999) did not return -1"
    EXPECT_EQ dword [errno], ENOSYS, "syscall(9999): errno is not ENOSYS"
TEST_END

TEST_BEGIN test_fork_wait
    ccall fflush, 0
    call fork
    test eax, eax
    FAIL_UNLESS "fork failed", ns
    jnz .parent
    ccall _exit, 42
.parent:
    mov ebx, eax
    ccall waitpid, ebx, wait_status, 0
    EXPECT_EQ eax, ebx, "waitpid returned another pid"
    EXPECT_EQ dword [wait_status], 42 << 8, "the wait status of exit(42) is not 42 << 8"
    ccall waitpid, -1, wait_status, 0
    EXPECT_EQ eax, -1, "waitpid with no children did not fail"
    EXPECT_EQ dword [errno], ECHILD, "waitpid with no children: errno is not ECHILD"
TEST_END

TEST_BEGIN test_pipe
    ccall pipe, fds
    EXPECT_EQ eax, 0, "pipe failed"
    ccall fflush, 0
    call fork
    test eax, eax
    FAIL_UNLESS "fork failed", ns
    jnz .parent
    ; the child writes PIPE_BYTES bytes, byte i being i mod 251
    ccall close, [fds]
    xor ebx, ebx
.child_chunk:
    xor ecx, ecx
.child_byte:
    lea eax, [ebx + ecx]
    xor edx, edx
    push ecx
    mov ecx, 251
    div ecx
    pop ecx
    mov [chunk + ecx], dl
    inc ecx
    cmp ecx, 200
    jb .child_byte
    ccall write, [fds + 4], chunk, 200
    cmp eax, 200
    jne .child_failed
    add ebx, 200
    cmp ebx, PIPE_BYTES
    jb .child_chunk
    ccall _exit, 0
.child_failed:
    ccall _exit, 1
.parent:
    mov esi, eax
    ccall close, [fds + 4]
    xor ebx, ebx                ; bytes read
.read:
    ccall read, [fds], chunk, 256
    test eax, eax
    jz .eof
    FAIL_UNLESS "read from the pipe failed", g
    mov edi, eax
    xor ecx, ecx
.check:
    lea eax, [ebx + ecx]
    xor edx, edx
    push ecx
    mov ecx, 251
    div ecx
    pop ecx
    cmp [chunk + ecx], dl
    FAIL_UNLESS "the pipe delivered a wrong byte", e
    inc ecx
    cmp ecx, edi
    jb .check
    add ebx, edi
    jmp .read
.eof:
    EXPECT_EQ ebx, PIPE_BYTES, "the pipe delivered the wrong number of bytes"
    ccall close, [fds]
    ccall waitpid, esi, wait_status, 0
    EXPECT_EQ dword [wait_status], 0, "the writer failed"
TEST_END

TEST_BEGIN test_exec_missing
    ccall fflush, 0
    call fork
    test eax, eax
    FAIL_UNLESS "fork failed", ns
    jnz .parent
    push 0
    push missing
    mov eax, esp
    ccall execve, missing, eax, [environ]
    ccall _exit, [errno]        ; execve only returns on failure
.parent:
    ccall waitpid, eax, wait_status, 0
    EXPECT_EQ dword [wait_status], ENOENT << 8, "execve of a missing program: the child's errno was not ENOENT"
TEST_END

TEST_BEGIN test_brk
    ccall brk, 0
    mov ebx, eax
    test eax, eax
    FAIL_UNLESS "brk(0) gave 0", nz
    lea esi, [ebx + 8192]
    ccall brk, esi
    EXPECT_EQ eax, esi, "brk did not grow the heap"
    mov dword [esi - 4], 0x12345678 ; the new memory is there and writable
    EXPECT_EQ dword [esi - 4], 0x12345678, "the grown heap does not hold a value"
    ccall brk, ebx
    EXPECT_EQ eax, ebx, "brk did not shrink the heap back"
TEST_END

TEST_BEGIN test_dup2
    ccall pipe, fds
    EXPECT_EQ eax, 0, "pipe failed"
    ccall dup2, [fds + 4], 20
    EXPECT_EQ eax, 20, "dup2 did not return the new descriptor"
    mov dword [chunk], 'dup!'
    ccall write, 20, chunk, 4
    EXPECT_EQ eax, 4, "write to the duplicate failed"
    ccall close, 20
    ccall close, [fds + 4]
    mov dword [chunk], 0
    ccall read, [fds], chunk, 256
    EXPECT_EQ eax, 4, "the duplicate did not write into the pipe"
    EXPECT_EQ dword [chunk], 'dup!', "the pipe delivered something else"
    ccall read, [fds], chunk, 256
    EXPECT_EQ eax, 0, "no end of file after both write ends closed"
    ccall close, [fds]
TEST_END

TEST_BEGIN test_syscall
    call getpid
    mov ebx, eax
    ccall syscall, __NR_getpid
    EXPECT_EQ eax, ebx, "syscall(__NR_getpid) differs from getpid()"
    call getppid
    test eax, eax
    FAIL_UNLESS "getppid gave no parent", g
TEST_END

section .bss
caught:     resd 1              ; how many times on_signal ran
caught_sig: resd 1

section .text

; void on_signal(int sig): the handler of test_signals.
on_signal:
    inc dword [caught]
    mov eax, [esp + 4]
    mov [caught_sig], eax
    ret

TEST_BEGIN test_signals
    ccall signal, SIGUSR1, on_signal
    EXPECT_EQ eax, 0, "the first signal() did not return SIG_DFL"
    call getpid
    ccall kill, eax, SIGUSR1
    EXPECT_EQ eax, 0, "kill of itself failed"
    EXPECT_EQ dword [caught], 1, "the handler did not run once"
    EXPECT_EQ dword [caught_sig], SIGUSR1, "the handler got another signal number"
    ccall signal, SIGUSR1, 1
    EXPECT_EQ eax, on_signal, "signal() did not return the previous handler"
    call getpid
    ccall kill, eax, SIGUSR1
    EXPECT_EQ dword [caught], 1, "an ignored signal ran the handler"
    ccall signal, 99, 0
    EXPECT_EQ eax, -1, "signal(99) did not fail"
    EXPECT_EQ dword [errno], EINVAL, "signal(99): errno is not EINVAL"
    ccall signal, SIGUSR1, 0
TEST_END
