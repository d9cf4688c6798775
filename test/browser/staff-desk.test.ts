/**
 * The staff desk in Debian's Chromium: a staff member records a day's stack of five paper copies at
 * once (one received after the paper deadline, refused as late, the others recorded); registers a
 * member unit, bars it and lifts the bar, and finds it in the list of units with its standing; adds an expert and finds them in the pool. A unit that opens
 * a staff page is refused. axe-core finds no serious or critical violation on any page;
 * the pages are not pictured for docs/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWebApp } from '@infra/local/web-app';
import { PHONE } from '../support/browser';
import { AxeFindings, launchChromium, signInLocally } from '../support/web-app-browser';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { eventually } from '../support/local';

const stack = useLocalStack({ webRoot: buildWebApp() });
const { api } = stack;
const CALL = 'gdast-2024';

let browser: Browser;
/** axe-core's findings (these pages are not pictured for docs/: the round's pages stand for the workspace). */
const axe = new AxeFindings({ prefix: 'web-staff-', only: new Set() });
const checkAccessibility = (page: Page, name: string) => axe.check(page, name);

/** Signs in as the call's staff contact and opens `path` under /app/; every confirmation is accepted. */
async function staffPage(context: BrowserContext, path: string, heading: string): Promise<Page> {
  const page = await signInLocally(
    context,
    stack.urls.web,
    /以工作人员登录：.*dengmei@gdast\.example\.org/,
    '我的待办',
  );
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${stack.urls.web}${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  return page;
}

/** A forum application of a new member unit, waiting on its paper copy. */
async function submitted(n: number): Promise<string> {
  const token = await api.unitToken(`desk-paper-unit-${n}`);
  const answer = await api.request('POST', `/calls/${CALL}/applications`, { token, body: example('lingnan-forum') });
  expect(answer.status).toBe(201);
  await stack.waitingOnStaff(answer.body.applicationId);
  return answer.body.applicationId;
}

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

test('a stack of five paper copies recorded at once: the late one refused, the others recorded', async () => {
  const ids: string[] = [];
  for (let n = 1; n <= 5; n++) ids.push(await submitted(n));
  // Two days after the paper deadline (2023-09-28), within the three days staff have to record.
  await stack.setClock('2023-09-30T10:00:00+08:00');

  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await staffPage(context, 'staff/paper-copies', '纸质材料登记');
  await checkAccessibility(page, 'paper copies');
  await page.getByLabel('收到日期（适用于全部）').fill('2023-09-28');
  await page.getByLabel('粘贴申请编号（每行一个）').fill(ids.join('\n'));
  await page.getByRole('button', { name: '加入下表' }).click();
  expect(await page.getByLabel('第5份 申请编号').inputValue()).toBe(ids[4]);
  // The last envelope came a day after the deadline.
  await page.getByLabel('第5份 收到日期（如不同）').fill('2023-09-29');

  const posts: number[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().endsWith(`/calls/${CALL}/paper-copies`)) posts.push(r.status());
  });
  await page.getByRole('button', { name: '登记 5 份' }).click();
  await page.getByRole('status').filter({ hasText: '已答复 5 份：登记 4 份，未登记 1 份。' }).waitFor();
  const answers = await page.locator('.paper-row .paper-answer').allInnerTexts();
  expect(answers.slice(0, 4)).toEqual(Array(4).fill(expect.stringContaining('已登记，收到日期 2023-09-28')));
  expect(answers[4]).toContain('逾期，不予受理');
  expect(await page.getByLabel('第5份 收到日期（如不同）').getAttribute('aria-invalid')).toBe('true');
  expect(posts).toEqual([200]);
  await checkAccessibility(page, 'paper copies answered');

  // The API agrees: four recorded, the late one still open.
  const staff = await api.staffToken();
  for (const [i, applicationId] of ids.entries()) {
    const paperCopy = await eventually(
      async () => {
        const read = (await api.request('GET', `/applications/${applicationId}`, { token: staff })).body;
        return i < 4 ? read.paperCopy : read.paperCopy === undefined ? 'none' : undefined;
      },
      10_000,
      `the paper copy of ${i + 1}`,
    );
    expect(paperCopy).toEqual(i < 4 ? expect.objectContaining({ receivedOn: '2023-09-28' }) : 'none');
  }

  // A number that is no application of the call is said to be unknown.
  await page.getByRole('button', { name: '清除已登记的行' }).click();
  await page.getByLabel('第1份 申请编号').fill('00000000-0000-4000-8000-000000000000');
  await page.getByLabel('第1份 收到日期（如不同）').fill('');
  await page.getByRole('button', { name: '登记 1 份' }).click();
  await page.locator('.paper-answer').filter({ hasText: '未找到' }).waitFor();
  await context.close();
  await stack.resetClock();
});

test('a staff member registers a unit, sees a field refused by its field, bars the unit and lifts the bar', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  // Not a member yet: the society may not apply.
  const token = await api.tokenFor('gd-desk-society');
  expect((await api.submit(token, example('lingnan-forum'))).body.error.code).toBe('NOT_A_MEMBER');
  const page = await staffPage(context, 'staff/units', '会员单位');
  await checkAccessibility(page, 'units');
  const register = page.getByRole('region', { name: '登记或修改会员单位' });
  await register.getByLabel('单位编号').fill('gd-desk-society');
  await register.getByLabel('中文名称').fill('广东省前台测试学会');
  await register.getByLabel('英文名称').fill('Guangdong Desk Test Society');
  await register.getByLabel('登记邮箱').fill('not-an-email');
  await register.getByRole('button', { name: '保存单位' }).click();
  await page.locator('#unit-email-problems').waitFor();
  expect(await register.getByLabel('登记邮箱').getAttribute('aria-invalid')).toBe('true');
  await checkAccessibility(page, 'units refused');

  await register.getByLabel('登记邮箱').fill('office@gd-desk-society.example.org');
  await register.getByRole('button', { name: '保存单位' }).click();
  await register.getByRole('status').filter({ hasText: '已保存：广东省前台测试学会' }).waitFor();
  const stored = page.getByRole('region', { name: '单位现状' });
  expect(await stored.innerText()).toContain('office@gd-desk-society.example.org');
  expect(await stored.innerText()).toContain('可以申报');

  const standing = page.getByRole('region', { name: '限制申报或取消限制' });
  await standing.getByLabel('单位编号').fill('gd-desk-society');
  await standing.getByLabel('限制申报', { exact: true }).check();
  await standing.getByLabel('理由').fill('上年度项目未提交总结报告');
  await standing.getByRole('button', { name: '保存申报资格' }).click();
  await standing.getByRole('status').filter({ hasText: '已限制 gd-desk-society 申报' }).waitFor();
  expect(await stored.innerText()).toContain('限制申报（上年度项目未提交总结报告）');
  // The API holds the bar: the unit's submission is refused.
  expect((await api.submit(token, example('lingnan-forum'))).body.error.code).toBe('UNIT_BARRED');

  await standing.getByLabel('取消限制（可以申报）').check();
  await standing.getByLabel('理由').fill('已补交总结报告');
  await standing.getByRole('button', { name: '保存申报资格' }).click();
  await standing.getByRole('status').filter({ hasText: '已取消对 gd-desk-society 的限制' }).waitFor();
  const log = await stored.getByRole('listitem').allInnerTexts();
  expect(log).toEqual([expect.stringContaining('上年度项目未提交总结报告'), expect.stringContaining('已补交总结报告')]);
  await checkAccessibility(page, 'units standing');
  expect((await api.submit(token, example('lingnan-forum'))).status).toBe(201);

  // The unit is in the list of registered units; opened from there, it shows its log and its
  // standing in the next call as the notice's rule computes it (no report owed from last year).
  const listed = page.getByRole('region', { name: '已登记的会员单位' });
  const row = listed.getByRole('row', { name: /广东省前台测试学会/ });
  expect(await row.innerText()).toContain('可以申报');
  await page.reload();
  await listed.getByRole('button', { name: '查看 gd-desk-society' }).click();
  const opened = page.getByRole('region', { name: '单位现状' });
  await opened.getByText('按上年度项目计算的申报资格').waitFor();
  expect(await opened.innerText()).toMatch(/gdast-2025（依据\s*gdast-2024）：\s*可以申报/);
  expect(await opened.innerText()).toContain('已补交总结报告');
  await context.close();
});

test('a staff member adds an expert, a refused field shown by it, and finds them in the paged pool', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await staffPage(context, 'staff/experts', '专家库');
  const pool = page.getByRole('table', { name: '专家名单' });
  await pool.waitFor();
  await checkAccessibility(page, 'experts');
  const form = page.getByRole('region', { name: '添加专家' });
  await form.getByLabel('专家编号').fill('exp-000-desk');
  await form.getByLabel('姓名').fill('林晓岚');
  await form.getByLabel('邮箱').fill('lin.xiaolan@scut.example.edu.cn');
  await form.getByLabel('工作单位').fill('华南理工大学');
  await form.getByLabel('学科（每行一个）').fill('物理学\n电子信息');
  await form.getByLabel('每次申报最多评审（份）').fill('0');
  await form.getByRole('button', { name: '添加专家' }).click();
  await page.locator('#expert-max-load-problems').waitFor();
  expect(await form.getByLabel('每次申报最多评审（份）').getAttribute('aria-invalid')).toBe('true');
  await checkAccessibility(page, 'experts refused');

  await form.getByLabel('每次申报最多评审（份）').fill('6');
  await form.getByRole('button', { name: '添加专家' }).click();
  await form.getByRole('status').filter({ hasText: '已保存专家：林晓岚' }).waitFor();
  const row = pool.getByRole('row').filter({ hasText: '林晓岚' });
  await row.waitFor();
  // No place in the call's round yet, of the six they may take.
  expect(await row.innerText()).toMatch(/华南理工大学[\s\S]*物理学、电子信息[\s\S]*0 \/ 6/);

  // The pool comes a page at a time.
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByRole('heading', { name: /专家名单（第2页）/ }).waitFor();
  await settle(async () => pool.getByRole('row').filter({ hasText: '林晓岚' }).count(), 0);
  await page.getByRole('button', { name: '上一页' }).click();
  await row.waitFor();

  // Editing changes the stored expert.
  await row.getByRole('button', { name: '编辑 林晓岚' }).click();
  const edit = page.getByRole('region', { name: '编辑专家' });
  await edit.getByLabel('工作单位').fill('中山大学');
  await edit.getByRole('button', { name: '保存修改' }).click();
  await edit.getByRole('status').filter({ hasText: '已保存专家' }).waitFor();
  await pool.getByRole('row').filter({ hasText: '中山大学' }).filter({ hasText: '林晓岚' }).waitFor();
  const stored = await api.request('GET', '/experts?limit=5', { token: await api.staffToken() });
  expect(stored.body.experts[0]).toMatchObject({ expertId: 'exp-000-desk', affiliation: '中山大学', maxLoad: 6 });
  await context.close();
});

test('a unit that opens a staff page is refused', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(stack.urls.web);
  await page.getByRole('button', { name: /以此学会登录：广东省物理学会/ }).click();
  await page.getByRole('heading', { name: '我的申报' }).waitFor();
  await page.goto(`${stack.urls.web}staff/units`);
  await page.getByRole('heading', { name: '仅限省科协工作人员' }).waitFor();
  expect(await page.getByLabel('单位编号').count()).toBe(0);
  await checkAccessibility(page, 'staff only');
  await context.close();
});

test('axe-core found no serious or critical violation on any page', () => {
  expect(axe.found).toEqual([]);
});

/** Waits until `read` gives `want`. */
const settle = (read: () => Promise<number>, want: number) =>
  eventually(async () => ((await read()) === want ? true : undefined), 10_000, `${want}`);
