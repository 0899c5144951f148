import { describe, expect, it } from '@jest/globals';
import { RouteTable } from './route-table.js';

describe('RouteTable', () => {
  const routes = new RouteTable();
  routes.add('POST', '/api/integrations/execute');
  routes.add(['PUT', 'DELETE'], '/api/integrations/credentials/:provider');
  routes.add(['GET', 'HEAD'], '/docs/*');

  it('names the methods of a known path', () => {
    expect(routes.methodsFor('/api/integrations/execute')).toEqual(['POST']);
    expect(routes.methodsFor('/api/integrations/credentials/openai')).toEqual(['DELETE', 'PUT']);
    expect(routes.methodsFor('/docs/swagger-ui.css')).toEqual(['GET', 'HEAD']);
  });

  it('knows nothing of other paths', () => {
    expect(routes.methodsFor('/api/integrations/nope')).toEqual([]);
    expect(routes.methodsFor('/api/integrations/credentials/a/b')).toEqual([]);
    expect(routes.methodsFor('/api/integrations/executeX')).toEqual([]);
  });
});
