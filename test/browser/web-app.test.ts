/**
 * The societies' web app as a secretary uses it, in Debian's Chromium on a phone-sized screen and on
 * a desktop: sign in, start a forum application, leave it as a draft, find it again after filling
 * it in on another device, meet the notice's threshold (线下参会不少于200人) next to its field, fix
 * it, preview, submit once despite a double click; when staff return it, read their reasons, amend
 * and resubmit; print it for the seal. axe-core finds no serious or critical violation on any page.
 * `npm run screenshots` runs it with WEB_SCREENSHOTS=1, which writes the pages it passes to docs/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWebApp } from '@infra/local/web-app';
import { PHONE } from '../support/browser';
import { AxeFindings, launchChromium, signInLocally } from '../support/web-app-browser';
import { useLocalStack } from '../support/e2e';
import { call, example } from '../support/fixtures';
import { followLink, taskLinkIn } from '../support/task-links';
import { eventually } from '../support/local';

const stack = useLocalStack({ webRoot: buildWebApp() });
const { api } = stack;
const UNIT = 'gd-physics-society';
const CALL = 'gdast-2024';
const TITLE = '2024岭南科学论坛——量子科技赋能未来产业发展';

let browser: Browser;
/** The 2024 call's part of the home page (the 2025 sample is listed too). */
const callCard = (page: Page) => page.getByRole('region', { name: call().title.zh });

/** Waits until `read` gives something `ok` accepts (the page updates as it likes), and returns it. */
const settle = <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) =>
  eventually(
    async () => {
      const value = await read();
      return ok(value) ? value : undefined;
    },
    10_000,
    what,
  );
/** axe-core's findings; `npm run screenshots` pictures these pages for docs/ (web-<name>.png). */
const axe = new AxeFindings({ prefix: 'web-', fullPage: new Set(['home']) });
const checkAccessibility = (page: Page, name: string) => axe.check(page, name);

const signIn = (context: BrowserContext) =>
  signInLocally(context, stack.urls.web, /以此学会登录：广东省物理学会/, '我的申报', (page) =>
    checkAccessibility(page, 'sign-in'),
  );

const myApplications = async () =>
  (await api.request('GET', `/units/me/applications?callId=${CALL}`, { token: await api.unitToken(UNIT) })).body
    .applications as Array<{ applicationId: string; status: string }>;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

test('a secretary drafts on a phone, finishes on another device, meets the threshold, submits once', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await signIn(context);
  await callCard(page).getByText('已用0项，还可申报3项').waitFor();
  await checkAccessibility(page, 'home');

  await callCard(page).getByRole('button', { name: '新建申请书' }).click();
  await page.getByLabel('申报项目类型').selectOption('lingnan-forum');
  await page.getByLabel('项目名称').fill('岭南论坛（草稿）');
  await page
    .getByRole('status')
    .filter({ hasText: /已保存/ })
    .waitFor();
  await checkAccessibility(page, 'draft');
  const draftId = new URL(page.url()).pathname.split('/').pop()!;

  // The rest is typed on the desk computer: the same draft, from the version the phone saved.
  const token = await api.unitToken(UNIT);
  const saved = await api.request('GET', `/units/me/drafts/${draftId}`, { token });
  const form = {
    ...example('lingnan-forum'),
    details: { ...example('lingnan-forum').details, offlineAttendance: 150 },
  };
  const desk = await api.request('PUT', `/units/me/drafts/${draftId}`, {
    token,
    body: { callId: CALL, version: saved.body.version, form },
  });
  expect(desk.status).toBe(200);

  await page.getByRole('link', { name: /学会项目申报/ }).click();
  await page.getByRole('heading', { name: '草稿（不占申报名额）' }).waitFor();
  await callCard(page).getByText('已用0项，还可申报3项').waitFor();
  await page.getByRole('link', { name: TITLE }).click();
  expect(await page.getByLabel('项目名称').inputValue()).toBe(TITLE);
  // The notice's threshold is written beside its field before anything is wrong.
  expect(await page.locator('#f-details-offlineAttendance-rules').innerText()).toContain('200');

  await page.getByRole('button', { name: '检查并预览' }).click();
  await page.getByRole('alert').filter({ hasText: '需要修改' }).waitFor();
  const attendance = page.getByLabel('线下参会人数');
  expect(await attendance.getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator('#f-details-offlineAttendance-problems').innerText()).toContain('150');
  await checkAccessibility(page, 'draft with problems');

  await attendance.fill('260');
  await attendance.blur();
  await settle(
    () => page.locator('#f-details-offlineAttendance-problems').count(),
    (n) => n === 0,
    'the problem gone',
  );
  await page.getByRole('button', { name: '检查并预览' }).click();
  await page.getByRole('heading', { name: '预览申请书' }).waitFor();
  expect(await page.locator('main').innerText()).toContain('260');
  await checkAccessibility(page, 'preview');

  const submits: number[] = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().endsWith(`/calls/${CALL}/applications`)) submits.push(r.status());
  });
  await page.getByRole('button', { name: '提交申报' }).dblclick();
  await page.getByRole('heading', { name: TITLE }).waitFor();
  expect(await page.locator('.status').first().innerText()).toMatch(/已提交|自动形式审查通过/);
  await checkAccessibility(page, 'application');
  expect(submits.every((s) => s === 201)).toBe(true);
  const applications = await myApplications();
  expect(applications).toHaveLength(1);
  // The draft became the application: it is gone from the list.
  expect((await api.request('GET', '/units/me/drafts', { token })).body.drafts).toEqual([]);
  await context.close();
});

test('a staff member signed in finds their open tasks and opens an application by its number', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(stack.urls.web);
  await page.getByRole('button', { name: /以工作人员登录：.*dengmei@gdast\.example\.org/ }).click();
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  await checkAccessibility(page, 'staff tasks');

  // An application opened by its number: where it stands, what it waits on, its emails and history.
  const [application] = await myApplications();
  await page.getByLabel('按申报编号打开').fill(application.applicationId);
  await page.getByRole('button', { name: '打开' }).click();
  await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
  const emails = page.getByRole('region', { name: '已发送的邮件' });
  await emails
    .getByText(/申报回执/)
    .first()
    .waitFor();
  expect(await page.getByRole('region', { name: '办理记录' }).innerText()).toContain('Submission');
  expect(await page.locator('.facts').innerText()).toContain('省科协形式审查与纸质材料');
  await checkAccessibility(page, 'staff application');

  await page.goBack();
  await page.getByRole('link', { name: new RegExp(`形式审查.*${TITLE}`) }).click();
  await page.getByRole('radio', { name: /^通过/ }).waitFor();
  await context.close();
});

test('returned by staff, the reasons show; the secretary amends and resubmits; the print view is complete', async () => {
  const [application] = await myApplications();
  const reviewEmail = await stack.email(
    (e) => e.subject.startsWith('【待办：形式审查') && (e.body.text ?? '').includes(application.applicationId),
    'the formal review task email',
  );
  const returned = await followLink(taskLinkIn(reviewEmail), {
    answer: { answer: 'return', reasons: ['预算明细中的会场租赁费请附报价说明'] },
  });
  expect(returned.status).toBe(200);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await signIn(context);
  const row = page.getByRole('listitem').filter({ hasText: TITLE });
  await row.first().waitFor();
  expect(await row.innerText()).toContain('退回修改');
  expect(await row.innerText()).toContain('修改并重新提交');
  await row.getByRole('link', { name: TITLE }).click();
  expect(await page.getByRole('region', { name: '退回原因' }).innerText()).toContain('会场租赁费请附报价说明');
  await checkAccessibility(page, 'returned application');

  await page.getByRole('link', { name: '修改申请书' }).click();
  expect(await page.getByRole('region', { name: '省科协退回意见' }).innerText()).toContain('会场租赁费');
  expect(await page.getByLabel('申报项目类型').isDisabled()).toBe(true);
  await page.getByLabel('实施方案').fill(`${example('lingnan-forum').implementationPlan}\n附：会场租赁报价说明。`);
  await checkAccessibility(page, 'amend');
  await page.getByRole('button', { name: '重新提交' }).click();
  await page.getByRole('heading', { name: TITLE }).waitFor();
  await settle(
    async () => (await myApplications())[0].status,
    (s) => s !== 'RETURNED_FOR_CORRECTION',
    'the resubmission',
  );

  const print = page;
  await page.getByRole('link', { name: '打印申请书（盖章用）' }).click();
  await print.getByRole('heading', { name: '申报单位意见' }).waitFor();
  for (const section of [
    '项目类型',
    '项目概况',
    '项目负责人',
    '联系人',
    '学科与合作',
    '经费预算',
    '绩效目标',
    '项目类型专项内容',
  ])
    expect(await print.getByRole('heading', { name: section, exact: true }).isVisible()).toBe(true);
  expect(await print.locator('main').innerText()).toContain(application.applicationId);
  expect(await print.locator('main').innerText()).toContain('附：会场租赁报价说明');
  await print.emulateMedia({ media: 'print' });
  // On paper the number is on every sheet (a fixed element repeats per page); the print button is not.
  expect(await print.locator('.print-number').isVisible()).toBe(true);
  expect(await print.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
  await print.emulateMedia({ media: 'screen' });
  await checkAccessibility(print, 'print');
  const pdf = await print.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  await context.close();
});

test('withdrawing asks first; confirmed, the application is withdrawn and its slot is free again', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await signIn(context);
  await callCard(page).getByText('已用1项，还可申报2项').waitFor();
  await callCard(page).getByRole('link', { name: TITLE }).click();
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: '撤回申报' }).click();
  expect((await myApplications())[0].status).not.toBe('WITHDRAWN');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: '撤回申报' }).click();
  await page.locator('.status').filter({ hasText: '已撤回' }).waitFor();
  expect((await myApplications())[0].status).toBe('WITHDRAWN');
  await page.getByRole('link', { name: /学会项目申报/ }).click();
  await callCard(page).getByText('已用0项，还可申报3项').waitFor();
  await context.close();
});

test("the API's refusal lands on the fields it names, and a refusal of no field is said in words", async () => {
  const token = await api.unitToken(UNIT);
  const draftId = `refused-${Date.now()}`;
  const saved = await api.request('PUT', `/units/me/drafts/${draftId}`, {
    token,
    body: { callId: CALL, version: 0, form: example('secretary-general-salon') },
  });
  expect(saved.status).toBe(200);
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await signIn(context);
  // The API's contract as it would refuse a field the browser cannot check itself.
  await page.route(`**/calls/${CALL}/applications`, (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The application has 1 problem(s)',
          details: [{ path: 'lead.email', code: 'INVALID_EMAIL', message: 'lead.email must be an email address' }],
        },
      }),
    }),
  );
  await page.goto(`${stack.urls.web}drafts/${draftId}/preview`);
  await page.getByRole('button', { name: '提交申报' }).click();
  await page.getByRole('heading', { name: '填写申请书' }).waitFor();
  const problems = page.locator('#f-lead-email-problems');
  await problems.waitFor();
  expect(await problems.innerText()).toContain('请填写有效的电子邮箱');
  expect(
    await page.getByRole('region', { name: '项目负责人' }).getByLabel('电子邮箱').getAttribute('aria-invalid'),
  ).toBe('true');

  await page.unroute(`**/calls/${CALL}/applications`);
  await page.route(`**/calls/${CALL}/applications`, (route) =>
    route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { code: 'UNIT_LIMIT_REACHED', message: 'A unit may submit at most 3 applications', details: [] },
      }),
    }),
  );
  await page.goto(`${stack.urls.web}drafts/${draftId}/preview`);
  await page.getByRole('button', { name: '提交申报' }).click();
  await page.getByRole('alert').filter({ hasText: '本单位的申报名额已用完' }).waitFor();
  await context.close();
});

test('axe-core found no serious or critical violation on any page', () => {
  expect(axe.found).toEqual([]);
});
