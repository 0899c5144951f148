// @ts-check
// The usage dashboard: plain DOM and SVG, no framework, no third-party code. Every number comes from
// the gateway's own JSON routes (/usage, /usage/series, /usage/latency, /executions, /limits,
// /status) with the viewer's token, so it shows exactly what the API would show that caller. Text
// from the API is only ever set as textContent: model names and error messages come from upstreams.

const TOKEN_KEY = 'integrations-dashboard-token';
const API = '/api/integrations';
const PALETTE = ['#2b6cb0', '#dd6b20', '#2f855a', '#805ad5', '#d53f8c', '#319795', '#b7791f', '#718096'];
/** @type {Record<string, { spanMs: number, bucket: 'hour' | 'day' }>} */
const RANGES = {
  '24h': { spanMs: 24 * 3_600_000, bucket: 'hour' },
  '7d': { spanMs: 7 * 86_400_000, bucket: 'hour' },
  '30d': { spanMs: 30 * 86_400_000, bucket: 'day' },
  '90d': { spanMs: 90 * 86_400_000, bucket: 'day' },
};
/** @type {Record<string, string>} */
const METRIC_LABELS = { calls: 'calls', totalTokens: 'tokens', estimatedCostUsd: 'USD', errors: 'errors' };

/** @typedef {{ calls: number, errors: number, cachedCalls: number, promptTokens: number, completionTokens: number, totalTokens: number, estimatedCostUsd: number }} Point */
/** @typedef {{ key: string | null, totals: Point, points: Point[] }} Series */

class ApiError extends Error {
  /** @param {number} status @param {string} message @param {string | null} requestId */
  constructor(status, message, requestId) {
    super(message);
    this.status = status;
    this.requestId = requestId;
  }
}

const numberFormat = new Intl.NumberFormat();
const usdFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const hourFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** @param {string} selector @returns {HTMLElement} */
function $(selector) {
  const found = document.querySelector(selector);
  if (!(found instanceof HTMLElement)) throw new Error(`missing ${selector}`);
  return found;
}

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {Array<Node | string | number | null | undefined>} children
 */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined) element.append(child instanceof Node ? child : String(child));
  return element;
}

/** @param {string} tag @param {Record<string, string | number>} attributes */
function svg(tag, attributes) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string} path @param {Record<string, string | number | boolean | undefined>} [query] */
async function api(path, query = {}) {
  const url = new URL(API + path, location.origin);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  const response = await fetch(url, { headers: { authorization: `Bearer ${token()}`, accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      body && typeof body.error === 'string' ? body.error : body && typeof body.message === 'string' ? body.message : response.statusText;
    throw new ApiError(response.status, message, response.headers.get('x-request-id'));
  }
  return body;
}

/**
 * Runs one panel's load with explicit loading, empty, error and ready states.
 * @param {string} name
 * @param {() => Promise<Node | null>} load resolves to the content, or null when there is nothing to show
 * @param {string} emptyText
 */
async function panel(name, load, emptyText) {
  const section = $(`[data-panel="${name}"]`);
  const state = /** @type {HTMLElement} */ (section.querySelector('.state'));
  const content = /** @type {HTMLElement} */ (section.querySelector('.content, .cards, .chart'));
  section.dataset.state = 'loading';
  state.textContent = 'Loading…';
  try {
    const node = await load();
    content.replaceChildren(...(node ? [node] : []));
    section.dataset.state = node ? 'ready' : 'empty';
    state.textContent = node ? '' : emptyText;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut('The token was refused: it may have expired.');
    content.replaceChildren();
    section.dataset.state = 'error';
    const requestId = error instanceof ApiError && error.requestId ? ` (request ${error.requestId})` : '';
    state.textContent = `Could not load: ${error instanceof Error ? error.message : String(error)}${requestId}`;
  }
}

function controls() {
  const form = /** @type {HTMLFormElement} */ ($('#controls'));
  const data = new FormData(form);
  const range = RANGES[String(data.get('range'))] ?? RANGES['7d'];
  const to = new Date();
  return {
    ...range,
    from: new Date(to.getTime() - range.spanMs).toISOString(),
    to: to.toISOString(),
    groupBy: String(data.get('groupBy')),
    metric: /** @type {keyof Point} */ (String(data.get('metric'))),
  };
}

/** @param {keyof Point} metric @param {number} value */
function formatMetric(metric, value) {
  return metric === 'estimatedCostUsd' ? usdFormat.format(value) : numberFormat.format(value);
}

async function loadTotals() {
  const { from, to } = controls();
  const usage = await api('/usage', { from, to });
  const failed = usage.items.reduce((/** @type {number} */ sum, /** @type {{ failedCalls: number }} */ item) => sum + item.failedCalls, 0);
  $('#scope').textContent = describeScope(usage.scope);
  if (usage.totals.calls === 0) return null;
  const card = (/** @type {string} */ label, /** @type {string} */ value, /** @type {string} */ name) =>
    el('div', { class: 'card', 'data-card': name }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value));
  return el(
    'div',
    { class: 'cards' },
    card('Calls', numberFormat.format(usage.totals.calls), 'calls'),
    card('Tokens', numberFormat.format(usage.totals.totalTokens), 'tokens'),
    card('Estimated cost', usdFormat.format(usage.totals.estimatedCostUsd), 'cost'),
    card('Error rate', `${((100 * failed) / usage.totals.calls).toFixed(1)} %`, 'error-rate'),
  );
}

/** @param {{ kind: string, id: string | null } | undefined} scope */
function describeScope(scope) {
  if (!scope) return '';
  if (scope.kind === 'all') return 'Everyone (operator view)';
  return scope.kind === 'organization' ? `Organization ${scope.id}` : `Your calls (${scope.id})`;
}

async function loadSeries() {
  const { from, to, bucket, groupBy, metric } = controls();
  const result = await api('/usage/series', { from, to, bucket, groupBy });
  $('#scope').textContent = describeScope(result.scope);
  /** @type {Series[]} */
  const series = result.series.filter((/** @type {Series} */ entry) => entry.totals[metric] > 0);
  const legend = $('[data-panel="series"] .legend');
  legend.replaceChildren(
    ...series.map((entry, index) =>
      el(
        'li',
        { style: `--swatch: ${PALETTE[index % PALETTE.length]}` },
        `${entry.key ?? '(none)'} · ${formatMetric(metric, entry.totals[metric])}`,
      ),
    ),
  );
  if (series.length === 0) return null;
  return stackedBars(result.buckets, series, metric, bucket);
}

/**
 * @param {string[]} buckets @param {Series[]} series @param {keyof Point} metric @param {string} bucket
 */
function stackedBars(buckets, series, metric, bucket) {
  const width = 960;
  const height = 256;
  const left = 56;
  const bottom = 22;
  const totals = buckets.map((_, index) => series.reduce((sum, entry) => sum + entry.points[index][metric], 0));
  const top = Math.max(...totals) || 1;
  const slot = (width - left) / buckets.length;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${METRIC_LABELS[metric] ?? metric} over time`,
  });
  for (const fraction of [0, 0.5, 1]) {
    const y = (height - bottom) * (1 - fraction);
    chart.append(svg('line', { class: 'grid', x1: left, x2: width, y1: y, y2: y }));
    const label = svg('text', { class: 'axis', x: left - 6, y: y + 4, 'text-anchor': 'end' });
    label.textContent = formatMetric(metric, top * fraction);
    chart.append(label);
  }
  const format = bucket === 'day' ? dayFormat : hourFormat;
  const labelEvery = Math.ceil(buckets.length / 8);
  buckets.forEach((start, index) => {
    let y = height - bottom;
    series.forEach((entry, seriesIndex) => {
      const value = entry.points[index][metric];
      if (value <= 0) return;
      const barHeight = ((height - bottom) * value) / top;
      y -= barHeight;
      const bar = svg('rect', {
        x: left + index * slot + 1,
        y,
        width: Math.max(1, slot - 2),
        height: barHeight,
        fill: PALETTE[seriesIndex % PALETTE.length],
        'data-series': entry.key ?? '',
      });
      const title = svg('title', {});
      title.textContent = `${format.format(new Date(start))} · ${entry.key ?? '(none)'}: ${formatMetric(metric, value)}`;
      bar.append(title);
      chart.append(bar);
    });
    if (index % labelEvery === 0) {
      const label = svg('text', { class: 'axis', x: left + index * slot + slot / 2, y: height - 6, 'text-anchor': 'middle' });
      label.textContent = format.format(new Date(start));
      chart.append(label);
    }
  });
  return chart;
}

async function loadErrors() {
  const { from, to, bucket } = controls();
  const [byOutcome, byProvider] = await Promise.all([
    api('/usage/series', { from, to, bucket, groupBy: 'outcome' }),
    api('/usage/series', { from, to, bucket, groupBy: 'provider' }),
  ]);
  const codes = byOutcome.series.filter(
    (/** @type {Series} */ entry) => entry.key !== 'ok' && entry.key !== 'cached' && entry.totals.calls > 0,
  );
  if (codes.length === 0) return null;
  const providers = byProvider.series.filter((/** @type {Series} */ entry) => entry.totals.errors > 0);
  return el(
    'div',
    {},
    table(
      ['Error code', 'Calls'],
      codes.map((/** @type {Series} */ entry) => [entry.key, numberFormat.format(entry.totals.calls)]),
      'errors-by-code',
    ),
    table(
      ['Provider', 'Errors', 'Error rate'],
      providers.map((/** @type {Series} */ entry) => [
        entry.key,
        numberFormat.format(entry.totals.errors),
        `${((100 * entry.totals.errors) / entry.totals.calls).toFixed(1)} %`,
      ]),
      'errors-by-provider',
    ),
  );
}

/**
 * @param {string[]} headings
 * @param {Array<Array<Node | string | number | null>>} rows
 * @param {string} name
 */
function table(headings, rows, name) {
  const numeric = (/** @type {unknown} */ cell) => typeof cell === 'string' && /^[-$€£\d.,\s%]+$/.test(cell) && /\d/.test(cell);
  return el(
    'table',
    { 'data-table': name },
    el('thead', {}, el('tr', {}, ...headings.map((heading) => el('th', {}, heading)))),
    el(
      'tbody',
      {},
      // Long ids are cut with an ellipsis; the whole value stays in the cell's title.
      ...rows.map((row) =>
        el(
          'tr',
          {},
          ...row.map((cell) =>
            el('td', numeric(cell) ? { class: 'number' } : typeof cell === 'string' ? { title: cell } : {}, cell ?? '—'),
          ),
        ),
      ),
    ),
  );
}

async function loadLatency() {
  const latency = await api('/usage/latency');
  if (latency.items.length === 0) return null;
  const ms = (/** @type {number | null} */ value) => (value === null ? '—' : `${numberFormat.format(value)} ms`);
  return table(
    ['Provider', 'Calls', 'p50', 'p95', 'p99', 'Max', 'Gateway overhead'],
    latency.items.map((/** @type {any} */ item) => [
      item.provider,
      numberFormat.format(item.calls),
      ms(item.p50Ms),
      ms(item.p95Ms),
      ms(item.p99Ms),
      ms(item.maxMs),
      ms(item.overheadMeanMs),
    ]),
    'latency',
  );
}

async function loadCircuits() {
  const status = await api('/status');
  const circuits = Object.entries(status.circuitBreaker ?? {});
  if (circuits.length === 0) return null;
  return table(
    ['Provider', 'Circuit', 'Recent failures', 'Last failure'],
    circuits.map(([provider, /** @type {any} */ circuit]) => [
      provider,
      el('span', { class: `badge ${circuit.state}`, 'data-circuit': provider }, circuit.state),
      numberFormat.format(circuit.failures),
      circuit.lastFailure === 'never' ? 'never' : timeFormat.format(new Date(circuit.lastFailure)),
    ]),
    'circuits',
  );
}

async function loadLimits() {
  const limits = await api('/limits');
  if (!limits.available) throw new Error('the counter store is unavailable');
  const meter = (/** @type {number} */ remaining, /** @type {number} */ limit) => {
    const share = limit > 0 ? remaining / limit : 0;
    return el('div', { class: share < 0.1 ? 'meter low' : 'meter' }, el('span', { style: `width: ${Math.round(share * 100)}%` }));
  };
  const rows = [
    ...limits.rateLimits.map((/** @type {any} */ limit) => [
      `${limit.scope} ${limit.id}`,
      `${limit.kind} per minute`,
      `${numberFormat.format(limit.remaining)} of ${numberFormat.format(limit.limitPerMinute)}`,
      meter(limit.remaining, limit.limitPerMinute),
    ]),
    ...limits.budgets.map((/** @type {any} */ budget) => [
      `${budget.scope} ${budget.id}`,
      `${budget.period} budget`,
      `${usdFormat.format(budget.remainingUsd)} of ${usdFormat.format(budget.capUsd)}`,
      meter(budget.remainingUsd, budget.capUsd),
    ]),
  ];
  if (rows.length === 0) return null;
  return table(['Who', 'Limit', 'Left', ''], rows, 'limits');
}

async function loadFailures() {
  const { from, to } = controls();
  const page = await api('/executions', { success: false, limit: 15, from, to });
  if (page.items.length === 0) return null;
  return table(
    ['When', 'Provider', 'Model', 'Error', 'User', 'Request id'],
    page.items.map((/** @type {any} */ item) => [
      timeFormat.format(new Date(item.createdAt)),
      item.provider,
      item.model,
      item.errorCode,
      item.userId,
      el(
        'a',
        {
          href: `#execution=${encodeURIComponent(item.requestId)}@${encodeURIComponent(item.createdAt)}`,
          'data-request-id': item.requestId,
        },
        item.requestId,
      ),
    ]),
    'failures',
  );
}

/** Opens the execution-log entry a link points at: `#execution=<requestId>@<createdAt>`. */
async function showExecution() {
  const match = /^#execution=([^@]+)@(.+)$/.exec(location.hash);
  if (!match) return;
  const dialog = /** @type {HTMLDialogElement} */ ($('#execution'));
  const state = /** @type {HTMLElement} */ (dialog.querySelector('.state'));
  const list = /** @type {HTMLElement} */ (dialog.querySelector('.content'));
  const requestId = decodeURIComponent(match[1]);
  const at = new Date(decodeURIComponent(match[2]));
  list.replaceChildren();
  state.textContent = 'Loading…';
  if (!dialog.open) dialog.showModal();
  try {
    // The exact time turns the lookup into an index probe, however large the log.
    const page = await api('/executions', { requestId, from: at.toISOString(), to: new Date(at.getTime() + 1).toISOString(), limit: 1 });
    const item = page.items[0];
    if (!item) {
      state.textContent = 'No such call in your scope (or it is older than the retention).';
      return;
    }
    state.textContent = '';
    const fields = [
      ['Request id', item.requestId],
      ['When', timeFormat.format(new Date(item.createdAt))],
      ['User', item.userId],
      ['Organization', item.orgId],
      ['Provider', item.provider],
      ['Operation', item.operation],
      ['Model', item.model],
      ['Outcome', item.success ? (item.cached ? 'answered from cache' : 'success') : item.errorCode],
      ['Error', item.errorMessage],
      ['Duration', `${item.durationMs} ms`],
      ['Provider time', item.upstreamMs === null ? null : `${item.upstreamMs} ms`],
      ['Tokens', item.totalTokens === null ? null : `${item.promptTokens} in, ${item.completionTokens} out`],
      ['Credential', item.credentialSource],
    ];
    list.replaceChildren(...fields.flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value ?? '—')]));
  } catch (error) {
    state.textContent = `Could not load: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function refresh() {
  $('#zone').textContent = `Times in ${Intl.DateTimeFormat().resolvedOptions().timeZone}`;
  return Promise.all([
    panel('totals', loadTotals, 'No calls in this range.'),
    panel('series', loadSeries, 'No calls in this range.'),
    panel('errors', loadErrors, 'No failed calls in this range.'),
    panel('latency', loadLatency, 'No calls in the last 24 hours.'),
    panel('circuits', loadCircuits, 'No providers registered.'),
    panel('limits', loadLimits, 'No rate limits or budgets are configured for you or your organization.'),
    panel('failures', loadFailures, 'No failed calls in this range.'),
  ]).then(() => {
    document.body.dataset.loaded = 'true';
  });
}

/** @param {string} [reason] */
function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  delete document.body.dataset.loaded;
  $('#board').hidden = true;
  $('#sign-out').hidden = true;
  $('#login').hidden = false;
  $('#scope').textContent = '';
  $('#login-error').textContent = reason ?? '';
}

function signIn() {
  $('#login').hidden = true;
  $('#board').hidden = false;
  $('#sign-out').hidden = false;
  void refresh().then(showExecution);
}

$('#login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('#token'));
  const value = input.value.trim().replace(/^Bearer\s+/i, '');
  input.value = '';
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  signIn();
});
$('#controls').addEventListener('submit', (event) => {
  event.preventDefault();
  void refresh();
});
$('#controls').addEventListener('change', () => void refresh());
$('#sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => void showExecution());
$('#execution').addEventListener('close', () => history.replaceState(null, '', location.pathname));

if (token()) signIn();
else signOut();
