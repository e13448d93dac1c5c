# The two commands a person needs are `make run` and `make test`; both install the node
# dependencies on a fresh clone.

DEPS := node_modules/.package-lock.json
LAUNCH := tools/bin/launch

.PHONY: run test typecheck unit build bench fuzz clean

$(DEPS): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

run: $(DEPS)
	@tools/run $(if $(ABI),--abi $(ABI)) $(if $(CPU),--cpu $(CPU)) $(if $(ARCH),--arch $(ARCH))

test: $(DEPS) typecheck unit

typecheck: $(DEPS)
	npx tsc --noEmit -p .

unit: $(DEPS)
	npx vitest run

build: $(DEPS)
	@$(LAUNCH) tools/build/main.ts

bench: $(DEPS)
	@$(LAUNCH) tools/bench/main.ts

fuzz: $(DEPS)
	FUZZ_LONG=1 npx vitest run test/fuzz test/kernel/syscall-fuzz.test.ts test/boot-kernel/fuzz.test.ts

clean:
	rm -rf build bench/results
