import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Grade, RecordedVerdict } from '../../helpers/grade-contract';
import { consoleLaunchOptions } from '../../helpers/console/browser';
import { definition } from '../../specs/genai-monitoring/lab/definition';
import { summarize } from '../../reporters/grade';
import { gradebookPage, gradePage } from '../../reporters/grade-page';

test.use({ launchOptions: consoleLaunchOptions() });

const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script> "quoted" & more';

/** A grade with every check passed but two: a failure whose finding a learner wrote, and one undecided. */
function sampleGrade(): Grade {
  const checks: RecordedVerdict[] = definition.rubric.map((item) => ({
    id: item.id,
    step: item.step,
    title: item.title,
    status: 'pass',
    points: item.points,
    earned: item.points,
    message: `${item.title}.`,
    hint: '',
  }));
  Object.assign(checks[5]!, {
    status: 'fail',
    earned: 0,
    message: `The dashboard ${HOSTILE} has no widget.`,
    hint: 'Add the widgets of Step 4.',
  });
  Object.assign(checks[6]!, {
    status: 'inconclusive',
    earned: 0,
    message: 'throttled by AWS',
    actor: 'instructor',
  });
  return {
    lab: 'Lab 5: Monitoring GenAI Applications with CloudWatch',
    labId: 'genai-monitoring',
    learner: 'ada',
    accountId: '123456789012',
    region: 'us-east-1',
    target: 'local',
    mode: 'grade',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    ...summarize(checks, definition),
    checks,
    notes: [{ id: 'lab.widget-fields', message: `A note naming ${HOSTILE}` }],
  };
}

test('the page carries the score, the status and every check, and learner text stays text', () => {
  const grade = sampleGrade();
  const html = gradePage(grade);
  expect(html).toContain(`<strong data-score>${grade.score} / 100</strong>`);
  expect(html).toContain('incomplete');
  for (const check of definition.rubric) expect(html).toContain(`<code>${check.id}</code>`);
  expect(html).toContain('Hint: Add the widgets of Step 4.');
  expect(html).not.toMatch(/<script|<img/);
  expect(html).toContain('&lt;script&gt;');
  expect(html).toContain(`default-src 'none'`);
});

test('opened from disk in Chromium: the score reads from the page, the learner’s markup is inert', async ({
  page,
}) => {
  const grade = sampleGrade();
  const dir = mkdtempSync(join(tmpdir(), 'grade-page-'));
  writeFileSync(join(dir, 'grade.html'), gradePage(grade));
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => void dialog.dismiss().then(() => dialogs.push(dialog.message())));
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(join(dir, 'grade.html')).href);
  await expect(page.locator('[data-score]')).toHaveText(`${grade.score} / 100`);
  await expect(page.getByText(/incomplete/).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Step 4' })).toBeVisible();
  await expect(page.getByText(HOSTILE).first()).toBeVisible(); // shown as text
  expect(dialogs, 'no script ran').toEqual([]);
  expect(requests, 'nothing but the page is loaded').toHaveLength(1);
  expect((await page.screenshot({ fullPage: true })).length).toBeGreaterThan(10_000);
});

test('a roster’s index lists every learner’s score and status, each linking to their page', () => {
  const ada = sampleGrade();
  const bo = { ...sampleGrade(), learner: 'bo@example.edu', score: 100, status: 'complete' as const };
  const html = gradebookPage([ada, bo], ada.lab);
  expect(html).toContain('<a href="grades/ada.html">ada</a>');
  expect(html).toContain('<a href="grades/bo%40example.edu.html">bo@example.edu</a>');
  expect(html).toContain(`<td data-score>${ada.score} / 100</td>`);
  expect(html).toContain('<td data-score>100 / 100</td>');
});

test('console screenshots are in the page itself: shown from disk with nothing fetched', async ({ page }) => {
  await page.setContent('<h1 style="color: teal">The dashboard GenAI-Monitoring</h1>');
  const screenshot = await page.screenshot();
  const grade = sampleGrade();
  const dir = mkdtempSync(join(tmpdir(), 'grade-page-'));
  writeFileSync(join(dir, 'grade.html'), gradePage(grade, new Map([['console.dashboard', screenshot]])));
  const fetched: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('data:')) fetched.push(request.url());
  });
  await page.goto(pathToFileURL(join(dir, 'grade.html')).href);
  const image = page.getByRole('img', { name: definition.rubric.find((i) => i.id === 'console.dashboard')!.title });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(fetched, 'nothing but the page is loaded').toHaveLength(1);
});

test('a screenshot over 2 MB is left out of the page, which says where it is instead', () => {
  const small = Buffer.from('a small PNG');
  const large = Buffer.alloc(2 * 1024 * 1024 + 1);
  const html = gradePage(
    sampleGrade(),
    new Map([
      ['console.dashboard', small],
      ['console.bedrock-settings', large],
    ]),
  );
  expect(html).toContain(`src="data:image/png;base64,${small.toString('base64')}"`);
  expect(html.match(/<img /g)).toHaveLength(1);
  expect(html.length, 'the large image is not in the page').toBeLessThan(100_000);
  const title = definition.rubric.find((i) => i.id === 'console.bedrock-settings')!.title;
  expect(html).toContain(
    `<figure><figcaption>${title} (<code>console.bedrock-settings</code>)</figcaption><p>The screenshot (2.1 MB) is larger than the 2 MB this page embeds: it is in the HTML report (html/index.html) and the Allure report.</p></figure>`,
  );
});
