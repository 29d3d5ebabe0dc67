// The parser: the command structure it builds, how it tells regexes from division, and where its
// errors point.
import { expect, test } from '@playwright/test';
import { parseQuery, type Command, type ParsedQuery } from '../../insights';
import { execRegex } from '../../insights/regex';

function parsed(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.query;
}

function only<K extends Command['kind']>(query: ParsedQuery, kind: K): Extract<Command, { kind: K }> {
  const command = query.commands.find((c) => c.kind === kind);
  if (command === undefined) throw new Error(`no ${kind} command`);
  return command as Extract<Command, { kind: K }>;
}

test('splits commands on pipes, but not on a pipe inside a regex, string or comment', () => {
  const query = parsed('filter @message like /a|b/ | fields "x|y" as s # c | d\n| limit 5');
  expect(query.commands.map((c) => c.kind)).toEqual(['filter', 'fields', 'limit']);
});

test('a slash after an operand divides, after like it opens a regex', () => {
  const filter = only(parsed('filter a / 2 > 1 and @message like /x\\/y/'), 'filter');
  expect(filter.expr).toMatchObject({
    kind: 'binary',
    op: 'and',
    left: { kind: 'binary', op: '>', left: { kind: 'binary', op: '/' } },
    right: { kind: 'match', op: 'like', pattern: { kind: 'regex' } },
  });
});

test('a slash right after the parse field opens the pattern', () => {
  const parse = only(parsed('parse @message /id=(?<id>\\d+)/'), 'parse');
  expect(parse.names).toEqual(['id']);
  expect(execRegex(parse.regex, 'x id=42')?.groups?.id).toBe('42');
});

test('operator precedence: not < comparison < additive < multiplicative < power < unary minus', () => {
  const filter = only(parsed('filter not a + b * c ^ 2 > -d'), 'filter');
  expect(filter.expr).toMatchObject({
    kind: 'unary',
    op: 'not',
    operand: {
      op: '>',
      left: { op: '+', right: { op: '*', right: { op: '^' } } },
      right: { kind: 'unary', op: '-' },
    },
  });
});

test('and binds tighter than or', () => {
  const filter = only(parsed('filter a = 1 or b = 2 and c = 3'), 'filter');
  expect(filter.expr).toMatchObject({ op: 'or', right: { op: 'and' } });
});

test('negative number literals are folded', () => {
  const fields = only(parsed('fields -3 as n'), 'fields');
  expect(fields.items[0]?.expr).toMatchObject({ kind: 'number', value: -3 });
});

test('not like, not in and =~ build negatable match nodes', () => {
  const filter = only(parsed('filter a not like "x" and b not in [1, 2] and c =~ /z/'), 'filter');
  expect(filter.expr).toMatchObject({
    left: {
      left: { kind: 'match', negated: true, pattern: { kind: 'string', value: 'x' } },
      right: { kind: 'in', negated: true },
    },
    right: { kind: 'match', op: '=~', negated: false },
  });
});

test('RE2 inline flags and (?P<name>) groups', () => {
  const parse = only(parsed('parse @message /(?i)user=(?P<user>\\w+)/'), 'parse');
  expect(execRegex(parse.regex, 'USER=ann')?.groups?.user).toBe('ann');
});

test('regexes are RE2: linear in the text, and lookarounds refused as AWS refuses them', () => {
  const filter = only(parsed('filter @message like /(a+)+$/'), 'filter');
  const pattern = filter.expr.kind === 'match' ? filter.expr.pattern : undefined;
  expect(pattern?.kind).toBe('regex');
  // 40 a's and a b: a backtracking engine takes about 2^40 steps here.
  expect(pattern?.kind === 'regex' && pattern.regex.test(`${'a'.repeat(40)}b`)).toBe(false);
  expect(() => parsed('filter @message like /a(?=b)/')).toThrow(/invalid regular expression/);
});

test('stats keeps aggregates, aliases and groups with their output names', () => {
  const stats = only(parsed('stats count( * ) , sum(a.b) as total by bin(5m), modelId as m'), 'stats');
  expect(stats.items.map((i) => i.outputName)).toEqual(['count(*)', 'total']);
  expect(stats.groupBy.map((g) => g.outputName)).toEqual(['bin(5m)', 'm']);
  expect(stats.groupBy[0]?.expr).toMatchObject({
    kind: 'call',
    name: 'bin',
    args: [{ kind: 'duration', period: { amount: 5, unit: 'm' } }],
  });
});

test('output names are the expression as written with whitespace normalised', () => {
  const fields = only(parsed('fields concat( a ,  "b" ) , a   +   1, strlen(`x y`)'), 'fields');
  expect(fields.items.map((i) => i.outputName)).toEqual(['concat(a, "b")', 'a + 1', 'strlen(`x y`)']);
});

test('sort keys default to descending', () => {
  const sort = only(parsed('sort a, b asc, c desc'), 'sort');
  expect(sort.keys.map((k) => k.descending)).toEqual([true, false, true]);
});

test('SOURCE takes several groups and START/END', () => {
  const source = only(
    parsed('SOURCE \'/aws/a\' "/aws/b" START=-3600s END=1764230400999 | fields a'),
    'source',
  );
  expect(source).toMatchObject({
    logGroups: ['/aws/a', '/aws/b'],
    startTime: '-3600s',
    endTime: '1764230400999',
  });
});

test.describe('SOURCE logGroups(...), as CWL_QuerySyntax-Source.html documents it', () => {
  const selection = (text: string) => only(parsed(`${text} | fields a`), 'source').selection;

  test('every group', () => {
    expect(selection('SOURCE logGroups()')).toEqual({
      namePrefixes: [],
      accountIdentifiers: [],
      logClasses: [],
    });
  });

  test('prefixes, accounts and a class, as lists or (as the console writes it) a single string', () => {
    expect(
      selection(
        `SOURCE logGroups(accountIdentifiers:['111122223333'], namePrefix: ['a', "b"], class: "STANDARD") START=-1h`,
      ),
    ).toEqual({ namePrefixes: ['a', 'b'], accountIdentifiers: ['111122223333'], logClasses: ['STANDARD'] });
  });

  for (const [text, message] of [
    ["SOURCE logGroups(prefix: ['a'])", 'unexpected symbol found prefix at line 1 and position 17'],
    ["SOURCE logGroups(namePrefix ['a'])", 'unexpected symbol found [ at line 1 and position 28'],
    ['SOURCE logGroups(namePrefix: [a])', 'unexpected symbol found a at line 1 and position 30'],
    ["SOURCE logGroups(namePrefix: ['a'] 'b'", "unexpected symbol found 'b' at line 1 and position 35"],
    ["SOURCE logGroups(namePrefix: ['a']) 'b'", "unexpected symbol found 'b' at line 1 and position 36"],
  ]) {
    test(`refuses ${text}`, () => {
      const result = parseQuery(`${text} | fields a`);
      expect(result.ok ? 'parsed' : result.error.message).toBe(message);
    });
  }
});

test('several SOURCE commands may lead the query', () => {
  const query = parsed("SOURCE 'a' | SOURCE 'b' | stats count()");
  expect(query.commands.map((c) => c.kind)).toEqual(['source', 'source', 'stats']);
});

test('function names are case-insensitive and validated against the table', () => {
  const query = parsed('fields TOUPPER(a) | stats sortsFirst(a), COUNT(*)');
  expect(only(query, 'fields').items[0]?.expr).toMatchObject({ kind: 'call', name: 'toupper' });
  expect(only(query, 'stats').items.map((i) => i.outputName)).toEqual(['sortsFirst(a)', 'COUNT(*)']);
});

test.describe('error positions', () => {
  const cases: [string, string, number, number][] = [
    ['fields a | stats count() by bin(1h) )', 'unexpected symbol found ) at line 1 and position 36', 36, 37],
    ['fields a\n  | filter b >', 'unexpected end of query found at line 2 and position 14', 23, 23],
    ['fields a | sum(b)', 'unknown command sum at line 1 and position 11', 11, 14],
    ['fields a | filter nope(b)', 'unknown function nope at line 1 and position 18', 18, 22],
    [
      'stats count(a, b)',
      'function count expects 0 to 1 argument(s) but got 2 at line 1 and position 6',
      6,
      17,
    ],
    ['filter a = "x', 'unterminated string found at line 1 and position 11', 11, 13],
    ['fields `a', 'unterminated backquoted name found at line 1 and position 7', 7, 9],
    ['fields a @', 'unexpected symbol found @ at line 1 and position 9', 9, 10],
  ];
  for (const [text, message, start, end] of cases) {
    test(text.replace(/\n/g, '\\n'), () => {
      const result = parseQuery(text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toEqual({ message, startCharOffset: start, endCharOffset: end });
    });
  }
});
