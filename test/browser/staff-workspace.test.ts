/**
 * The association's workspace as a staff member opens it, in Debian's Chromium, on a phone and on a
 * desk: the start page says what is due this week and where each type's applications stand; the
 * applications table is filtered to one unit (and searched by title), each row opening the
 * application, whose page shows its history, every email sent about it, and the tasks it waits on:
 * the signed-in person's own with its link, a colleague's named without one (a task link is its
 * assignee's authority). axe-core finds no serious or critical violation; the pages are pictured
 * for docs/ with `npm run screenshots`.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWebApp } from '@infra/local/web-app';
import { PHONE } from '../support/browser';
import { AxeFindings, launchChromium, signInLocally } from '../support/web-app-browser';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';

const stack = useLocalStack({ webRoot: buildWebApp() });
const { api } = stack;
const CALL = 'gdast-2024';
/** dengmei is the contact of the forum type; guotm of public-service-capacity. */
const STAFF = /以工作人员登录：.*dengmei@gdast\.example\.org/;
const SUBMISSIONS = [
  { unitId: 'gd-physics-society', typeId: 'lingnan-forum', title: '岭南论坛：物理与未来能源' },
  { unitId: 'gd-physics-society', typeId: 'public-service-capacity', title: '服务能力提升：物理科普基地' },
  { unitId: 'gd-chemistry-society', typeId: 'lingnan-forum', title: '岭南论坛：绿色化学' },
  { unitId: 'gd-medical-society', typeId: 'public-service-capacity', title: '服务能力提升：基层医学科普' },
] as const;

let browser: Browser;
const ids: string[] = [];
const PICTURED = new Set(['overview', 'applications', 'application']);
const axe = new AxeFindings({ prefix: 'web-staff-', only: PICTURED, fullPage: PICTURED });

beforeAll(async () => {
  for (const s of SUBMISSIONS) {
    const token = await api.unitToken(s.unitId);
    const answer = await api.request('POST', `/calls/${CALL}/applications`, {
      token,
      body: { ...example(s.typeId), title: s.title },
    });
    expect(answer.status).toBe(201);
    ids.push(answer.body.applicationId);
  }
  for (const id of ids) await stack.waitingOnStaff(id);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

async function signInAsStaff(context: BrowserContext): Promise<Page> {
  const page = await signInLocally(context, stack.urls.web, STAFF, '我的待办');
  await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
  return page;
}

test('the start page: what is due this week, my tasks, and each type by stage', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await signInAsStaff(context);
  const due = page.getByRole('region', { name: '本周须办' });
  await due.getByText('4项申报尚未收到纸质材料').waitFor();
  const byType = page.getByRole('region', { name: '各类型申报数' });
  const forum = byType.getByRole('row', { name: /岭南科学论坛/ });
  // quota 10, two applied, both in the staff review stage
  expect(await forum.getByRole('cell').allInnerTexts()).toEqual(['10', '2', '0', '2', '0', '0', '0', '—']);
  expect(await page.getByRole('link', { name: '全部申报：4项' }).count()).toBe(1);
  const myTasks = page.getByRole('region', { name: '我的待办' });
  // the forum applications' formal reviews and paper copies are dengmei's; the others are guotm's
  await myTasks.getByRole('link', { name: '形式审查确认：岭南论坛：物理与未来能源' }).waitFor();
  await myTasks.getByRole('link', { name: '纸质申请书签收：岭南论坛：绿色化学' }).waitFor();
  expect(await myTasks.getByText('服务能力提升').count()).toBe(0);
  await page.getByRole('region', { name: '日程' }).getByText('纸质材料截止').waitFor();
  await axe.check(page, 'overview phone');
  await context.close();
});

test('staff filter the applications to one unit, open one and read its history, emails and open tasks', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await signInAsStaff(context);
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '申报一览' }).click();
  await page.getByRole('heading', { name: '申报一览', level: 1 }).waitFor();
  await page.getByRole('status').filter({ hasText: '显示4项' }).waitFor();

  await page.getByLabel('申报单位编号').fill('gd-physics-society');
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '显示2项' }).waitFor();
  const rows = page.getByRole('region', { name: '申报列表' }).getByRole('row');
  const shown = (await rows.allInnerTexts()).slice(1);
  expect(shown).toHaveLength(2);
  for (const row of shown) expect(row).toContain('广东省物理学会');
  // newest first: the second submission leads
  expect(shown[0]).toContain(SUBMISSIONS[1].title);
  expect(shown[1]).toContain(SUBMISSIONS[0].title);
  expect(new URL(page.url()).searchParams.get('unitId')).toBe('gd-physics-society');

  await page.getByLabel('项目名称包含').fill('未来能源');
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '显示1项' }).waitFor();
  await axe.check(page, 'applications');

  await page.getByRole('link', { name: ids[0] }).click();
  await page.getByRole('heading', { name: SUBMISSIONS[0].title, level: 1 }).waitFor();
  const emails = page.getByRole('region', { name: '已发送的邮件' });
  await emails.getByText('office@gd-physics.example.org').first().waitFor();
  expect(await page.getByRole('region', { name: '办理记录' }).getByRole('listitem').count()).toBeGreaterThan(0);
  const tasks = page.getByRole('region', { name: '待办事项' });
  const mine = tasks.getByRole('listitem').first();
  expect(await mine.innerText()).toContain('我的待办');
  const link = await mine.getByRole('link').getAttribute('href');
  expect(link).toMatch(/\/tasks\//);
  await axe.check(page, 'application');
  // The print view staff compare with the sealed paper copy is the unit's own.
  expect(await page.getByRole('link', { name: /打印视图/ }).getAttribute('href')).toBe(
    `/app/applications/${ids[0]}/print`,
  );

  // a colleague's task is named, not linked
  await page.goto(`${stack.urls.web}staff/applications/${ids[1]}`);
  await page.getByRole('heading', { name: SUBMISSIONS[1].title, level: 1 }).waitFor();
  const theirs = page.getByRole('region', { name: '待办事项' }).getByRole('listitem').first();
  expect(await theirs.innerText()).not.toContain('我的待办');
  expect(await theirs.getByRole('link').count()).toBe(0);

  // the start page at a desk, pictured
  await page.getByRole('navigation', { name: '工作台' }).getByRole('link', { name: '工作台' }).click();
  await page.getByRole('region', { name: '本周须办' }).waitFor();
  await axe.check(page, 'overview');
  await context.close();
});

test('axe-core finds no serious or critical violation on the pages visited', () => {
  expect(axe.found).toEqual([]);
});
