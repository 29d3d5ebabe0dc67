/* global document, window, location, Chart, URLSearchParams */
import {
  api,
  clearFlash,
  dataTable,
  el,
  flash,
  formatTime,
  region,
  renderTopNav,
  runQuery,
  tabulate,
  timeRangePicker,
  uniqueId,
} from './console.js';

/**
 * CloudWatch: dashboards (every widget drawn from the dashboard body), log groups and Logs
 * Insights. Routes are the console's URL fragments: `#dashboards`,
 * `#dashboards/dashboard/<name>`, `#logsV2:log-groups`, `#logsV2:logs-insights`.
 */

const content = document.getElementById('content');
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const HOUR = 3_600_000;
let charts = [];
/** Bumped on every navigation: answers for a page no longer shown are dropped. */
let generation = 0;

function route() {
  for (const chart of charts) chart.destroy();
  charts = [];
  generation++;
  clearFlash();
  const hash = decodeURIComponent(location.hash.slice(1));
  const dashboard = /^dashboards(?:\/dashboard\/|:name=)(.+)$/.exec(hash);
  let section = 'dashboards';
  if (dashboard) void showDashboard(dashboard[1]);
  else if (hash.startsWith('logsV2:log-groups')) {
    section = 'log-groups';
    void showLogGroups();
  } else if (hash.startsWith('logsV2:logs-insights')) {
    section = 'logs-insights';
    void showInsights(new URLSearchParams(hash.split('?')[1] ?? '').get('logGroup'));
  } else void showDashboards();
  for (const link of document.querySelectorAll('.side-nav a')) {
    if (link.dataset.route === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Breadcrumbs, the flash area and the page heading, then the page's own parts. */
function page(crumbs, title, ...children) {
  content.replaceChildren(
    el(
      'nav',
      { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' },
      el(
        'ol',
        {},
        crumbs.map((c) => el('li', {}, c)),
      ),
    ),
    el('div', { id: 'flash', 'aria-live': 'polite' }),
    el('h1', {}, title),
    ...children,
  );
  document.title = `${title} | CloudWatch | ${region}`;
}

const cloudWatchCrumb = () => el('a', { href: '#dashboards' }, 'CloudWatch');

// ---- dashboards ----

async function showDashboards() {
  const mine = generation;
  const body = el('div', {}, el('p', { role: 'status' }, 'Loading dashboards…'));
  page([cloudWatchCrumb(), 'Dashboards'], 'Dashboards', body);
  try {
    const { DashboardEntries = [] } = await api('monitoring', 'ListDashboards');
    if (mine !== generation) return;
    body.replaceChildren(
      el(
        'section',
        { class: 'container', 'aria-labelledby': 'custom-dashboards' },
        el('h2', { id: 'custom-dashboards' }, `Custom dashboards (${DashboardEntries.length})`),
        DashboardEntries.length
          ? el(
              'table',
              {},
              el('caption', { class: 'visually-hidden' }, 'Custom dashboards'),
              el(
                'thead',
                {},
                el('tr', {}, el('th', { scope: 'col' }, 'Name'), el('th', { scope: 'col' }, 'Last updated')),
              ),
              el(
                'tbody',
                {},
                DashboardEntries.map((d) =>
                  el(
                    'tr',
                    {},
                    el(
                      'td',
                      {},
                      el(
                        'a',
                        { href: `#dashboards/dashboard/${encodeURIComponent(d.DashboardName)}` },
                        d.DashboardName,
                      ),
                    ),
                    el('td', {}, formatTime(Date.parse(d.LastModified))),
                  ),
                ),
              ),
            )
          : el('p', { class: 'description' }, 'No dashboards. Create one with PutDashboard.'),
      ),
    );
  } catch (error) {
    flash('error', 'Failed to load dashboards.', error.message);
  }
}

/** `-PT3H`, `-P1D`, `-P1W`: a dashboard's own default range, when it is one the picker offers. */
function relativeRange(start) {
  const m = /^-P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(start ?? '');
  if (!m) return undefined;
  const [, w = 0, d = 0, h = 0, min = 0] = m.map((x) => Number(x ?? 0));
  return ((w * 7 + d) * 24 + h) * HOUR + min * 60_000 || undefined;
}

async function showDashboard(name) {
  const mine = generation;
  const grid = el('div', { class: 'dashboard-grid' });
  let body;
  try {
    ({ DashboardBody: body } = await api('monitoring', 'GetDashboard', { DashboardName: name }));
  } catch (error) {
    if (mine !== generation) return;
    page([cloudWatchCrumb(), el('a', { href: '#dashboards' }, 'Dashboards'), name], name);
    flash('error', `Failed to load dashboard ${name}.`, error.message);
    return;
  }
  if (mine !== generation) return;
  const parsed = JSON.parse(body);
  const widgets = Array.isArray(parsed.widgets) ? parsed.widgets : [];
  // The console's default range is 3 hours unless the dashboard names another.
  let range = relativeRange(parsed.start) ?? 3 * HOUR;
  const draw = () => {
    for (const chart of charts) chart.destroy();
    charts = [];
    const end = Date.now();
    grid.replaceChildren(...widgets.map((w, i) => widgetSection(w, i, end - range, end, mine)));
  };
  page(
    [cloudWatchCrumb(), el('a', { href: '#dashboards' }, 'Dashboards'), name],
    name,
    el(
      'div',
      { class: 'dashboard-toolbar' },
      timeRangePicker(range, (ms) => {
        range = ms;
        draw();
      }),
      el('button', { type: 'button', onclick: draw }, 'Refresh'),
    ),
    grid,
  );
  draw();
}

function widgetTitle(widget, index) {
  const p = widget.properties ?? {};
  if (p.title) return p.title;
  if (widget.type === 'log')
    return /SOURCE\s+['"]([^'"]+)['"]/.exec(p.query ?? '')?.[1] ?? `Log widget ${index + 1}`;
  if (widget.type === 'metric') return `Metric widget ${index + 1}`;
  return `Widget ${index + 1}`;
}

/** One widget: a region named by its title, placed on the dashboard's 24-column grid. */
function widgetSection(widget, index, start, end, mine) {
  const title = widgetTitle(widget, index);
  const headingId = uniqueId('widget');
  const body = el('div', { class: 'widget-body' }, el('p', { class: 'empty', role: 'status' }, 'Loading…'));
  const x = Number(widget.x ?? 0);
  const width = Number(widget.width ?? 6);
  const height = Number(widget.height ?? 6);
  const place = `grid-column: ${x + 1} / span ${width};${widget.y !== undefined ? ` grid-row: ${Number(widget.y) + 1} / span ${height};` : ` grid-row: span ${height};`}`;
  const section = el(
    'section',
    { class: 'widget', 'aria-labelledby': headingId, style: place },
    el('h2', { id: headingId }, title),
    body,
  );
  const show = (...nodes) => {
    if (mine === generation) body.replaceChildren(...nodes);
  };
  const loaders = { log: loadLogWidget, metric: loadMetricWidget, text: loadTextWidget };
  const load = loaders[widget.type];
  if (!load) {
    show(el('p', { class: 'empty' }, `The lab sandbox console does not draw ${widget.type} widgets.`));
  } else {
    load(widget.properties ?? {}, title, start, end).then(
      (nodes) => show(...nodes),
      (error) => show(el('p', { class: 'error', role: 'alert' }, error.message)),
    );
  }
  return section;
}

const noData = () => [el('p', { class: 'empty' }, 'No data available.')];

async function loadLogWidget(props, title, start, end) {
  const output = await runQuery(
    { queryString: props.query ?? '', startTime: Math.floor(start / 1000), endTime: Math.ceil(end / 1000) },
    props.region || region,
  );
  if (output.status !== 'Complete') throw new Error(`The query ended with status ${output.status}.`);
  const { columns, rows } = tabulate(output.results ?? []);
  if (!rows.length) return noData();
  return drawRows(props.view ?? 'table', title, columns, rows, { stacked: !!props.stacked, start, end });
}

const isNumber = (v) => v !== undefined && v !== '' && Number.isFinite(Number(v));
const TIME_COLUMN = /^(bin\(.*\)|@timestamp)$/;

/** A short label for a Logs Insights time (`2026-11-27 07:00:00.000`). */
function timeLabel(value) {
  const m = /^\d{4}-(\d\d-\d\d) (\d\d:\d\d)/.exec(value ?? '');
  return m ? `${m[1]} ${m[2]}` : String(value ?? '');
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };
const insightsTime = (value) => Date.parse(`${String(value).replace(' ', 'T')}Z`);

/**
 * The labels of a `bin(period)` axis across the whole time range, as the console draws it:
 * bins without a row are gaps rather than missing from the axis.
 */
function binAxis(column, rows, start, end) {
  const m = /^bin\((\d+)(ms|s|m|h|d|w)\)$/.exec(column);
  if (!m) return undefined;
  const period = Number(m[1]) * UNIT_MS[m[2]];
  if (!period || (end - start) / period > 500) return undefined;
  const byTime = new Map(rows.map((r) => [insightsTime(r[column]), r]));
  const axis = [];
  for (let t = Math.floor(start / period) * period; t <= end; t += period)
    axis.push(byTime.get(t) ?? { [column]: formatTime(t).replace(' UTC', '.000') });
  return axis;
}

/** Log rows as the widget's view: a table, or a chart with the same rows as its hidden text alternative. */
function drawRows(view, title, columns, rows, { stacked, start, end }) {
  if (view === 'table') return [dataTable(title, columns, rows)];
  const timeColumn = columns.find((c) => TIME_COLUMN.test(c));
  const numeric = columns.filter(
    (c) =>
      c !== timeColumn &&
      rows.some((r) => isNumber(r[c])) &&
      rows.every((r) => r[c] === undefined || isNumber(r[c])),
  );
  if (!numeric.length) return noData();
  const labelColumn =
    view === 'timeSeries' ? timeColumn : (timeColumn ?? columns.find((c) => !numeric.includes(c)));
  if (view === 'timeSeries' && !timeColumn) return [dataTable(title, columns, rows)];
  const sorted =
    labelColumn && TIME_COLUMN.test(labelColumn)
      ? [...rows].sort((a, b) => (a[labelColumn] < b[labelColumn] ? -1 : 1))
      : rows;
  const ordered = (view === 'timeSeries' && binAxis(labelColumn, sorted, start, end)) || sorted;
  const labels = ordered.map((r, i) => (labelColumn ? timeLabel(r[labelColumn]) : String(i + 1)));
  const series = numeric.map((c) => ({
    label: c,
    values: ordered.map((r) => (isNumber(r[c]) ? Number(r[c]) : null)),
  }));
  const alternative = dataTable(title, columns, sorted);
  return [
    chart(view === 'pie' ? 'pie' : view === 'bar' ? 'bar' : 'line', title, labels, series, stacked),
    alternative,
  ];
}

/** A Chart.js chart on a canvas that names what it shows; the caller adds the data as a table beside it. */
function chart(kind, title, labels, series, stacked = false) {
  const description = `${title}: ${kind === 'line' ? 'line' : kind} chart of ${series.map((s) => s.label).join(', ')}`;
  const canvas = el('canvas', { role: 'img', 'aria-label': description });
  const holder = el('div', { style: 'position: relative; height: 100%; min-height: 120px' }, canvas);
  const pie = kind === 'pie';
  const data = pie
    ? {
        labels: series.length === 1 ? labels : series.map((s) => s.label),
        datasets: [
          {
            data: series.length === 1 ? series[0].values : series.map((s) => s.values.at(-1)),
            backgroundColor: COLORS,
          },
        ],
      }
    : {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.values,
          borderColor: COLORS[i % COLORS.length],
          backgroundColor: COLORS[i % COLORS.length],
          pointRadius: labels.length > 60 ? 0 : 3,
          spanGaps: true,
          fill: stacked,
        })),
      };
  // Drawn once the canvas is in the page, so Chart.js can size it.
  window.requestAnimationFrame(() => {
    if (!canvas.isConnected) return;
    charts.push(
      new Chart(canvas, {
        type: kind,
        data,
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: { legend: { position: 'bottom' } },
          ...(!pie && {
            scales: { y: { beginAtZero: true, stacked }, x: { stacked: stacked && kind === 'bar' } },
          }),
        },
      }),
    );
  });
  return holder;
}

/** `[ns, name, dim, value, ..., {options}]` rows, where "." repeats the item above. */
function metricRows(metrics) {
  let previous = [];
  return (Array.isArray(metrics) ? metrics : []).map((row) => {
    const options = row.find((item) => typeof item === 'object' && item !== null) ?? {};
    const items = row
      .filter((item) => typeof item === 'string')
      .map((item, i) => (item === '.' ? previous[i] : item));
    previous = items;
    return { items, options };
  });
}

async function loadMetricWidget(props, title, start, end) {
  const rangeSeconds = (end - start) / 1000;
  // As the console does, a long range gets a longer period: GetMetricData's 1,440-points-per-series guide.
  const period = Math.max(Number(props.period ?? 300), Math.ceil(rangeSeconds / 1440 / 60) * 60);
  const queries = metricRows(props.metrics).map(({ items, options }, i) => {
    const id = options.id ?? `m${i}`;
    const returnData = options.visible !== false;
    if (options.expression)
      return {
        Id: id,
        Expression: options.expression,
        Label: options.label,
        Period: period,
        ReturnData: returnData,
      };
    const [Namespace, MetricName, ...dims] = items;
    const Dimensions = [];
    for (let d = 0; d + 1 < dims.length; d += 2) Dimensions.push({ Name: dims[d], Value: dims[d + 1] });
    return {
      Id: id,
      Label: options.label ?? MetricName,
      ReturnData: returnData,
      MetricStat: {
        Metric: { Namespace, MetricName, Dimensions },
        Period: Number(options.period ?? period),
        Stat: options.stat ?? props.stat ?? 'Average',
      },
    };
  });
  if (!queries.length) return noData();
  const { MetricDataResults = [] } = await api(
    'monitoring',
    'GetMetricData',
    {
      MetricDataQueries: queries,
      StartTime: Math.floor(start / 1000),
      EndTime: Math.ceil(end / 1000),
      ScanBy: 'TimestampAscending',
    },
    props.region || region,
  );
  const results = MetricDataResults.filter((r) => (r.Values ?? []).length);
  if (!results.length) return noData();
  const times = [...new Set(results.flatMap((r) => r.Timestamps.map((t) => Date.parse(t))))].sort(
    (a, b) => a - b,
  );
  const columns = ['Time', ...results.map((r) => r.Label)];
  const rows = times.map((t) => {
    const row = { Time: formatTime(t) };
    for (const r of results) {
      const at = r.Timestamps.findIndex((x) => Date.parse(x) === t);
      if (at !== -1) row[r.Label] = String(r.Values[at]);
    }
    return row;
  });
  const view = props.view ?? 'timeSeries';
  if (view === 'singleValue' || view === 'gauge') {
    return [
      el(
        'dl',
        { class: 'key-values' },
        results.map((r) => el('div', {}, el('dt', {}, r.Label), el('dd', {}, formatNumber(r.Values.at(-1))))),
      ),
    ];
  }
  if (view === 'table') return [dataTable(title, columns, rows)];
  const series = results.map((r) => ({
    label: r.Label,
    values: times.map((t) => {
      const at = r.Timestamps.findIndex((x) => Date.parse(x) === t);
      return at === -1 ? null : r.Values[at];
    }),
  }));
  if (view === 'bar' || view === 'pie') {
    const latest = results.map((r) => ({ label: r.Label, values: [r.Values.at(-1)] }));
    return [chart(view, title, ['Latest'], latest), dataTable(title, columns, rows)];
  }
  const labels = times.map((t) => formatTime(t).slice(5, 16));
  return [chart('line', title, labels, series, !!props.stacked), dataTable(title, columns, rows)];
}

function formatNumber(n) {
  return Number.isInteger(n) ? String(n) : Number(n).toFixed(2);
}

/** Markdown kept to what a lab note needs: `#` headings and paragraphs, shown as text. */
async function loadTextWidget(props) {
  return String(props.markdown ?? '')
    .split(/\n\s*\n/)
    .filter((block) => block.trim())
    .map((block) => {
      const heading = /^#{1,6}\s+(.*)$/.exec(block.trim());
      return heading ? el('h3', {}, heading[1]) : el('p', {}, block.trim());
    });
}

// ---- log groups ----

async function showLogGroups() {
  const mine = generation;
  const list = el('div', {}, el('p', { role: 'status' }, 'Loading log groups…'));
  const nameInput = el('input', { type: 'text', id: 'new-log-group' });
  const form = el(
    'form',
    { class: 'container', hidden: true, 'aria-labelledby': 'create-group-heading' },
    el('h2', { id: 'create-group-heading' }, 'Create log group'),
    el('div', { class: 'field' }, el('label', { for: 'new-log-group' }, 'Log group name'), nameInput),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', onclick: () => (form.hidden = true) }, 'Cancel'),
      el('button', { type: 'submit', class: 'primary' }, 'Create'),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('logs', 'CreateLogGroup', { logGroupName: nameInput.value.trim() });
      flash('success', `Log group ${nameInput.value.trim()} has been created.`);
      form.hidden = true;
      await fill();
    } catch (error) {
      flash('error', 'Failed to create log group.', error.message);
    }
  });
  const fill = async () => {
    const groups = [];
    let nextToken;
    do {
      const page = await api('logs', 'DescribeLogGroups', { nextToken });
      groups.push(...(page.logGroups ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    if (mine !== generation) return;
    list.replaceChildren(
      el(
        'section',
        { class: 'container', 'aria-labelledby': 'log-groups-heading' },
        el(
          'div',
          { class: 'dashboard-toolbar' },
          el('h2', { id: 'log-groups-heading' }, `Log groups (${groups.length})`),
          el(
            'button',
            { type: 'button', onclick: () => ((form.hidden = false), nameInput.focus()) },
            'Create log group',
          ),
        ),
        el(
          'table',
          {},
          el('caption', { class: 'visually-hidden' }, 'Log groups'),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['Log group', 'Retention', 'Stored bytes', 'Creation time'].map((c) =>
                el('th', { scope: 'col' }, c),
              ),
            ),
          ),
          el(
            'tbody',
            {},
            groups.map((g) =>
              el(
                'tr',
                {},
                el(
                  'td',
                  {},
                  el(
                    'a',
                    { href: `#logsV2:logs-insights?logGroup=${encodeURIComponent(g.logGroupName)}` },
                    g.logGroupName,
                  ),
                ),
                el('td', {}, g.retentionInDays ? `${g.retentionInDays} days` : 'Never expire'),
                el('td', {}, String(g.storedBytes ?? 0)),
                el('td', {}, formatTime(g.creationTime)),
              ),
            ),
          ),
        ),
      ),
    );
  };
  page([cloudWatchCrumb(), 'Logs', 'Log groups'], 'Log groups', form, list);
  try {
    await fill();
  } catch (error) {
    flash('error', 'Failed to load log groups.', error.message);
  }
}

// ---- Logs Insights ----

const DEFAULT_QUERY = 'fields @timestamp, @message, @logStream, @log\n| sort @timestamp desc\n| limit 10000';

async function showInsights(preselected) {
  const mine = generation;
  let range = HOUR;
  const groupSelect = el('select', { id: 'insights-group' });
  const query = el('textarea', { id: 'insights-query', rows: 5, spellcheck: 'false' }, DEFAULT_QUERY);
  const results = el('div', {});
  const run = async () => {
    clearFlash();
    results.replaceChildren(el('p', { role: 'status' }, 'Running query…'));
    const end = Date.now();
    try {
      const output = await runQuery({
        ...(groupSelect.value && { logGroupNames: [groupSelect.value] }),
        queryString: query.value,
        startTime: Math.floor((end - range) / 1000),
        endTime: Math.ceil(end / 1000),
      });
      if (mine !== generation) return;
      const { columns, rows } = tabulate(output.results ?? []);
      const stats = output.statistics ?? {};
      results.replaceChildren(
        el(
          'section',
          { class: 'container', 'aria-labelledby': 'insights-results' },
          el('h2', { id: 'insights-results' }, `Logs (${rows.length})`),
          el(
            'dl',
            { class: 'key-values' },
            [
              ['Status', output.status],
              ['Records matched', stats.recordsMatched ?? 0],
              ['Records scanned', stats.recordsScanned ?? 0],
              ['Bytes scanned', stats.bytesScanned ?? 0],
            ].map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, String(value)))),
          ),
          rows.length
            ? dataTable('Query results', columns, rows)
            : el('p', { class: 'empty' }, 'No data found.'),
        ),
      );
    } catch (error) {
      results.replaceChildren();
      flash('error', 'The query failed.', error.message);
    }
  };
  page(
    [cloudWatchCrumb(), 'Logs', 'Logs Insights'],
    'Logs Insights',
    el(
      'form',
      {
        class: 'container',
        'aria-labelledby': 'insights-editor',
        onsubmit: (event) => {
          event.preventDefault();
          void run();
        },
      },
      el('h2', { id: 'insights-editor' }, 'Query'),
      el('div', { class: 'field' }, el('label', { for: 'insights-group' }, 'Log group'), groupSelect),
      el(
        'div',
        { class: 'field' },
        timeRangePicker(range, (ms) => (range = ms)),
      ),
      el('div', { class: 'field' }, el('label', { for: 'insights-query' }, 'Query text'), query),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Run query')),
    ),
    results,
  );
  try {
    const { logGroups = [] } = await api('logs', 'DescribeLogGroups', {});
    if (mine !== generation) return;
    groupSelect.replaceChildren(
      el('option', { value: '' }, 'Select a log group (or name it with SOURCE)'),
      ...logGroups.map((g) =>
        el('option', { value: g.logGroupName, selected: g.logGroupName === preselected }, g.logGroupName),
      ),
    );
  } catch (error) {
    flash('error', 'Failed to load log groups.', error.message);
  }
}

void renderTopNav();
window.addEventListener('hashchange', route);
route();
