import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { ActionError } from './action-error.js';

/**
 * `env:` refs may only name variables shaped like provider keys: a ref must not be a way to send
 * the gateway's own secrets (CREDENTIAL_ENCRYPTION_KEY, JWT_SECRET, DATABASE_URL…) upstream as a "key".
 */
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,100}_API_KEY(_[A-Z0-9]{1,32})?$/;
const MAX_SECRET_FILE_BYTES = 4096;

/**
 * Resolves a rotateKey `secretRef` inside the service: `env:OPENAI_API_KEY_NEXT` (a variable set on
 * the pod), or `file:/run/secrets/openai-next` (a mounted Kubernetes Secret, inside one of
 * OPSTAGE_SECRET_DIRS). Opstage stores command payloads verbatim, so the key itself never travels
 * in one; errors name the ref, never a value.
 */
export class SecretRefResolver {
  constructor(
    private readonly secretDirs: readonly string[],
    private readonly environment: NodeJS.ProcessEnv = process.env,
  ) {}

  async resolve(ref: string): Promise<string> {
    if (ref.startsWith('env:')) {
      const name = ref.slice(4);
      if (!ENV_NAME.test(name))
        throw new ActionError(
          'INVALID_PAYLOAD',
          'secretRef env: must name a variable like OPENAI_API_KEY_NEXT (…_API_KEY or …_API_KEY_<SUFFIX>)',
        );
      const value = this.environment[name]?.trim();
      if (!value) throw new ActionError('SECRET_REF_UNRESOLVED', `secretRef ${ref} names a variable that is not set on this service`);
      return value;
    }
    if (ref.startsWith('file:')) {
      const path = await this.allowedPath(ref.slice(5));
      let content: string;
      try {
        const info = await stat(path);
        if (!info.isFile() || info.size > MAX_SECRET_FILE_BYTES) throw new Error('not a small regular file');
        content = (await readFile(path, 'utf8')).trim();
      } catch {
        throw new ActionError('SECRET_REF_UNRESOLVED', `secretRef ${ref} is not a readable secret file on this service`);
      }
      if (!content) throw new ActionError('SECRET_REF_UNRESOLVED', `secretRef ${ref} is empty`);
      return content;
    }
    throw new ActionError('INVALID_PAYLOAD', 'secretRef must be env:NAME or file:/path');
  }

  /** The refs an operator may use here, names only: key-shaped variables that are set, and files in the secret directories. */
  async available(): Promise<string[]> {
    const refs = Object.keys(this.environment)
      .filter((name) => ENV_NAME.test(name) && this.environment[name])
      .sort()
      .map((name) => `env:${name}`);
    for (const dir of this.secretDirs) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names
        .filter((entry) => !entry.startsWith('.'))
        .sort()
        .slice(0, 50))
        refs.push(`file:${join(dir, name)}`);
    }
    return refs;
  }

  /** An absolute path that stays inside a secret directory once links are followed. */
  private async allowedPath(raw: string): Promise<string> {
    const outside = new ActionError('INVALID_PAYLOAD', `secretRef file: must be an absolute path inside ${this.secretDirs.join(' or ')}`);
    if (!isAbsolute(raw) || normalize(raw) !== raw) throw outside;
    const real = await realpath(raw).catch(() => raw);
    const inside = async (dir: string) => {
      const realDir = await realpath(dir).catch(() => dir);
      return real.startsWith(realDir.endsWith(sep) ? realDir : realDir + sep);
    };
    for (const dir of this.secretDirs) if (raw.startsWith(dir.endsWith(sep) ? dir : dir + sep) && (await inside(dir))) return real;
    throw outside;
  }
}
