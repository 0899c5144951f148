import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface StoredAgent {
  agentId: string;
  agentToken: string;
}

/** The agent token on disk (mode 0600): issued once at registration, reused on every restart. */
export class AgentTokenStore {
  constructor(private readonly path: string) {}

  async load(): Promise<StoredAgent | null> {
    try {
      const stored = JSON.parse(await readFile(this.path, 'utf8')) as Partial<StoredAgent>;
      return typeof stored.agentId === 'string' && typeof stored.agentToken === 'string'
        ? { agentId: stored.agentId, agentToken: stored.agentToken }
        : null;
    } catch {
      return null;
    }
  }

  async save(agent: StoredAgent): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, JSON.stringify(agent), { mode: 0o600 });
    await chmod(this.path, 0o600); // writeFile's mode applies only when it creates the file
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
