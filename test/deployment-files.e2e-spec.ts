import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { configVariableNames, loadConfig } from '@app/config';
import { startTestApp, type TestApp } from './support/test-app.js';

// No container engine or cluster runs here, so these files are checked against the service itself:
// every variable they set is one it reads, the configuration they make passes its boot validation,
// and every port and path they point at is where the service answers.

const root = join(import.meta.dirname, '..');
const readYaml = (path: string) => parse(readFileSync(join(root, path), 'utf8'));
const known = new Set(configVariableNames());

/** Stand-ins for the example Secret's CHANGE_ME placeholders, as an operator would fill them in. */
const FILLED_IN: Record<string, string> = {
  DATABASE_URL: 'postgres://integrations:s3cret@postgres:5432/integrations',
  CREDENTIAL_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  OPSTAGE_REGISTRATION_TOKEN: 'opstage_reg_0123456789abcdef',
};

function fillIn(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [name, value.includes('CHANGE_ME') ? FILLED_IN[name] : value]),
  );
}

/** docker compose's `${NAME:-default}`, with nothing exported: the default. */
function composeDefaults(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]));
}

describe('docker-compose.yml', () => {
  const compose = readYaml('docker-compose.yml');
  const service = compose.services.integrations;
  const environment = composeDefaults(service.environment);

  it('sets only variables the service reads, and they pass its boot validation', () => {
    expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
    expect(() => loadConfig(environment)).not.toThrow();
  });

  it('publishes the port the service listens on, and waits for PostgreSQL to be healthy', () => {
    const config = loadConfig(environment);
    expect(service.ports).toContain(`${config.server.port}:${config.server.port}`);
    expect(service.healthcheck.test.join(' ')).toContain(`127.0.0.1:${config.server.port}/health/ready`);
    expect(service.depends_on.postgres.condition).toBe('service_healthy');
    expect(config.database).toMatchObject({ kind: 'postgres' });
  });
});

describe('deploy/kubernetes', () => {
  const configMap = readYaml('deploy/kubernetes/configmap.yaml');
  const secret = readYaml('deploy/kubernetes/secret.example.yaml');
  const deployment = readYaml('deploy/kubernetes/deployment.yaml');
  const service = readYaml('deploy/kubernetes/service.yaml');
  const hpa = readYaml('deploy/kubernetes/hpa.yaml');
  const container = deployment.spec.template.spec.containers[0];
  const environment = fillIn({ ...configMap.data, ...secret.stringData });

  it('has one document per file, each of the kind its name says', () => {
    for (const [file, kind] of [
      ['configmap', 'ConfigMap'],
      ['secret.example', 'Secret'],
      ['deployment', 'Deployment'],
      ['service', 'Service'],
      ['hpa', 'HorizontalPodAutoscaler'],
    ]) {
      const documents = parseAllDocuments(readFileSync(join(root, `deploy/kubernetes/${file}.yaml`), 'utf8'));
      expect(documents.map((document) => document.toJS().kind)).toEqual([kind]);
    }
  });

  it('sets only variables the service reads, and ConfigMap plus Secret pass its boot validation', () => {
    expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
    expect(() => loadConfig(environment)).not.toThrow();
  });

  it('wires the Deployment to that ConfigMap and Secret, its port, and the Service and autoscaler to the Deployment', () => {
    const config = loadConfig(environment);
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }, { secretRef: { name: secret.metadata.name } }]);
    expect(container.ports).toEqual([{ name: 'http', containerPort: config.server.port }]);
    expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(config.server.port));
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
  });

  describe('the paths it probes and scrapes', () => {
    let gateway: TestApp;

    beforeAll(async () => {
      gateway = await startTestApp();
    });

    afterAll(async () => {
      await gateway.close();
    });

    it('are answered 200 by the service, without credentials', async () => {
      const paths = [
        container.livenessProbe.httpGet.path,
        container.readinessProbe.httpGet.path,
        container.startupProbe.httpGet.path,
        deployment.spec.template.metadata.annotations['prometheus.io/path'],
      ];
      expect(paths).toEqual(['/health/live', '/health/ready', '/health/live', '/metrics']);
      for (const path of new Set(paths)) await request(gateway.server).get(path).expect(200);
    });
  });
});

describe('Dockerfile', () => {
  it('starts the file that the build writes and npm start runs', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const command = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]) as string[];
    expect(command).toEqual(['node', '--max-semi-space-size=32', '--heap-growing-percent=100', 'dist/apps/integrations/src/main.js']);
    expect(packageJson.scripts.start).toBe(command.join(' '));
  });

  it('builds and runs on the Node.js release line in .node-version, which CI tests on and the bench measures', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const line = readFileSync(join(root, '.node-version'), 'utf8').trim().split('.')[0];
    const images = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(images).toEqual([`node:${line}-trixie-slim`, `node:${line}-trixie-slim`]);
    expect(packageJson.engines.node).toBe(`>=${line}`);
  });
});
