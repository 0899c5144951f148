// What an idle core does on this machine, and (BENCH_IDLE=poll) a way to keep idle cores polling
// for the run. On a virtual machine whose idle vCPUs halt (the `haltpoll` cpuidle driver with
// guest_halt_poll_ns 0, or no cpuidle driver at all, so every idle moment is a halt and an exit to
// the host), a server that waits between calls resumes each one on a core the host has meanwhile
// used: at one connection the gateway's own CPU per call measured several times its figure under
// load (bench/README.md). Holding /dev/cpu_dma_latency at 0 (the kernel's PM QoS interface, as
// `tuned`'s latency profiles do) makes the idle loop poll instead, where a cpuidle driver chooses
// the idle state; without one the kernel halts whatever the request says, so the request is refused
// there. It applies to every server in the run alike, and is recorded with the results, so runs
// made either way are never compared unknowingly.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

function read(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The cpuidle driver (`none`: there is none, and an idle core halts) and, under `haltpoll`, how
 * long an idle vCPU polls before it halts (ns; null under any other driver, where the haltpoll
 * module's parameter, if loaded, does nothing).
 */
export function idlePolicy() {
  const driver = read('/sys/devices/system/cpu/cpuidle/current_driver');
  const haltPollNs = driver === 'haltpoll' ? read('/sys/module/haltpoll/parameters/guest_halt_poll_ns') : null;
  return { driver, haltPollNs: haltPollNs === null ? null : Number(haltPollNs) };
}

/**
 * Holds the PM QoS CPU latency at 0 (idle cores poll) until the returned function is called or the
 * process exits (the kernel drops the request when the file is closed). Throws when it cannot be
 * held (no cpuidle driver, not root, no such device): a run asked to poll must not quietly measure
 * something else.
 */
export function holdIdlePolling() {
  const { driver } = idlePolicy();
  const bootsPolling = /(^|\s)idle=poll(\s|$)/.test(read('/proc/cmdline') ?? ''); // idle cores poll already
  if (!bootsPolling && (driver === null || driver === 'none')) {
    throw new Error(
      `BENCH_IDLE=poll cannot be honoured: this machine has no cpuidle driver (current_driver: ${driver ?? 'absent'}): an idle core halts whatever /dev/cpu_dma_latency asks`,
    );
  }
  let fd;
  try {
    fd = openSync('/dev/cpu_dma_latency', 'w');
    writeSync(fd, Buffer.from(new Int32Array([0]).buffer));
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    throw new Error(`BENCH_IDLE=poll needs to write /dev/cpu_dma_latency (root): ${error.message}`);
  }
  return () => closeSync(fd);
}
