// Runs a Multiboot guest on v86 (npm), the best-known x86 emulator in JavaScript, and times
// the guest's phases: each POST code written to port 0x80 starts one, a write to port 0xF4
// ends the run. Used by `make bench` to compare with our PC on the same guest binary.
import { createRequire } from 'node:module';
import { V86 } from 'v86';

/** What v86 measured for one phase of the guest. */
export interface PeerPhase {
  code: number;
  milliseconds: number;
  /** v86's own instruction counter over the phase (it updates lazily, so only sums are exact). */
  instructions: number;
}

/** The result of one v86 run: per-phase timings and the guest's results block. */
export interface PeerRun {
  phases: PeerPhase[];
  results: Uint32Array;
}

/** The parts of v86's internals the harness needs: its port registry and guest memory. */
interface V86Internals {
  v86: {
    cpu: {
      io: { register_write(port: number, device: null, handler: (value: number) => void): void };
      mem8: Uint8Array;
    };
  };
}

const require = createRequire(import.meta.url);

/** Boots `image` as a Multiboot kernel on v86 and resolves when the guest writes port 0xF4. */
export function runOnV86(
  image: Uint8Array,
  options: { jit: boolean; resultsAddress: number; resultCount: number; memoryBytes?: number },
): Promise<PeerRun> {
  const buffer = image.buffer.slice(image.byteOffset, image.byteOffset + image.byteLength) as ArrayBuffer;
  const emulator = new V86({
    wasm_path: require.resolve('v86/build/v86.wasm'),
    memory_size: options.memoryBytes ?? 64 * 1024 * 1024,
    multiboot: { buffer },
    autostart: false,
    disable_jit: !options.jit,
    log_level: 0,
  });
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      void emulator.destroy();
      reject(new Error('v86 did not finish the guest within 10 minutes'));
    }, 600_000);
    emulator.add_listener('emulator-loaded', () => {
      const cpu = (emulator as unknown as V86Internals).v86.cpu;
      const marks: { code: number; time: number; count: number }[] = [];
      const mark = (code: number): void => {
        const usage = process.cpuUsage();
        // Process CPU time, like our PC's figures: a busy host inflates wall time, not this.
        marks.push({ code, time: (usage.user + usage.system) / 1000, count: emulator.get_instruction_counter() });
      };
      cpu.io.register_write(0x80, null, mark);
      cpu.io.register_write(0xf4, null, () => {
        mark(-1);
        emulator.stop();
        clearTimeout(guard);
        const phases = marks.slice(0, -1).map((start, i) => ({
          code: start.code,
          milliseconds: marks[i + 1].time - start.time,
          instructions: (marks[i + 1].count - start.count) >>> 0,
        }));
        const view = new DataView(cpu.mem8.buffer, cpu.mem8.byteOffset);
        const results = new Uint32Array(options.resultCount);
        for (let i = 0; i < results.length; i++) results[i] = view.getUint32(options.resultsAddress + 4 * i, true);
        void emulator.destroy();
        resolve({ phases, results });
      });
      emulator.run();
    });
  });
}
