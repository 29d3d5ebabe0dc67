/**
 * Compares what the sandbox answered with a response recorded against real AWS.
 *
 * The recordings are LocalStack's AWS-validated snapshots (tests/aws-snapshots/README.md): responses as
 * boto3 parsed them, with the values that change from run to run replaced before they were
 * stored. A recorded value is therefore a pattern:
 *
 * - `<name>` or `<name:1>` inside a string stands for one value that stays the same throughout
 *   a recorded test: the first time it is met it is bound to what the sandbox answered there,
 *   and every later use must be that same text;
 * - the whole string `timestamp`, `datetime`, `<datetime>` or `date` stands for any time;
 * - a member whose value is its own name in kebab case (`createTime: "create-time"`) stands for
 *   any value: the recording replaced it without numbering it;
 * - a UUID inside a message stands for any UUID: AWS writes its own request ids into some texts;
 * - anything else is literal, and objects must have exactly the recorded keys.
 *
 * `ResponseMetadata` keeps only `HTTPStatusCode`: the recorded headers were all removed.
 */

/** One place where the sandbox's answer differs from the recording: a JSON path and what differs. */
export interface Difference {
  path: string;
  recorded: unknown;
  actual: unknown;
}

/** Placeholder bindings of one recorded test: `<role-name:1>` → the role's name. */
export type Bindings = Map<string, string>;

const TIME_WORDS = new Set(['timestamp', 'datetime', '<datetime>', 'date']);
const PLACEHOLDER = /<[^<>]+>/g;
const WHOLE_PLACEHOLDER = /^<[^<>]+>$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The differences between a recorded value and the sandbox's, binding placeholders as it goes. */
export function differences(
  recorded: unknown,
  actual: unknown,
  bindings: Bindings,
  path = '$',
): Difference[] {
  // Placeholders that stand for a whole value are bound first: `role<path><role-name:1>` can
  // only be split right once `<path>` and `<role-name:1>` are known from `Path` and `RoleName`.
  if (path === '$') bindWholeValues(recorded, actual, bindings);
  if (typeof recorded === 'string') return matchString(recorded, actual, bindings, path);
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [{ path, recorded, actual }];
    const found: Difference[] = [];
    if (recorded.length !== actual.length)
      found.push({ path: `${path}.length`, recorded: recorded.length, actual: actual.length });
    recorded.forEach((item, i) => {
      if (i < actual.length) found.push(...differences(item, actual[i], bindings, `${path}[${i}]`));
    });
    return found;
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual instanceof Date)
      return [{ path, recorded, actual }];
    const want = recorded as Record<string, unknown>;
    const got = actual as Record<string, unknown>;
    const found: Difference[] = [];
    for (const key of Object.keys(want)) {
      if (!(key in got)) found.push({ path: `${path}.${key}`, recorded: want[key], actual: undefined });
      else if (want[key] === kebabCase(key)) continue;
      else found.push(...differences(want[key], got[key], bindings, `${path}.${key}`));
    }
    for (const key of Object.keys(got)) {
      if (!(key in want)) found.push({ path: `${path}.${key}`, recorded: undefined, actual: got[key] });
    }
    return found;
  }
  return Object.is(recorded, actual) ? [] : [{ path, recorded, actual }];
}

function bindWholeValues(recorded: unknown, actual: unknown, bindings: Bindings): void {
  if (typeof recorded === 'string') {
    const text = typeof actual === 'number' ? String(actual) : actual;
    if (WHOLE_PLACEHOLDER.test(recorded) && typeof text === 'string' && !bindings.has(recorded))
      bindings.set(recorded, text);
  } else if (Array.isArray(recorded) && Array.isArray(actual)) {
    recorded.forEach((item, i) => bindWholeValues(item, actual[i], bindings));
  } else if (recorded && typeof recorded === 'object' && actual && typeof actual === 'object') {
    for (const [key, value] of Object.entries(recorded))
      bindWholeValues(value, (actual as Record<string, unknown>)[key], bindings);
  }
}

function matchString(recorded: string, actual: unknown, bindings: Bindings, path: string): Difference[] {
  const miss = [{ path, recorded, actual }];
  if (TIME_WORDS.has(recorded)) return isTime(actual) ? [] : miss;
  // A placeholder may stand for a number the recording replaced (a label, a count).
  const text = typeof actual === 'number' && recorded.includes('<') ? String(actual) : actual;
  if (typeof text !== 'string') return miss;
  const names = recorded.match(PLACEHOLDER) ?? [];
  if (names.length === 0 && !UUID.test(recorded)) return recorded === text ? [] : miss;

  const fresh: string[] = [];
  const source = recorded
    .split(PLACEHOLDER)
    .map((literal, i) => {
      const escaped = literal
        .split(UUID)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join(UUID.source);
      if (i === names.length) return escaped;
      const name = names[i]!;
      const bound = bindings.get(name);
      if (bound !== undefined) return `${escaped}${bound.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      if (fresh.includes(name)) return `${escaped}\\k<p${fresh.indexOf(name)}>`;
      fresh.push(name);
      return `${escaped}(?<p${fresh.length - 1}>.+?)`;
    })
    .join('');
  const found = new RegExp(`^${source}$`, 's').exec(text);
  if (!found) return miss;
  fresh.forEach((name, i) => bindings.set(name, found.groups![`p${i}`]!));
  return [];
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function isTime(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value === 'number') return Number.isFinite(value) && value > 0;
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
