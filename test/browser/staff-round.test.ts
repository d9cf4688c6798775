/**
 * The association's staff run the call's later stages from the web app, in Debian's Chromium on a
 * phone-sized screen: start the expert review round (asked to confirm first; while every expert is
 * in conflict with one unit, refused with that unit's application listed as what to fix, then
 * started once the pool is put back); the experts score from the links in their emails, as they
 * would, three of one panel staying silent; a proposal asked for before the review deadline is
 * refused with the API's reason in words; past the deadline the silent panel is short of scores,
 * and staff add an expert to it (an unknown expert and a past date refused in words first), who
 * scores; then staff propose the award and read the ranked table (ranks, scores, the tie-break's
 * reason, the unfilled and unawarded places); the department head sends it back from their link and
 * staff, reloading, read the head's reasons from the API and propose again; once the head confirms,
 * staff publish the results and download the CSV, read here as a spreadsheet reads it; on the
 * reports page they open the reporting round (a past date refused), and once its date has passed
 * the summary report is on the overdue list and in its CSV. The reports page reads in English too.
 * axe-core finds no serious or critical violation on any page.
 */
import { readFileSync } from 'node:fs';
import seededExperts from '@seeds/experts.json';
import type { Browser, Locator, Page } from 'playwright-core';
import { buildWebApp } from '@infra/local/web-app';
import { expertScore } from '../support/award';
import { PHONE } from '../support/browser';
import { AxeFindings, launchChromium } from '../support/web-app-browser';
import { useLocalStack } from '../support/e2e';
import { call, example } from '../support/fixtures';
import { eventually } from '../support/local';
import { runSweep } from '../support/jobs';
import { readsAsFormula, spreadsheetCells } from '../support/spreadsheet';
import { followLink, passStaffStages, taskLinkIn, taskLinksIn } from '../support/task-links';

const stack = useLocalStack({ webRoot: buildWebApp() });
const { api } = stack;
const CALL = 'gdast-2024';
/** A type with a quota of 1: two applications scored alike, so a tie-break decides and one is not awarded. */
const TYPE = 'communication-programme';
const TYPE_NAME = call().projectTypes.find((t) => t.typeId === TYPE)!.name.zh;
const APPS = [
  { unitId: 'gd-physics-society', title: '科技传播计划：量子科普进校园' },
  { unitId: 'gd-chemistry-society', title: '科技传播计划：化学与生活' },
];
const STAFF = /以工作人员登录：.*dengmei@gdast\.example\.org/;

let browser: Browser;
const applications: Array<{ applicationId: string; token: string; title: string }> = [];
/** The pages whose pictures `WEB_SCREENSHOTS=1` saves to docs/ (web-staff-<name>.png). */
const PICTURED = new Set(['review infeasible', 'review short of scores', 'award proposed', 'reports overdue']);
const axe = new AxeFindings({ prefix: 'web-staff-', only: PICTURED, fullPage: PICTURED });
const checkAccessibility = (page: Page, name: string) => axe.check(page, name);

/** Clicks a button whose action asks for confirmation first, and answers the question yes; returns the question. */
async function clickConfirmed(page: Page, name: string): Promise<string> {
  const asked = page.waitForEvent('dialog').then(async (dialog) => {
    const question = dialog.message();
    await dialog.accept();
    return question;
  });
  await page.getByRole('button', { name }).click();
  return asked;
}

/** Runs the deadline sweep until `shown` is on the page: what a call-level job the page follows makes. */
const sweepUntilShown = (shown: Locator) =>
  eventually(
    async () => {
      if ((await shown.count()) > 0) return true;
      await runSweep(api);
      return undefined;
    },
    60_000,
    'the job to end and its outcome to show',
  );

beforeAll(async () => {
  // Submitted one after the other, so the earlier submission wins the tie (the department's assumption).
  for (const app of APPS) {
    const token = await api.unitToken(app.unitId);
    const submitted = await api.request('POST', `/calls/${CALL}/applications`, {
      token,
      body: { ...example(TYPE), title: app.title },
    });
    expect(submitted.status).toBe(201);
    applications.push({ applicationId: submitted.body.applicationId, token, title: app.title });
  }
  for (const app of applications) await passStaffStages(() => stack.emails(), app.applicationId);
  for (const app of applications) await api.waitForStatus(app.token, app.applicationId, 'READY_FOR_EXPERT_REVIEW');
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

test('staff start the round, top up a panel, propose, publish, download the results and chase the reports', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(stack.urls.web);
  await page.getByRole('button', { name: STAFF }).click();
  await page.getByRole('heading', { name: '我的待办' }).waitFor();

  // The review round, started from the page after a yes to its question.
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '专家评审' }).click();
  await page.getByRole('heading', { name: '专家评审', level: 1 }).waitFor();
  const round = page.getByRole('region', { name: '评审轮次' });
  await round.getByText('尚未开始').waitFor();
  expect(await round.innerText()).toContain('2项申报已通过工作人员审核');
  await checkAccessibility(page, 'review before the round');

  // Every expert made a member of the second unit: nobody may review its application, and the round
  // is refused with that application named as what to fix; nothing is assigned.
  const staffToken = await api.staffToken();
  const putExperts = async (change: (unitIds: string[]) => string[]) => {
    for (const { expertId, ...expert } of seededExperts) {
      const put = await api.request('PUT', `/experts/${expertId}`, {
        token: staffToken,
        body: { ...expert, unitIds: change(expert.unitIds) },
      });
      expect(put.status).toBe(200);
    }
  };
  await putExperts((unitIds) => [...new Set([...unitIds, APPS[1].unitId])]);
  await clickConfirmed(page, '开始专家评审');
  const infeasible = round.getByRole('alert');
  await infeasible.waitFor();
  expect(await infeasible.innerText()).toContain('专家库不足以评审全部申报');
  const toFix = await infeasible.getByRole('listitem').allInnerTexts();
  expect(toFix).toHaveLength(1);
  expect(toFix[0]).toContain(`申报 ${applications[1].applicationId}：`);
  await checkAccessibility(page, 'review infeasible');
  await putExperts((unitIds) => unitIds);

  const question = await clickConfirmed(page, '开始专家评审');
  expect(question).toContain('不能撤销');
  await page.getByRole('status').filter({ hasText: '评审已开始' }).waitFor();
  await round.getByText(/已开始（/).waitFor();
  expect(await round.innerText()).toMatch(/分配的申报\s*2/);
  await checkAccessibility(page, 'review under way');

  // The experts answer from the links in their emails: all of the first panel score 80, two of the second.
  const links = await eventually(
    async () => {
      const found = (await stack.emails())
        .filter((e) => e.subject.startsWith('【专家评审邀请】'))
        .flatMap((e) => taskLinksIn(e));
      return found.length === applications.length * call().review.expertsPerApplication ? found : undefined;
    },
    30_000,
    'every expert link',
  );
  const panels = new Map<string, string[]>();
  for (const link of links) {
    const { applicationId } = (await followLink(link)).body as { applicationId: string };
    panels.set(applicationId, [...(panels.get(applicationId) ?? []), link]);
  }
  const [early, late] = applications;
  for (const link of panels.get(early.applicationId)!)
    expect((await followLink(link, { answer: expertScore(80) })).status).toBe(200);
  for (const link of panels.get(late.applicationId)!.slice(0, 2))
    expect((await followLink(link, { answer: expertScore(80) })).status).toBe(200);
  await api.waitForStatus(early.token, early.applicationId, 'SCORED', 30_000);
  await page.getByRole('button', { name: '刷新进度' }).click();
  const progress = page.getByRole('region', { name: '各状态的申报数' });
  await progress.getByRole('row', { name: '评审完成 1' }).waitFor();
  await progress.getByRole('row', { name: '专家评审中 1' }).waitFor();
  expect(await page.getByRole('region', { name: '评分不足的申报' }).innerText()).toContain('目前没有评分不足的申报');

  // Before the review deadline the API refuses the proposal, and the page says why.
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '立项' }).click();
  await page.getByRole('heading', { name: '立项', level: 1 }).waitFor();
  await page.getByRole('status').filter({ hasText: '立项尚未确认' }).waitFor();
  await clickConfirmed(page, '提出立项建议');
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  expect(await refusal.innerText()).toContain('尚未到这一步');
  expect(await refusal.innerText()).toContain('the review deadline is');
  await checkAccessibility(page, 'award refused');

  // The deadline passes with three of the second panel silent: it is short of scores, and staff top it up.
  await stack.setClock('2023-11-01T09:00:00+08:00', true);
  await api.waitForStatus(late.token, late.applicationId, 'SHORT_OF_SCORES', 30_000);
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '专家评审' }).click();
  const short = page
    .getByRole('region', { name: '评分不足的申报' })
    .getByRole('listitem')
    .filter({ hasText: late.title });
  await short.waitFor();
  expect(await short.innerText()).toContain('有效评分2份，需要3份');
  await checkAccessibility(page, 'review short of scores');
  const expertField = short.getByLabel('增加专家：专家编号（留空则自动选择）');
  const expertDue = short.getByLabel(/^新专家的评审截止日期/);
  // An expert who is not in the pool, then a date already past: each refusal in words, nothing changed.
  await expertField.fill('exp-999');
  expect(await clickConfirmed(page, '增加专家')).toContain('exp-999');
  expect(await short.getByRole('alert').innerText()).toContain('未找到');
  await expertField.fill('');
  await expertDue.fill('2023-10-01');
  await clickConfirmed(page, '增加专家');
  await short.getByRole('alert').filter({ hasText: '填写有误' }).waitFor();
  expect(await short.getByRole('alert').innerText()).toContain('dueOn (2023-10-01) is before today (2023-11-01)');
  await checkAccessibility(page, 'review refusal');
  // More time for its experts, with a date already past: refused by the extension's own form.
  await short.getByLabel('延长评审期限至').fill('2023-10-01');
  expect(await clickConfirmed(page, '延长期限')).toContain('2023-10-01');
  expect(await short.getByRole('alert').nth(1).innerText()).toContain(
    'dueOn (2023-10-01) is before today (2023-11-01)',
  );
  await expertDue.fill('2023-11-08');
  expect(await clickConfirmed(page, '增加专家')).toContain('自动增加下一位合适的专家');
  await page.getByText('目前没有评分不足的申报。').waitFor();
  await api.waitForStatus(late.token, late.applicationId, 'IN_EXPERT_REVIEW');
  const added = await eventually(
    async () =>
      (await stack.emails())
        .filter((e) => e.subject.startsWith('【专家评审邀请】'))
        .flatMap((e) => taskLinksIn(e))
        .find((link) => !links.includes(link)),
    20_000,
    'the added expert',
  );
  expect((await followLink(added, { answer: expertScore(80) })).status).toBe(200);
  await api.waitForStatus(late.token, late.applicationId, 'SCORED', 30_000);

  // After the deadline, with every application scored, the proposal and its ranked table.
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '立项' }).click();
  await page.getByRole('heading', { name: '立项', level: 1 }).waitFor();
  await page.getByRole('status').filter({ hasText: '立项尚未确认' }).waitFor();
  expect(await clickConfirmed(page, '提出立项建议')).toContain('部门负责人确认');
  // The proposal is a job the sweep carries (every 5 s under `npm start`; here run as the test waits).
  await sweepUntilShown(page.getByRole('heading', { name: /立项建议（第1版）/ }));
  expect(await page.getByRole('status').filter({ hasText: '尚未确认' }).innerText()).toContain('第1版立项建议');
  const table = page.getByRole('region', { name: `${TYPE_NAME}排名` });
  const rows = table.getByRole('row');
  expect(await rows.count()).toBe(3); // the header and the two ranked applications
  const first = await rows.nth(1).innerText();
  const second = await rows.nth(2).innerText();
  expect(first).toContain(APPS[0].title);
  expect(first).toMatch(/^1\b/);
  expect(first).toContain('80.00');
  expect(first).toContain('立项');
  expect(second).toContain(APPS[1].title);
  expect(second).toContain('不立项');
  // The tie (both 80.00) is broken and the reason is given.
  expect(`${first}\n${second}`).toContain('同分，优先条件项数与评分离散度均相同，按提交时间早者在前');
  expect(await page.getByRole('region', { name: TYPE_NAME, exact: true }).innerText()).toContain(
    '名额1项，建议立项1项，空缺0项',
  );
  await checkAccessibility(page, 'award proposed');

  // The department head first sends it back from their link; staff read why, from the API (a
  // reload, as another staff member on another device would), and propose again.
  const firstRequest = await stack.email((e) => e.subject.includes('立项建议'), 'the confirmation email');
  const reasons = ['请核对第一名的申请金额'];
  expect((await followLink(taskLinkIn(firstRequest), { answer: { answer: 'revise', reasons } })).status).toBe(200);
  await page.reload();
  const revision = page.getByRole('status').filter({ hasText: '要求修改第1版立项建议' });
  expect(await revision.innerText()).toContain(reasons[0]);
  expect(await clickConfirmed(page, '重新提出立项建议')).toContain('部门负责人确认');
  await sweepUntilShown(page.getByRole('heading', { name: /立项建议（第2版）/ }));

  // The department head confirms the second from their link; staff see it, publish and download.
  const head = await stack.email(
    (e) => e.subject.includes('立项建议') && e.messageId !== firstRequest.messageId,
    'the second confirmation email',
  );
  expect((await followLink(taskLinkIn(head), { answer: { answer: 'confirm' } })).status).toBe(200);
  await page.getByRole('button', { name: '刷新确认情况' }).click();
  await page.getByRole('status').filter({ hasText: '部门负责人已确认立项' }).waitFor();
  expect(await page.getByRole('button', { name: '提出立项建议' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: '重新提出立项建议' }).count()).toBe(0);
  expect((await api.request('GET', `/results/${CALL}`)).status).toBe(404);
  expect(await clickConfirmed(page, '公布立项结果')).toContain('不能撤销');
  await page
    .getByRole('status')
    .filter({ hasText: /结果已于.*公布/ })
    .waitFor();
  const published = await api.request('GET', `/results/${CALL}`);
  expect(published.status).toBe(200);
  expect(published.body.rows.map((r: { title: string }) => r.title)).toEqual([APPS[0].title]);
  await checkAccessibility(page, 'award published');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载立项结果（CSV）' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${CALL}-results.csv`);
  const saved = readFileSync((await download.path())!);
  const cells = spreadsheetCells(saved.toString('utf8'));
  const fromApi = await fetch(`${stack.urls.api}/calls/${CALL}/results`, {
    headers: { accept: 'text/csv', authorization: `Bearer ${staffToken}` },
  });
  // The very bytes the API gives (its byte order mark too), read as a spreadsheet reads them.
  expect(saved.equals(Buffer.from(await fromApi.arrayBuffer()))).toBe(true);
  expect(cells[0]).toEqual([
    '项目类型 Type',
    '排名 Rank',
    '申报单位 Unit',
    '项目名称 Title',
    '评审得分 Score',
    '申请金额（元）Requested (CNY)',
    '资助金额（元）Amount (CNY)',
    '是否立项 Awarded',
  ]);
  const body = cells.slice(1);
  expect(body.map((row) => [row[0], row[1], row[3], row[4], row[7]])).toEqual([
    [TYPE_NAME, '1', APPS[0].title, '80.00', '是 yes'],
    [TYPE_NAME, '2', APPS[1].title, '80.00', '否 no'],
  ]);
  expect(body.flat().some(readsAsFormula)).toBe(false);

  // The reports: nothing is overdue yet; a date already past is refused; the round opens for the
  // awarded project, and once its date has passed its summary is on the overdue list and in its CSV.
  await api.waitForStatus(early.token, early.applicationId, 'AWARDED', 30_000);
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '项目报告' }).click();
  await page.getByRole('heading', { name: '项目报告', level: 1 }).waitFor();
  await page.getByText('没有逾期未交的报告。').waitFor();
  await checkAccessibility(page, 'reports');
  const summaryDue = page.getByLabel('总结报告截止日期');
  await summaryDue.fill('2023-10-01');
  expect(await clickConfirmed(page, '开启总结报告')).toContain('不能撤销');
  expect(await page.getByRole('alert').innerText()).toContain('not before today (2023-11-01)');
  await summaryDue.fill('2023-11-10');
  expect(await clickConfirmed(page, '开启总结报告')).toContain('2023-11-10');
  await sweepUntilShown(page.getByRole('status').filter({ hasText: '已开启：1个项目的总结报告须在2023-11-10前提交' }));
  await stack.setClock('2023-11-12T09:00:00+08:00', true);
  await page.getByRole('button', { name: '刷新', exact: true }).click();
  const overdue = page
    .getByRole('region', { name: '逾期未交的报告' })
    .getByRole('row')
    .filter({ hasText: '项目总结报告' });
  await overdue.waitFor();
  const overdueText = await overdue.innerText();
  expect(overdueText).toContain(early.title);
  expect(overdueText).toContain('2023-11-10');
  expect(overdueText).toMatch(/\b2\b/); // two calendar days in Beijing
  expect(overdueText).toContain('待提交');
  await checkAccessibility(page, 'reports overdue');
  const [overdueCsv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下载逾期报告清单（CSV）' }).click(),
  ]);
  expect(overdueCsv.suggestedFilename()).toBe(`${CALL}-overdue-reports.csv`);
  const overdueSaved = readFileSync((await overdueCsv.path())!);
  const overdueFromApi = await fetch(`${stack.urls.api}/calls/${CALL}/obligations?state=overdue`, {
    headers: { accept: 'text/csv', authorization: `Bearer ${staffToken}` },
  });
  expect(overdueSaved.equals(Buffer.from(await overdueFromApi.arrayBuffer()))).toBe(true);
  const overdueCells = spreadsheetCells(overdueSaved.toString('utf8'));
  expect(overdueCells[0]).toEqual([
    '申报单位 Unit',
    '项目名称 Title',
    '报告 Report',
    '截止日期 Due on',
    '逾期天数 Days overdue',
    '状态 State',
    '申报编号 Application',
  ]);
  expect(overdueCells.slice(1)).toContainEqual([
    expect.any(String),
    early.title,
    'summary',
    '2023-11-10',
    '2',
    'OPEN',
    early.applicationId,
  ]);

  // The same page in English, for the reader who asks for it.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  expect(await page.getByRole('region', { name: 'Overdue reports' }).getByRole('row').first().innerText()).toContain(
    'Days overdue',
  );
  await checkAccessibility(page, 'reports in English');
  await context.close();
}, 240_000);

test('axe-core finds no serious or critical violation on the pages visited', () => {
  expect(axe.found).toEqual([]);
});
