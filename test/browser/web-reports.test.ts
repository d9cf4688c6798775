/**
 * After the award, in the societies' web app, in Debian's Chromium on a phone-sized screen: the
 * secretary reads the outcome (awarded, the experts' score, the rank, the amount) and what the
 * project owes with due dates in Beijing time; opens the forum's statistics report, fills its
 * fields (a bad one is named next to it), uploads the signed PDF straight to the files bucket with
 * the presigned URL the API gives (the progress bar reaches the end) and hands it in: SUBMITTED.
 * Staff return it from their task link with a reason; the secretary reads the reason on the page,
 * hands it in again with the fields kept, and sees it accepted. axe-core finds no serious or
 * critical violation on any page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWebApp } from '@infra/local/web-app';
import { awardThrough } from '../support/award';
import { PHONE } from '../support/browser';
import { AxeFindings, launchChromium, signInLocally } from '../support/web-app-browser';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { eventually, type StoredEmail } from '../support/local';
import { FORUM_STATISTICS, PDF } from '../support/reports';
import { followLink, taskLinkIn } from '../support/task-links';

const stack = useLocalStack({ webRoot: buildWebApp() });
const { api } = stack;
const UNIT = 'gd-physics-society';
const CALL = 'gdast-2024';
const TITLE = String(example('lingnan-forum').title);
/** The type's contact, who reviews its reports (the call data). */
const REVIEWER = 'dengmei@gdast.example.org';

let browser: Browser;
let applicationId: string;
let files: string;
const axe = new AxeFindings({ prefix: 'web-', only: new Set() });
const checkAccessibility = (page: Page, name: string) => axe.check(page, name);

const signIn = (context: BrowserContext) =>
  signInLocally(context, stack.urls.web, /以此学会登录：广东省物理学会/, '我的申报');

/** The review requests for this application's reports sent to the reviewer so far, oldest first. */
const reviewRequests = async (): Promise<StoredEmail[]> =>
  (await stack.emails()).filter(
    (e) =>
      e.destination.to.includes(REVIEWER) && e.subject.includes('报告') && (e.body.text ?? '').includes(applicationId),
  );
const nthReviewRequest = (n: number) =>
  eventually(
    async () => {
      const found = await reviewRequests();
      return found.length >= n ? found[n - 1] : undefined;
    },
    20_000,
    `review request ${n}`,
  );

/** Chooses a file and waits until its upload has reached the end: the bar full, the words say so. */
async function uploadPdf(page: Page, file: string): Promise<void> {
  await page.getByLabel(/^附件：签章的报告PDF/).setInputFiles(file);
  const progress = page.getByLabel(`上传进度：${path.basename(file)}`, { exact: true });
  await progress.waitFor();
  // The bar counts the file's bytes; full once S3 has them all.
  expect(await progress.getAttribute('max')).toBe(String(PDF.length));
  await eventually(
    async () => ((await progress.getAttribute('value')) === String(PDF.length) ? true : undefined),
    10_000,
    'the upload to reach the end',
  );
  await page
    .locator('.uploads li')
    .filter({ hasText: path.basename(file) })
    .getByText('已上传')
    .waitFor();
}

beforeAll(async () => {
  files = mkdtempSync(path.join(tmpdir(), 'web-reports-'));
  const token = await api.unitToken(UNIT);
  const submitted = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example('lingnan-forum') });
  expect(submitted.status).toBe(201);
  applicationId = submitted.body.applicationId;
  await awardThrough(api, () => stack.emails(), [{ token, applicationId }]);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

test('the secretary reads the outcome and the reports owed, and hands in the statistics with a PDF', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await signIn(context);
  const row = page.getByRole('listitem').filter({ hasText: TITLE });
  await row.first().waitFor();
  expect(await row.first().innerText()).toContain('已立项');
  await checkAccessibility(page, 'home after the award');
  await row.first().getByRole('link', { name: TITLE }).click();

  const outcome = page.getByRole('region', { name: '评审与立项结果' });
  await outcome.waitFor();
  const outcomeText = await outcome.innerText();
  expect(outcomeText).toContain('已立项');
  expect(outcomeText).toContain('80分'); // every expert scored 80
  expect(outcomeText).toMatch(/第1名（本类型共1项参评/);
  expect(outcomeText).toMatch(/资助金额\s*[\d.]+万元/);
  const owed = page.getByRole('region', { name: '立项后的义务与报告' });
  const statistics = owed.getByRole('listitem').filter({ hasText: '论坛统计数据' });
  // Due a week after the forum's end (2024-10-19), at the end of the day in Beijing.
  expect(await statistics.innerText()).toContain('2024年10月26日 23:59（北京时间）');
  expect(await statistics.innerText()).toContain('待提交');
  expect(await owed.getByRole('listitem').filter({ hasText: '项目总结报告' }).innerText()).toContain('截止日期待定');
  await checkAccessibility(page, 'awarded application');

  await statistics.getByRole('link', { name: '论坛统计数据' }).click();
  await page.getByRole('heading', { name: '论坛统计数据', level: 1 }).waitFor();
  expect(await page.getByRole('status').filter({ hasText: '待提交' }).count()).toBe(1);
  await checkAccessibility(page, 'report');

  await page.getByLabel('论坛开始日期').fill(FORUM_STATISTICS.startDate);
  await page.getByLabel('论坛结束日期').fill(FORUM_STATISTICS.endDate);
  await page.getByLabel('线下参会人数').fill(String(FORUM_STATISTICS.offlineAttendance));
  await page.getByLabel('线上参会人数').fill(String(FORUM_STATISTICS.onlineAttendance));
  await page.getByLabel('报告嘉宾人数').fill(String(FORUM_STATISTICS.speakers));
  await page.getByLabel('征集论文数').fill('-1');
  await page.getByLabel('征集论文数').blur();
  // A bad field is named next to it as it is left, with the schema the API checks with.
  expect(await page.locator('#r-papers-problems').innerText()).toContain('数值过小');
  expect(await page.getByLabel('征集论文数').getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('征集论文数').fill(String(FORUM_STATISTICS.papers));
  await page.getByLabel('征集论文数').blur();
  expect(await page.locator('#r-papers-problems').count()).toBe(0);

  // Handing it in without the files or a field: every problem at once, each by its field.
  await page.getByRole('button', { name: '提交报告' }).click();
  await page.getByRole('alert').filter({ hasText: '需要修改' }).waitFor();
  expect(await page.locator('#r-mediaReports-problems').innerText()).toContain('必填');
  expect(await page.locator('#r-files-problems').innerText()).toContain('PDF');
  await checkAccessibility(page, 'report with problems');
  await page.getByLabel('媒体报道数').fill(String(FORUM_STATISTICS.mediaReports));

  const pdf = path.join(files, '论坛统计.pdf');
  writeFileSync(pdf, PDF);
  await uploadPdf(page, pdf);
  expect(await page.locator('#r-files-problems').count()).toBe(0);
  expect(await page.getByRole('button', { name: '移除 论坛统计.pdf' }).isVisible()).toBe(true);
  await checkAccessibility(page, 'report with its file');
  await page.getByRole('button', { name: '提交报告' }).click();
  await page.getByRole('status').filter({ hasText: '已提交，待省科协审核' }).waitFor();
  expect(await page.getByRole('button', { name: '提交报告' }).count()).toBe(0);
  await checkAccessibility(page, 'report submitted');

  const token = await api.unitToken(UNIT);
  const mine = (await api.request('GET', '/units/me/obligations', { token })).body.obligations.find(
    (o: { applicationId: string; kind: string }) => o.applicationId === applicationId && o.kind === 'forum-statistics',
  );
  expect(mine).toMatchObject({ state: 'SUBMITTED', submissions: 1 });

  // Staff return it from the link in their email, with a reason.
  const request = await nthReviewRequest(1);
  const review = await followLink(taskLinkIn(request), { html: true });
  expect(review.body).toContain('论坛统计.pdf');
  const returned = await followLink(taskLinkIn(request), {
    answer: { answer: 'return', reasons: ['请补充线上参会人数的统计口径'] },
  });
  expect(returned.status).toBe(200);

  await page.reload();
  const reasons = page.getByRole('region', { name: '退回意见' });
  await reasons.waitFor();
  expect(await reasons.innerText()).toContain('请补充线上参会人数的统计口径');
  expect(await page.getByRole('status').filter({ hasText: '退回修改' }).count()).toBe(1);
  // What was typed is kept: only what the reviewer asked for changes.
  expect(await page.getByLabel('线下参会人数').inputValue()).toBe(String(FORUM_STATISTICS.offlineAttendance));
  await checkAccessibility(page, 'report returned');
  await page.getByLabel('备注（选填）').fill('线上参会人数为直播平台去重统计');
  const revised = path.join(files, '论坛统计-修订.pdf');
  writeFileSync(revised, PDF);
  await uploadPdf(page, revised);
  const handIns: number[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().endsWith(`/applications/${applicationId}/reports/forum-statistics`))
      handIns.push(r.status());
  });
  // A double click hands it in once.
  await page.getByRole('button', { name: '重新提交报告' }).dblclick();
  await page.getByRole('status').filter({ hasText: '已提交，待省科协审核' }).waitFor();
  expect(handIns).toEqual([201]);

  const again = await nthReviewRequest(2);
  expect((await followLink(taskLinkIn(again), { answer: { answer: 'accept' } })).status).toBe(200);
  await page.getByRole('link', { name: TITLE }).click();
  const accepted = page
    .getByRole('region', { name: '立项后的义务与报告' })
    .getByRole('listitem')
    .filter({ hasText: '论坛统计数据' });
  await accepted.getByText('已通过审核').waitFor();
  await checkAccessibility(page, 'application with the report accepted');
  // In English too: the state in words, the due date in Beijing time, the outcome.
  await page.getByRole('button', { name: 'English' }).click();
  const english = page
    .getByRole('region', { name: 'Duties and reports after the award' })
    .getByRole('listitem')
    .filter({ hasText: 'forum statistics' });
  expect(await english.innerText()).toMatch(/Accepted[\s\S]*26 Oct 2024, 23:59 \(Beijing time\)/);
  expect(await page.getByRole('region', { name: 'Review and award outcome' }).innerText()).toContain('80 points');
  await checkAccessibility(page, 'application in English');
  await page.getByRole('button', { name: '中文' }).click();
  await context.close();
});

test('axe-core found no serious or critical violation on any page', () => {
  expect(axe.found).toEqual([]);
});
