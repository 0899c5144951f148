import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { name: string; version: string } | undefined;

/** The service's name and version from the nearest package.json above this file (src or dist); read once. */
export function readServiceVersion(): { name: string; version: string } {
  cached ??= findServiceVersion();
  return cached;
}

function findServiceVersion(): { name: string; version: string } {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { name: string; version: string };
      return { name: manifest.name, version: manifest.version };
    } catch {
      directory = dirname(directory);
    }
  }
  return { name: 'integrations-service', version: 'unknown' };
}
