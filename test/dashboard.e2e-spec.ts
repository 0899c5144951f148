/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import request from 'supertest';
import { ExecutionLogWriter } from '@app/execution-log';
import { successfulChatRecord } from './support/execution-records.js';
import { FakeUpstream } from './support/fake-upstream.js';
import { openAiChatCompletion } from './support/openai-replies.js';
import { authAs, chatBody, startTestApp, tokenFor, uniqueId, type TestApp } from './support/test-app.js';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it), or CHROMIUM_PATH. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => path !== undefined && path !== '' && existsSync(path),
);
if (!CHROMIUM) {
  console.warn(
    'Chromium not found (/usr/bin/chromium or CHROMIUM_PATH): the dashboard browser test is skipped. Install it with `apt-get install chromium`.',
  );
}
const describeInBrowser = CHROMIUM ? describe : describe.skip;

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const API_KEY = 'sk-proj-dashboardSecretKey0123456789';
const SECRET_PROMPT = 'dashboard secret prompt 7d1e';
const HOUR = 3_600_000;

describeInBrowser('usage dashboard in headless Chromium', () => {
  let upstream: FakeUpstream;
  let gateway: TestApp;
  let url: string;
  let browser: Browser;
  let userDataDir: string;
  const orgA = uniqueId('org-a');
  const orgB = uniqueId('org-b');
  const [alice, bob, carol] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
  const seeded = { orgA: 0, bob: 0, carol: 0 };

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    gateway = await startTestApp({
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: API_KEY,
      RATE_LIMIT_USER_RPM: '600',
      BUDGET_ORG_MONTHLY_USD: '250',
    });
    url = await gateway.listen();

    // One real call through the gateway, with a key and a prompt that must never reach the page.
    upstream.reply(openAiChatCompletion());
    const secretCall = { ...chatBody, params: { messages: [{ role: 'user', content: SECRET_PROMPT }] } };
    await request(gateway.server)
      .post('/api/integrations/execute')
      .set(authAs(alice, { orgId: orgA, orgRole: 'admin' }))
      .send(secretCall)
      .expect(200);
    seeded.orgA++;

    const writer = gateway.app.get(ExecutionLogWriter);
    const now = Date.now();
    for (let index = 0; index < 240; index++) {
      const userId = [alice, bob, carol][index % 3];
      const orgId = userId === carol ? orgB : orgA;
      const failed = index % 9 === 4;
      const anthropic = index % 2 === 1;
      writer.record(
        successfulChatRecord({
          requestId: uniqueId('seeded'),
          userId,
          orgId,
          provider: anthropic ? 'anthropic' : 'openai',
          model: anthropic ? 'claude-3-5-haiku-latest' : 'gpt-4o-mini',
          durationMs: 80 + (index % 40) * 30,
          upstreamMs: 70 + (index % 40) * 30,
          promptTokens: failed ? null : 100 + index,
          completionTokens: failed ? null : 20,
          totalTokens: failed ? null : 120 + index,
          success: !failed,
          errorCode: failed ? (index % 2 === 0 ? 'RATE_LIMITED' : 'PROVIDER_TIMEOUT') : null,
          errorMessage: failed ? 'The provider did not answer in time' : null,
          createdAt: new Date(now - (index % 150) * HOUR - 60_000),
        }),
      );
      if (orgId === orgA) seeded.orgA++;
      if (userId === bob) seeded.bob++;
      if (userId === carol) seeded.carol++;
    }
    await gateway.flushExecutionLog();

    userDataDir = mkdtempSync(join(tmpdir(), 'dashboard-chromium-'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      userDataDir,
      // Without the background-networking switches Chromium keeps dialling out, which a closed network refuses.
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--lang=en-US',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await gateway?.close();
    await upstream?.stop();
  });

  /** A fresh page in the given time zone, signed in with `token`, once every panel has settled. */
  async function openAs(token: string, timeZone = 'UTC'): Promise<{ page: Page; bodies: string[] }> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1400 });
    await page.emulateTimezone(timeZone);
    const bodies: string[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/'))
        void response.text().then(
          (text) => bodies.push(text),
          () => undefined,
        );
    });
    await page.goto(`${url}/dashboard`, { waitUntil: 'load' });
    await page.waitForSelector('#login-form', { visible: true });
    await page.type('#token', token);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    return { page, bodies };
  }

  const text = (page: Page, selector: string) => page.$eval(selector, (element) => element.textContent?.trim() ?? '');
  const panelState = (page: Page, name: string) =>
    page.$eval(`[data-panel="${name}"]`, (element) => (element as HTMLElement).dataset.state);

  it("shows an organization admin every view with the organization's numbers, in the viewer's time zone", async () => {
    const { page, bodies } = await openAs(tokenFor(alice, { orgId: orgA, orgRole: 'admin' }), 'America/New_York');
    try {
      expect(await text(page, '#scope')).toBe(`Organization ${orgA}`);
      for (const name of ['totals', 'series', 'errors', 'latency', 'circuits', 'limits', 'failures']) {
        expect({ name, state: await panelState(page, name) }).toEqual({ name, state: 'ready' });
      }
      expect(await text(page, '[data-card="calls"] .value')).toBe(seeded.orgA.toLocaleString('en-US'));
      expect(await page.$$eval('[data-panel="series"] rect', (bars) => bars.length)).toBeGreaterThan(10);
      const legend = await page.$$eval('[data-panel="series"] .legend li', (items) => items.map((item) => item.textContent ?? ''));
      expect(legend.some((entry) => entry.startsWith('openai'))).toBe(true);
      expect(legend.some((entry) => entry.startsWith('anthropic'))).toBe(true);
      const codes = await page.$$eval('[data-table="errors-by-code"] tbody td:first-child', (cells) =>
        cells.map((cell) => cell.textContent),
      );
      expect(codes.sort()).toEqual(['PROVIDER_TIMEOUT', 'RATE_LIMITED']);
      const latency = await page.$$eval('[data-table="latency"] tbody tr', (rows) => rows.map((row) => row.textContent ?? ''));
      expect(latency.some((row) => row.startsWith('openai'))).toBe(true);
      expect(await text(page, '[data-circuit="openai"]')).toBe('closed');
      const limits = await text(page, '[data-table="limits"]');
      expect(limits).toContain('requests per minute');
      expect(limits).toContain('monthly budget');

      // Times are the viewer's: the zone is named and a failed call's time is formatted in it.
      expect(await text(page, '#zone')).toBe('Times in America/New_York');
      const link = await page.$eval('[data-table="failures"] a', (anchor) => ({
        requestId: anchor.getAttribute('data-request-id'),
        when: anchor.closest('tr')?.querySelector('td')?.textContent,
      }));
      const [{ created_at: createdAt }] = await gateway.dataSource.query('SELECT created_at FROM execution_logs WHERE request_id = $1', [
        link.requestId,
      ]);
      const newYork = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'America/New_York' });
      expect(link.when).toBe(newYork.format(createdAt as Date));

      // A failed call links to its execution-log entry.
      await page.click('[data-table="failures"] a');
      await page.waitForFunction(() => document.querySelector('#execution dd') !== null);
      const entry = await text(page, '#execution dl');
      expect(entry).toContain(link.requestId!);
      expect(entry).toContain('The provider did not answer in time');

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.keyboard.press('Escape');
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

      const everything = [await page.content(), ...bodies].join('\n');
      expect(everything).not.toContain(API_KEY);
      expect(everything).not.toContain(SECRET_PROMPT);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("never shows a member or another organization anyone else's numbers", async () => {
    const member = await openAs(tokenFor(bob, { orgId: orgA, orgRole: 'member' }));
    try {
      expect(await text(member.page, '#scope')).toBe(`Your calls (${bob})`);
      expect(await text(member.page, '[data-card="calls"] .value')).toBe(seeded.bob.toLocaleString('en-US'));
      await member.page.select('#controls select[name="groupBy"]', 'user');
      await member.page.waitForFunction(() => document.querySelector('[data-panel="series"]')?.getAttribute('data-state') === 'ready');
      const users = await member.page.$$eval('[data-panel="series"] .legend li', (items) => items.map((item) => item.textContent ?? ''));
      expect(users.map((entry) => entry.split(' · ')[0])).toEqual([bob]);
    } finally {
      await member.page.close();
    }

    const outsider = await openAs(tokenFor(carol, { orgId: orgB, orgRole: 'admin' }));
    try {
      expect(await text(outsider.page, '#scope')).toBe(`Organization ${orgB}`);
      expect(await text(outsider.page, '[data-card="calls"] .value')).toBe(seeded.carol.toLocaleString('en-US'));
      const seen = [await outsider.page.content(), ...outsider.bodies].join('\n');
      expect(seen).not.toContain(orgA);
      expect(seen).not.toContain(alice);
      expect(seen).not.toContain(bob);
    } finally {
      await outsider.page.close();
    }
  }, 60_000);

  it('shows an operator everyone, and says so', async () => {
    const { page } = await openAs(tokenFor(uniqueId('operator'), { roles: ['operator'] }));
    try {
      expect(await text(page, '#scope')).toBe('Everyone (operator view)');
      const calls = Number((await text(page, '[data-card="calls"] .value')).replaceAll(',', ''));
      expect(calls).toBeGreaterThanOrEqual(seeded.orgA + seeded.carol);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('says plainly when there is nothing to show, when a view fails, and when the token is refused', async () => {
    const { page } = await openAs(tokenFor(uniqueId('newcomer')));
    try {
      expect(await panelState(page, 'totals')).toBe('empty');
      expect(await text(page, '[data-panel="totals"] .state')).toBe('No calls in this range.');
      expect(await text(page, '[data-panel="failures"] .state')).toBe('No failed calls in this range.');

      await page.setRequestInterception(true);
      page.on('request', (intercepted) => {
        if (intercepted.url().includes('/usage/latency'))
          void intercepted.respond({ status: 500, contentType: 'application/json', body: '{"error":"boom"}' });
        else void intercepted.continue();
      });
      await page.click('#controls button[type=submit]');
      await page.waitForFunction(() => document.querySelector('[data-panel="latency"]')?.getAttribute('data-state') === 'error');
      expect(await text(page, '[data-panel="latency"] .state')).toBe('Could not load: boom');
    } finally {
      await page.close();
    }

    const expired = await browser.newPage();
    try {
      await expired.goto(`${url}/dashboard`);
      await expired.type('#token', 'not-a-valid-token');
      await expired.click('#login-form button[type=submit]');
      await expired.waitForFunction(() => (document.querySelector('#login-error')?.textContent ?? '') !== '');
      expect(await text(expired, '#login-error')).toBe('The token was refused: it may have expired.');
      expect(await expired.$eval('#board', (board) => (board as HTMLElement).hidden)).toBe(true);
    } finally {
      await expired.close();
    }
  }, 60_000);
});

describe('dashboard assets', () => {
  let gateway: TestApp;

  beforeAll(async () => {
    gateway = await startTestApp();
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('serves the page and its assets without a token, under a policy that allows only this origin', async () => {
    const page = await request(gateway.server).get('/dashboard').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.text).toContain('<script type="module" src="/dashboard/dashboard.js"></script>');
    for (const [asset, type] of [
      ['dashboard.js', 'text/javascript; charset=utf-8'],
      ['dashboard.css', 'text/css; charset=utf-8'],
      ['favicon.svg', 'image/svg+xml'],
    ]) {
      const response = await request(gateway.server).get(`/dashboard/${asset}`).expect(200);
      expect(response.headers['content-type']).toBe(type);
    }
    // Nothing on disk beyond the known files is reachable.
    const missing = await request(gateway.server).get('/dashboard/..%2Fdashboard.controller.ts').expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });
});
