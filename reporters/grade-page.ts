import { htmlText } from '../helpers/escape';
import type { Grade } from '../helpers/grade-contract';
import { causeLines, percent } from './grade';

/**
 * `grade.html`: one self-contained page a learner or an instructor opens from disk, offline. The
 * score and its status, the checklist step by step (each check's verdict, points, finding and
 * hint), the notes on the lab and the console checks' screenshots. No script, nothing fetched:
 * every byte is in the file (images as data: URLs), and a Content-Security-Policy says so.
 * Learner-written text reaches it only through htmlText.
 */

const RESULT: Record<Grade['checks'][number]['status'], string> = {
  pass: 'pass',
  fail: 'fail',
  inconclusive: 'inconclusive',
  skipped: 'not run',
};

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #16191f; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
.score { font-size: 1.6rem; } .incomplete { color: #8a4b00; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #d5dbdb; padding: .4rem; text-align: left; vertical-align: top; }
td.pass { color: #037f0c; } td.fail { color: #d91515; font-weight: 600; } td.inconclusive { color: #8a4b00; }
.hint { color: #5f6b7a; display: block; margin-top: .25rem; }
figure { margin: 1rem 0; } figure img { border: 1px solid #d5dbdb; max-width: 100%; }
`;

function page(title: string, body: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${htmlText(title)}</title><style>${STYLE}</style></head><body>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * The largest screenshot the page embeds. The page is one file to mail, upload to an LMS or open
 * in a browser, and base64 makes an image a third larger: a full-page screenshot of a very long
 * console page would make it tens of MB. A larger one is left to the HTML and Allure reports.
 */
const MAX_EMBEDDED_SCREENSHOT_BYTES = 2 * 1024 * 1024;

const statusText = (grade: Grade) => (grade.status === 'complete' ? 'complete' : 'incomplete');

/** The grade as a page; `screenshots` are the console checks' PNGs by check id. */
export function gradePage(grade: Grade, screenshots: ReadonlyMap<string, Buffer> = new Map()): string {
  const h = htmlText;
  const body = [
    `<h1>${h(grade.lab)}</h1>`,
    `<p>Learner <strong>${h(grade.learner)}</strong>, account ${h(grade.accountId ?? 'unknown')}, ${h(grade.region ?? '')} (${h(grade.target ?? '')}, ${h(grade.mode ?? '')} mode)</p>`,
    `<p class="score ${statusText(grade)}">Score: <strong data-score>${grade.score} / ${grade.maxScore}</strong> (${percent(grade)}%), ${statusText(grade)}</p>`,
  ];
  if (grade.partial) {
    body.push(
      `<p><strong>Partial run</strong>: only ${h(grade.partial.checksRun.join(', ') || 'no scored check')} ran.</p>`,
    );
  }
  if (grade.status === 'incomplete') {
    body.push(
      '<p>Checks the grader could not decide earned nothing; grade again once the cause is fixed:</p>',
      `<ul>${causeLines(grade)
        .map((line) => `<li>${h(line)}</li>`)
        .join('')}</ul>`,
    );
  }
  for (const step of [...new Set(grade.checks.map((c) => c.step))].sort((a, b) => a - b)) {
    body.push(
      `<h2>Step ${step}</h2>`,
      '<table><thead><tr><th>Check</th><th>Result</th><th>Points</th><th>Finding</th></tr></thead><tbody>',
      ...grade.checks
        .filter((c) => c.step === step)
        .map(
          (c) =>
            `<tr><td>${h(c.title)}<br><code>${h(c.id)}</code></td><td class="${c.status}">${RESULT[c.status]}</td><td>${c.earned} / ${c.points}</td><td>${h(c.message)}${c.hint ? `<span class="hint">Hint: ${h(c.hint)}</span>` : ''}</td></tr>`,
        ),
      '</tbody></table>',
    );
  }
  if (grade.notes.length) {
    body.push(
      '<h2>Notes on the lab</h2>',
      `<ul>${grade.notes.map((n) => `<li>${h(n.message)}</li>`).join('')}</ul>`,
    );
  }
  const shown = grade.checks.filter((c) => screenshots.has(c.id));
  if (shown.length) {
    body.push(
      '<h2>Console screenshots</h2>',
      ...shown.map((c) => {
        const png = screenshots.get(c.id)!;
        const image =
          png.length > MAX_EMBEDDED_SCREENSHOT_BYTES
            ? `<p>${h(`The screenshot (${megabytes(png.length)}) is larger than the ${megabytes(MAX_EMBEDDED_SCREENSHOT_BYTES)} this page embeds: it is in the HTML report (html/index.html) and the Allure report.`)}</p>`
            : `<img alt="${h(c.title)}" src="data:image/png;base64,${png.toString('base64')}">`;
        return `<figure><figcaption>${h(c.title)} (<code>${h(c.id)}</code>)</figcaption>${image}</figure>`;
      }),
    );
  }
  body.push('<p>The full run is in <code>html/index.html</code>.</p>');
  return page(`${grade.lab}: ${grade.learner}`, body);
}

/** `2.1 MB`; rounded up, so a size just over the cap never reads as the cap. */
const megabytes = (bytes: number) => `${Math.ceil((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** A roster's index: every learner's score and status, each linking to their page. */
export function gradebookPage(grades: readonly Grade[], lab: string): string {
  const h = htmlText;
  return page(`${lab}: gradebook`, [
    `<h1>${h(lab)}</h1>`,
    '<table><thead><tr><th>Learner</th><th>Account</th><th>Score</th><th>Status</th></tr></thead><tbody>',
    ...grades.map(
      (g) =>
        `<tr><td><a href="grades/${encodeURIComponent(g.learner)}.html">${h(g.learner)}</a></td><td>${h(g.accountId ?? '')}</td><td data-score>${g.score} / ${g.maxScore}</td><td class="${statusText(g)}">${statusText(g)}</td></tr>`,
    ),
    '</tbody></table>',
  ]);
}
