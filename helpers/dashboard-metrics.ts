/**
 * A CloudWatch dashboard's metric widget rows, read as the console writes them:
 * `[namespace, metricName, dimName, dimValue, ..., {options}]`, where `"."` repeats the item
 * above and `"..."` stands for the row above's items except the ones written after it
 * (`["...", "other-model"]`). Every lab reading a metric widget reads it so.
 */

/** One row, its shorthand spelled out. */
export interface MetricRow {
  /** Namespace, metric name, then dimension names and values; empty for a metric math row. */
  items: string[];
  /** The row's options: `id`, `expression`, `visible`, `region`, `accountId`, `label`, ... */
  options?: Record<string, unknown>;
}

export function metricRows(rows: unknown): MetricRow[] {
  if (!Array.isArray(rows)) return [];
  const read: MetricRow[] = [];
  let previous: string[] = [];
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    const written = row.filter((item): item is string => typeof item === 'string');
    const at = written.indexOf('...');
    const spelled =
      at < 0
        ? written
        : [
            ...written.slice(0, at),
            ...previous.slice(at, Math.max(at, previous.length - (written.length - at - 1))),
            ...written.slice(at + 1),
          ];
    // Resolved against the row above as spelled out, so a chain of "." rows holds.
    const items = spelled.map((item, i) => (item === '.' ? (previous[i] ?? '.') : item));
    const options = row.find(
      (item): item is Record<string, unknown> =>
        typeof item === 'object' && item !== null && !Array.isArray(item),
    );
    read.push({ items, ...(options && { options }) });
    previous = items;
  }
  return read;
}

/** A row's metric: namespace, name and dimensions; undefined for a metric math row. */
export function rowMetric(
  row: MetricRow,
): { namespace: string; metricName: string; dimensions: Record<string, string> } | undefined {
  if (row.items.length < 2) return undefined;
  const [namespace, metricName, ...dims] = row.items;
  const dimensions: Record<string, string> = {};
  for (let i = 0; i + 1 < dims.length; i += 2) dimensions[dims[i]!] = dims[i + 1]!;
  return { namespace: namespace!, metricName: metricName!, dimensions };
}
