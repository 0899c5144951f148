// `node bench/host-stalls.mjs [milliseconds]`: how much of an idle core's time the host takes away.
// A busy loop reads the clock as fast as it can; a gap of 0.5 ms or more between two readings is
// time this process did not run, on a core nothing else of ours was using (on a virtual machine,
// the hypervisor running someone else). The bench prints it under its table, as the background of
// the p99 at one connection: a call in flight when such a pause strikes takes that much longer.
// Prints one JSON line.
const durationMs = Math.min(10_000, Math.max(100, Number(process.argv[2] ?? 1500)));
const STALL_NS = 500_000n;

const started = process.hrtime.bigint();
const deadline = started + BigInt(durationMs) * 1_000_000n;
let previous = started;
let stalls = 0;
let stalledNs = 0n;
let longestNs = 0n;
for (let now = started; now < deadline; now = process.hrtime.bigint()) {
  const gap = now - previous;
  if (gap >= STALL_NS) {
    stalls++;
    stalledNs += gap;
    if (gap > longestNs) longestNs = gap;
  }
  previous = now;
}
const elapsedNs = Number(previous - started);
console.log(
  JSON.stringify({
    seconds: Math.round(elapsedNs / 1e6) / 1000,
    stalls,
    stalledPercent: Math.round((Number(stalledNs) / elapsedNs) * 1000) / 10,
    longestMs: Math.round(Number(longestNs) / 1e4) / 100,
  }),
);
