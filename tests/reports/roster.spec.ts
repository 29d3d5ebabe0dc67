import { expect, test } from '@playwright/test';
import { parseRoster, RosterError, settingsForLearner } from '../../helpers/roster';
import { readSettings, SettingsError } from '../../helpers/settings';
import { percent, summarize } from '../../reporters/grade';
import { gradebookCsv, gradebookMarkdown } from '../../reporters/gradebook';
import type { Grade } from '../../helpers/grade-contract';
import { definition } from '../../specs/genai-monitoring/lab/definition';

const HEADER = 'learner_id,account_id,role_arn,region';
const ROLE = 'arn:aws:iam::012345678901:role/LabGrader';

function problems(text: string): string[] {
  try {
    parseRoster(text, 'roster.csv');
  } catch (error) {
    expect(error).toBeInstanceOf(RosterError);
    return (error as Error).message.split('\n');
  }
  throw new Error('the roster was accepted');
}

test.describe('parseRoster', () => {
  test('reads every column as text: leading zeros, quoted commas, a BOM, any column order', () => {
    const text =
      '\uFEFFregion, Learner_ID ,account_id,role_arn,external_id,profile\r\n' +
      `us-east-1,ada,012345678901,${ROLE},"ext,with,commas",\r\n` +
      '\r\n' +
      'eu-west-1,bo@example.edu,000000000042,,,bo-profile\r\n';
    expect(parseRoster(text)).toEqual([
      { learnerId: 'ada', accountId: '012345678901', roleArn: ROLE, region: 'us-east-1', externalId: 'ext,with,commas' },
      { learnerId: 'bo@example.edu', accountId: '000000000042', region: 'eu-west-1', profile: 'bo-profile' },
    ]);
  });

  test('names the line and column of every problem at once', () => {
    const text = [
      HEADER,
      `ada,12345,${ROLE},us-east-1`,
      'bo,123456789012,arn:aws:iam::123456789012:user/bo,us-east-1',
      'a b,123456789012,,Virginia',
      `ADA,123456789012,${ROLE},us-east-1`,
    ].join('\n');
    expect(problems(text)).toEqual([
      'roster.csv line 2, column account_id: "12345" is not a 12-digit account id (keep its leading zeros).',
      'roster.csv line 3, column role_arn: "arn:aws:iam::123456789012:user/bo" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).',
      'roster.csv line 4, column learner_id: "a b" may hold only letters, digits and . _ @ + - (at most 64, starting with a letter or digit).',
      'roster.csv line 4, column role_arn: empty: give the role the grader assumes, or a profile.',
      'roster.csv line 4, column region: "Virginia" is not an AWS region.',
      'roster.csv line 5, column learner_id: "ADA" is already on line 2.',
      "roster.csv line 5, column role_arn: the role is in account 012345678901, not the learner's 123456789012.",
    ]);
  });

  test('header problems: missing and repeated columns', () => {
    expect(problems('learner_id,account_id,region,name,region\n')).toEqual([
      'roster.csv line 1, column 5: the column region appears twice.',
      'roster.csv line 1: the header has no role_arn column.',
    ]);
  });

  test('columns of an LMS export (email, name) are kept out and named once in a warning', () => {
    const warnings: string[] = [];
    const text = `${HEADER},email\nada,012345678901,${ROLE},us-east-1,ada@example.edu\n`;
    expect(parseRoster(text, 'roster.csv', (w) => warnings.push(w))).toEqual([
      { learnerId: 'ada', accountId: '012345678901', roleArn: ROLE, region: 'us-east-1' },
    ]);
    expect(warnings).toEqual([
      'roster.csv line 1, column 5: the column "email" is not the grader\'s (learner_id, account_id, role_arn, region, external_id, profile): ignored.',
    ]);
  });

  test('a row with more values than columns is refused, not cut short', () => {
    expect(problems(`${HEADER}\nada,012345678901,${ROLE},us-east-1,extra`)).toEqual([
      'roster.csv line 2: 5 values for 4 columns (a comma inside a value needs quotes).',
    ]);
  });

  test('empty files, a header alone, and broken quoting', () => {
    expect(problems('')[0]).toContain('the roster is empty');
    expect(problems(`${HEADER}\n`)).toEqual(['roster.csv: the roster has a header but no learners.']);
    expect(problems(`${HEADER}\n"ada,012345678901`)[0]).toMatch(/^roster\.csv: not a readable CSV file: .*Quote Not Closed/);
  });

  test('a learner’s settings: their id, region and expected account', () => {
    const [learner] = parseRoster(`${HEADER}\nada,012345678901,${ROLE},eu-west-1`);
    const settings = settingsForLearner(readSettings({ LAB_ROSTER: 'class.csv' }), learner!);
    expect(settings).toMatchObject({ learner: 'ada', region: 'eu-west-1', expectedAccount: '012345678901' });
  });
});

test.describe('roster settings', () => {
  test('LAB_ROSTER with LAB_MODE=run is refused, saying why', () => {
    expect(() => readSettings({ LAB_ROSTER: 'class.csv', LAB_MODE: 'run' })).toThrow(SettingsError);
    expect(() => readSettings({ LAB_ROSTER: 'class.csv', LAB_MODE: 'run' })).toThrow(/grade mode/);
  });

  test('LAB_CONCURRENCY is a positive whole number', () => {
    expect(readSettings({ LAB_CONCURRENCY: '8' }).concurrency).toBe(8);
    expect(readSettings({}).concurrency).toBeUndefined();
    expect(() => readSettings({ LAB_CONCURRENCY: 'many' })).toThrow(/LAB_CONCURRENCY/);
  });
});

function gradeOf(learner: string, earned: Record<string, number | 'inconclusive' | 'skipped'>): Grade {
  const checks = definition.rubric.map((item) => {
    const value = earned[item.id] ?? 'skipped';
    const status = typeof value === 'number' ? (value > 0 ? 'pass' : 'fail') : value;
    return {
      id: item.id,
      step: item.step,
      title: item.title,
      status,
      points: item.points,
      earned: typeof value === 'number' ? value : 0,
      message: status === 'inconclusive' ? 'AWS throttled the grader' : '',
      hint: '',
      ...(status === 'inconclusive' && { actor: 'instructor' }),
    } as Grade['checks'][number];
  });
  return {
    lab: 'Lab 5',
    labId: 'genai-monitoring',
    learner,
    accountId: '012345678901',
    startedAt: '',
    finishedAt: '',
    ...summarize(checks, definition),
    checks,
    notes: [{ id: 'n', message: 'a note on the lab' }],
  };
}

test.describe('gradebook', () => {
  test('keeps fractions, spells out inconclusive, and keeps account ids as text', () => {
    const grade = gradeOf('ada', { 'logging.enabled': 7.5, 'logging.log-group': 0, 'logging.role': 'inconclusive' });
    const [header, row] = gradebookCsv([grade], definition).trimEnd().split('\n');
    expect(header).toBe(
      `learner_id,account_id,score,max_score,percent,status,${definition.rubric.map((item) => item.id).join(',')}`,
    );
    expect(row!.split(',').slice(0, 10)).toEqual([
      'ada',
      '012345678901',
      '7.5',
      '100',
      '7.5',
      'incomplete',
      '7.5',
      '0',
      'skipped',
      'inconclusive',
    ]);
  });

  test('percent: the score over the full points, to two decimals', () => {
    expect(percent({ score: 2, maxScore: 3 })).toBe('66.67');
    expect(percent({ score: 40, maxScore: 100 })).toBe('40');
  });

  test('the markdown gradebook: a line per learner, the lab notes once', () => {
    const markdown = gradebookMarkdown(
      [gradeOf('ada', { 'logging.enabled': 10 }), gradeOf('bo|x', { 'logging.enabled': 10, 'logging.role': 'inconclusive' })],
      'Lab 5',
    );
    expect(markdown).toContain('| ada | 012345678901 | 10/100 | 10 | complete | 1 | 0 | 0 |  |');
    expect(markdown).toContain(
      '| bo\\|x | 012345678901 | 10/100 | 10 | **incomplete** | 1 | 0 | 1 | Cause (whoever runs the grader must act; logging.role): AWS throttled the grader |',
    );
    expect(markdown.match(/a note on the lab/g)).toHaveLength(1);
  });
});

test.describe('score semantics', () => {
  const scored = definition.rubric.filter((item) => item.points > 0);

  test('no mix of passed, failed and inconclusive checks scores above the points earned out of 100', () => {
    // Every one of the 3^12 ways the scored checks can end.
    let combinations = 0;
    for (let code = 0; code < 3 ** scored.length; code++) {
      const earned: Record<string, number | 'inconclusive'> = {};
      let passed = 0;
      let undecided = 0;
      scored.forEach((item, i) => {
        const outcome = Math.floor(code / 3 ** i) % 3;
        if (outcome === 0) {
          earned[item.id] = item.points;
          passed += item.points;
        } else if (outcome === 1) earned[item.id] = 0;
        else {
          earned[item.id] = 'inconclusive';
          undecided++;
        }
      });
      const grade = gradeOf('x', earned);
      if (grade.score !== passed || grade.maxScore !== 100 || Number(percent(grade)) > passed)
        throw new Error(`${JSON.stringify(earned)} gave ${grade.score}/${grade.maxScore} (${percent(grade)}%)`);
      if ((grade.status === 'incomplete') !== undecided > 0 || grade.inconclusive.length !== undecided)
        throw new Error(`${JSON.stringify(earned)} gave status ${grade.status}`);
      combinations++;
    }
    expect(combinations).toBe(531_441);
  });

  test('blocking the grader never raises a grade: turning a failed check inconclusive keeps the percent', () => {
    const partial = gradeOf('x', { 'logging.enabled': 10, 'dashboard.exists': 6, 'invocations.count': 0 });
    const sabotaged = gradeOf('x', {
      'logging.enabled': 10,
      'dashboard.exists': 6,
      'invocations.count': 'inconclusive',
    });
    expect(percent(sabotaged)).toBe(percent(partial));
    expect(sabotaged.status).toBe('incomplete');
  });
});
