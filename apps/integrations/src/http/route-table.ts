/**
 * Every route the app serves, as method and path pattern, so a request for a known path with an
 * unknown method can be answered 405 with `Allow` (Fastify's router alone answers 404).
 */
export class RouteTable {
  private readonly routes: Array<{ method: string; pattern: RegExp }> = [];

  add(methods: string | string[], url: string): void {
    const pattern = new RegExp(`^${url.split('/').map(segmentPattern).join('/')}/?$`);
    for (const method of Array.isArray(methods) ? methods : [methods]) this.routes.push({ method, pattern });
  }

  /** The methods served at `path`, sorted; empty when no route has that path. */
  methodsFor(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) methods.add(route.method);
    return [...methods].sort();
  }
}

function segmentPattern(segment: string): string {
  if (segment === '*') return '.*';
  if (segment.startsWith(':')) return '[^/]+';
  return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
