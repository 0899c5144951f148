// What an idle core does on this machine, and (BENCH_IDLE=poll) a way to keep idle cores polling
// for the run. On a virtual machine whose idle vCPUs halt (here: the `haltpoll` cpuidle driver with
// guest_halt_poll_ns 0, so every idle moment is a halt and an exit to the host), a server that
// waits between calls resumes each one on a core the host has meanwhile used: at one connection the
// gateway's own CPU per call measured several times its figure under load (bench/README.md). Holding
// /dev/cpu_dma_latency at 0 (the kernel's PM QoS interface, as `tuned`'s latency profiles do) makes
// the idle loop poll instead. It applies to every server in the run alike, and is recorded with the
// results, so runs made either way are never compared unknowingly.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

function read(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The cpuidle driver and, under `haltpoll`, how long an idle vCPU polls before it halts (ns). */
export function idlePolicy() {
  const haltPollNs = read('/sys/module/haltpoll/parameters/guest_halt_poll_ns');
  return {
    driver: read('/sys/devices/system/cpu/cpuidle/current_driver'),
    haltPollNs: haltPollNs === null ? null : Number(haltPollNs),
  };
}

/**
 * Holds the PM QoS CPU latency at 0 (idle cores poll) until the returned function is called or the
 * process exits (the kernel drops the request when the file is closed). Throws when it cannot be
 * held (not root, no such device): a run asked to poll must not quietly measure something else.
 */
export function holdIdlePolling() {
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
