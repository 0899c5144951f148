// What `npm start` runs (package.json), as node arguments: the benchmarks start the gateway with the
// same V8 flags users get, not a bare `node main.js`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function startArguments(root) {
  const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;
  const [command, ...args] = start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm start is not a plain node command: ${start}`);
  return args.map((arg) => (arg.startsWith('-') ? arg : join(root, arg)));
}
