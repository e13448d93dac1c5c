// The `make run` front end. Until the PC and the kernel exist there is nothing to boot,
// so it says so and exits successfully.
process.stdout.write('nothing to boot yet: the emulated PC and the kernel are not built yet (see README.md)\n');
