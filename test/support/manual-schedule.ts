import type { Schedule } from '@app/common';

/** Tasks scheduled through it run only when the test says their time has passed. */
export class ManualSchedule {
  private readonly waiting = new Set<{ task: () => void; ms: number }>();

  readonly schedule: Schedule = (task, ms) => {
    const entry = { task, ms };
    this.waiting.add(entry);
    return { cancel: () => this.waiting.delete(entry) };
  };

  /** How long each task still waiting asked to wait. */
  get waits(): number[] {
    return [...this.waiting].map(({ ms }) => ms);
  }

  /** Runs every task still waiting. */
  runAll(): void {
    const due = [...this.waiting];
    this.waiting.clear();
    for (const { task } of due) task();
  }
}
