import { xmlText } from '../helpers/escape';
import type { Grade } from '../helpers/grade-contract';
import { ACT, percent } from './grade';

/**
 * The grades as JUnit XML: one suite per learner, one case per check. A failed check is a
 * failure with its finding and hint; an inconclusive one is skipped with its reason and who must
 * act; the suite's properties carry the score and whether the grade is complete.
 */
export function junitXml(grades: Grade[]): string {
  const x = xmlText;
  const suites = grades.map((g) => {
    const count = (status: string) => g.checks.filter((c) => c.status === status).length;
    const cases = g.checks.map((c) => {
      const head = `    <testcase classname="${x(`Step ${c.step}`)}" name="${x(`${c.id}: ${c.title}`)}" time="0">`;
      if (c.status === 'pass') return `${head}</testcase>`;
      if (c.status === 'fail') {
        const text = `${c.message}${c.hint ? `\nHint: ${c.hint}` : ''}`;
        return `${head}\n      <failure message="${x(c.message)}" type="fail">${x(text)}</failure>\n    </testcase>`;
      }
      const reason =
        c.status === 'inconclusive'
          ? `Inconclusive (${ACT[c.actor ?? 'instructor']}): ${c.message}${c.hint ? ` Hint: ${c.hint}` : ''}`
          : `Not run: ${c.message}`;
      return `${head}\n      <skipped message="${x(reason)}"/>\n    </testcase>`;
    });
    const properties = [
      ['score', String(g.score)],
      ['max_score', String(g.maxScore)],
      ['percent', percent(g)],
      ['status', g.status],
    ].map(([name, value]) => `      <property name="${name}" value="${x(value!)}"/>`);
    return [
      `  <testsuite name="${x(`${g.lab}: ${g.learner}`)}" tests="${g.checks.length}" failures="${count('fail')}" skipped="${count('inconclusive') + count('skipped')}" errors="0" timestamp="${x(g.startedAt)}">`,
      '    <properties>',
      ...properties,
      '    </properties>',
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
}
