import { RE2JS } from 're2js';

/**
 * Regular expressions as CloudWatch Logs runs them: RE2 (`re2js`, a maintained port), which
 * matches in time linear in the text whatever the pattern. A pattern such as `(a+)+$` that would
 * make a backtracking engine run for minutes, and stall the sandbox for every account, costs no
 * more than any other; and RE2's syntax is AWS's, so lookarounds and backreferences are refused
 * as AWS refuses them.
 */
export type LinearRegex = RE2JS;

/** `flags` as a query writes them after the closing slash: `i`, `m`, `s`; others are ignored. */
export function compileRegex(source: string, flags = ''): LinearRegex {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  return RE2JS.compile(source, bits);
}

/** The names of a pattern's named groups, in the order of the groups. */
export function groupNames(regex: LinearRegex): string[] {
  return Object.entries(regex.namedGroups())
    .sort(([, a], [, b]) => a - b)
    .map(([name]) => name);
}

/** A match as JavaScript's `exec` gives it: the captures by number, named ones under `groups`. */
export type RegexMatch = (string | undefined)[] & { groups?: Record<string, string | undefined> };

export function execRegex(regex: LinearRegex, text: string): RegexMatch | null {
  return regex.exec(text) as RegexMatch | null;
}
