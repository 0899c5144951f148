/**
 * Collapses concurrent identical lookups into one: while a load for a key is under way, every other
 * caller for that key awaits the same promise instead of hitting the backend again.
 */
export class SingleFlight<Key, Value> {
  private readonly inFlight = new Map<Key, Promise<Value>>();

  run(key: Key, load: () => Promise<Value>): Promise<Value> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
