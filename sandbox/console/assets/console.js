/* global document, location, fetch, setTimeout, URLSearchParams */
/**
 * What every console page shares: calls to the console API as the signed-in principal, the top
 * navigation, flash messages, the time-range picker and a small DOM builder (text is always set
 * as text, never parsed as HTML).
 */

export const region = new URLSearchParams(location.search).get('region') || 'us-east-1';

/** An AWS error as the console API returns it. */
export class ConsoleError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** Calls one operation of one service (`logs`, `monitoring`, `bedrock`, `iam`, `sts`) with its SDK input. */
export async function api(service, operation, input = {}, callRegion = region) {
  const response = await fetch(
    `/console/api/${service}/${operation}?region=${encodeURIComponent(callRegion)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
      credentials: 'same-origin',
    },
  );
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    location.assign(`/signin?redirect_uri=${encodeURIComponent(location.pathname + location.search)}`);
  }
  if (!response.ok) {
    throw new ConsoleError(
      body.__type || 'Error',
      body.message || `HTTP ${response.status}`,
      response.status,
    );
  }
  return body;
}

/** `el('a', { href: '#' }, 'text', child)`: attributes, then children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined || value === null) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

let ids = 0;
export const uniqueId = (prefix) => `${prefix}-${++ids}`;

/** The dark top bar: services, region and who is signed in. */
export async function renderTopNav() {
  const header = document.querySelector('header');
  const identity = el('span', {}, '');
  header.replaceChildren(
    el(
      'nav',
      { class: 'top-nav', 'aria-label': 'Console' },
      el('a', { class: 'brand', href: `/cloudwatch/home?region=${region}#dashboards` }, 'aws'),
      el('span', { class: 'sandbox-badge' }, 'Lab sandbox'),
      el(
        'ul',
        {},
        el('li', {}, el('a', { href: `/bedrock/home?region=${region}#/settings` }, 'Amazon Bedrock')),
        el('li', {}, el('a', { href: `/cloudwatch/home?region=${region}#dashboards` }, 'CloudWatch')),
      ),
      el(
        'div',
        { class: 'identity' },
        identity,
        el('span', { 'aria-label': 'Region' }, region),
        el('a', { href: '/signout' }, 'Sign out'),
      ),
    ),
  );
  try {
    const who = await api('sts', 'GetCallerIdentity');
    const name = who.Arn.split(':').at(-1);
    identity.textContent = `${name} @ ${who.Account.replace(/(\d{4})(\d{4})(\d{4})/, '$1-$2-$3')}`;
  } catch {
    identity.textContent = '';
  }
}

/** A flash message at the top of the page: success is a status, an error an alert. */
export function flash(kind, title, detail) {
  const area = document.getElementById('flash');
  const message = el(
    'div',
    { class: `flash ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    title,
    detail ? el('p', {}, detail) : null,
  );
  area?.replaceChildren(message);
}

export function clearFlash() {
  document.getElementById('flash')?.replaceChildren();
}

export const TIME_RANGES = [
  ['1h', 3_600_000],
  ['3h', 3 * 3_600_000],
  ['12h', 12 * 3_600_000],
  ['1d', 86_400_000],
  ['1w', 7 * 86_400_000],
];

/** The relative time-range picker (1h 3h 12h 1d 1w), a radio group named "Time range". */
export function timeRangePicker(selected, onChange) {
  const name = uniqueId('range');
  return el(
    'fieldset',
    { class: 'segmented' },
    el('legend', {}, 'Time range'),
    TIME_RANGES.map(([label, ms]) =>
      el(
        'label',
        {},
        el('input', {
          type: 'radio',
          name,
          value: label,
          checked: ms === selected,
          onchange: () => onChange(ms),
        }),
        label,
      ),
    ),
  );
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a Logs Insights query and waits for its end; resolves to GetQueryResults' output. */
export async function runQuery(input, callRegion = region) {
  const { queryId } = await api('logs', 'StartQuery', input, callRegion);
  const deadline = Date.now() + 60_000;
  for (let wait = 100; ; wait = Math.min(wait * 2, 1000)) {
    const output = await api('logs', 'GetQueryResults', { queryId }, callRegion);
    if (!['Scheduled', 'Running'].includes(output.status)) return output;
    if (Date.now() > deadline)
      throw new ConsoleError('Timeout', 'The query did not finish within 60 seconds.');
    await sleep(wait);
  }
}

/** Logs Insights rows (`[[{field, value}]]`) as columns and plain rows, `@ptr` left out. */
export function tabulate(results) {
  const columns = [];
  for (const row of results) {
    for (const { field } of row) if (field !== '@ptr' && !columns.includes(field)) columns.push(field);
  }
  const rows = results.map((row) => Object.fromEntries(row.map(({ field, value }) => [field, value])));
  return { columns, rows };
}

/** A real table: caption, column headers, one row per record. */
export function dataTable(caption, columns, rows) {
  return el(
    'table',
    {},
    el('caption', { class: 'visually-hidden' }, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((c) => el('th', { scope: 'col' }, c)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          {},
          columns.map((c) => el('td', { class: c === '@message' ? 'message' : undefined }, row[c] ?? '')),
        ),
      ),
    ),
  );
}

export function formatTime(ms) {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}
