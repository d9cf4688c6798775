/**
 * The console as a person sees it: Debian's Chromium, driven by playwright-core (which downloads no
 * browser), with JavaScript switched off. It opens the console's home (the clock and local mode's
 * tools; the applications are the workspace's), follows an old application link to the workspace,
 * follows an execution to what its application's workflow does now, and reads the mailbox filtered
 * to one application, reading the visible text, not the HTML.
 *
 * Needs the `chromium` and `fonts-noto-cjk` packages (.ci/run installs them when missing); without
 * them this test fails, it does not skip. `npm run screenshots` runs it with CONSOLE_SCREENSHOTS=1,
 * which writes the screenshots of the main pages to docs/ (shown in the README).
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { debianChromium } from '../support/browser';
import { useLocalStack } from '../support/e2e';
import { example, shortForum } from '../support/fixtures';
import { passStaffStages, taskLinksIn } from '../support/task-links';

const DOCS = path.resolve(__dirname, '../../docs');
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1';

const stack = useLocalStack();
const { api } = stack;

let browser: Browser;
let context: BrowserContext;
const ids = { forum: '', salon: '', returned: '', withdrawn: '' };
const SALON = example('secretary-general-salon').title as string;
const FORUM = example('lingnan-forum').title as string;
const RETURNED = '智能制造与新材料学术论坛';
const WITHDRAWN = '2024年粤港澳大湾区医学前沿论坛';

async function submit(unitId: string, body: Record<string, unknown>): Promise<string> {
  const answer = await api.submit(await api.unitToken(unitId), body);
  if (answer.status !== 201) throw new Error(`submit: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.applicationId as string;
}

beforeAll(async () => {
  const executablePath = debianChromium();
  // Four applications of three member societies, at different stages.
  ids.forum = await submit('gd-physics-society', example('lingnan-forum'));
  ids.salon = await submit('gd-physics-society', example('secretary-general-salon'));
  ids.returned = await submit('gd-chemistry-society', { ...shortForum(), title: RETURNED });
  ids.withdrawn = await submit('gd-medical-society', { ...example('lingnan-forum'), title: WITHDRAWN });
  await passStaffStages(() => stack.emails(), ids.forum);
  await api.waitForStatus(await api.unitToken('gd-physics-society'), ids.forum, 'READY_FOR_EXPERT_REVIEW');
  await api.waitForStatus(await api.unitToken('gd-chemistry-society'), ids.returned, 'RETURNED_FOR_CORRECTION');
  const medical = await api.unitToken('gd-medical-society');
  await api.waitForStatus(medical, ids.withdrawn, 'FORMAL_CHECK_PASSED');
  await api.request('POST', `/applications/${ids.withdrawn}/withdraw`, { token: medical });
  await stack.finished(ids.withdrawn);
  await stack.waitingOnStaff(ids.salon);
  // A day and a half later on the simulated clock: the tasks have been waiting a while.
  await stack.setClock('2023-09-02T16:30:00+08:00');

  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  // No JavaScript: every page must read, and every filter and link work, without it.
  context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  if (SCREENSHOTS) mkdirSync(DOCS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

/** With CONSOLE_SCREENSHOTS=1, a screenshot of the page (or of a part of it, `clip` in page coordinates) in docs/. */
async function shot(
  page: Page,
  name: string,
  options: { clip?: { x: number; y: number; width: number; height: number } } = {},
): Promise<void> {
  if (SCREENSHOTS)
    await page.screenshot({
      path: path.join(DOCS, name),
      ...(options.clip ? { fullPage: true, clip: options.clip } : {}),
    });
}

/** What a person reads on the page (rendered text, hidden parts left out). */
const visible = (page: Page) => page.locator('main').innerText();

test('the home: the clock and local mode’s tools; an old application link lands in the workspace', async () => {
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}/_local/console`);
  expect((await page.locator('h1').innerText()).trim()).toBe('本地控制台 Local console');
  expect(await page.locator('header').innerText()).toContain('模拟时钟 Simulated clock: 2023-09-02 16:3');
  const text = await visible(page);
  expect(text).toContain('现在 Now: 2023-09-02 16:3');
  // No application is listed here: one line says where they are.
  for (const title of [FORUM, SALON, RETURNED, WITHDRAWN]) expect(text).not.toContain(title);
  const workspace = page.locator('main').getByRole('link', { name: '/app/staff/applications' });
  expect(await workspace.getAttribute('href')).toBe('/app/staff/applications');
  const nav = await page.locator('nav a').allInnerTexts();
  expect(nav).toEqual([
    '首页 Home',
    '工作流执行 Executions',
    '邮件 Mailbox',
    '定时清扫 Sweep',
    '申请（工作台）Applications (workspace) ↗',
  ]);
  await shot(page, 'console-home.png');

  // A link from an old note: the browser is sent to the application's page in the workspace.
  const old = await context.newPage();
  await old.goto(`${stack.urls.api}/_local/console/applications/${ids.salon}`);
  expect(new URL(old.url()).pathname).toBe(`/app/staff/applications/${ids.salon}`);
  await old.goto(`${stack.urls.api}/_local/console/quotas`);
  expect(new URL(old.url()).pathname).toBe('/app/');
  await old.close();
  await page.close();
});

test('from the executions to what an application’s workflow does now, on a desk and on a phone', async () => {
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}/_local/console`);
  await Promise.all([
    page.waitForURL(/\/executions$/),
    page.locator('main').getByRole('link', { name: '工作流执行 Executions' }).click(),
  ]);
  const salonRow = page.locator('tbody tr', { hasText: SALON });
  expect(await salonRow.innerText()).toContain('形式检查通过 Formal check passed');
  // The application's title opens it in the workspace.
  expect(await salonRow.getByRole('link', { name: SALON }).getAttribute('href')).toBe(
    `/app/staff/applications/${ids.salon}`,
  );
  await Promise.all([
    page.waitForURL(new RegExp(`/executions/${ids.salon}$`)),
    salonRow.getByRole('link', { name: ids.salon }).click(),
  ]);
  const workflow = page.locator('h2#workflow ~ p').first();
  expect(await workflow.isVisible()).toBe(true);
  const text = await visible(page);
  // What it waits on now, overdue or not on the simulated clock; who holds it is the workspace's.
  const waiting = text.split('\n').find((line) => line.startsWith('等待 Waiting on:'));
  expect(waiting).toContain('形式审查 Formal review (staff)');
  expect(waiting).toContain('纸质材料签收 Paper copy (staff)');
  expect(text).toContain('首次运行 First run');
  expect(await page.locator('h2#workflow + p + p a').getAttribute('href')).toBe(`/app/staff/applications/${ids.salon}`);
  const executions = page.locator('h2#workflow ~ table').first();
  expect(await executions.innerText()).toContain('当前 current');
  await page.setViewportSize({ width: 1280, height: 1100 });
  await shot(page, 'console-execution.png');

  // The same page on a phone: one column, nothing wider than the screen.
  const phone = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    locale: 'zh-CN',
  });
  const small = await phone.newPage();
  await small.goto(page.url());
  expect(await small.locator('h2#workflow ~ table thead').first().isVisible()).toBe(false);
  for (const part of ['main', 'h2#workflow ~ table >> nth=0']) {
    const box = await small.locator(part).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  }
  await phone.close();
  await page.close();
});

test('the mailbox, as it reads, and one application’s emails with the links the staff were sent', async () => {
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}/_local/console`);
  await Promise.all([page.waitForURL(/\/mailbox$/), page.getByRole('link', { name: '邮件 Mailbox' }).first().click()]);
  const first = page.locator('article.mail').first();
  const newest = (await stack.emails()).at(-1)!;
  expect((await first.locator('.subject').innerText()).trim()).toBe(newest.subject);
  expect(await first.locator('pre.body').isVisible()).toBe(true);
  expect(await first.innerText()).toMatch(/2023-09-0\d \d\d:\d\d:\d\d · 收件人 To:/);
  expect(await page.getByRole('button', { name: /clear/i }).count()).toBe(0);
  // The application an email was about is one click away, in the workspace.
  const withdrawn = page.getByRole('link', { name: WITHDRAWN }).first();
  expect(await withdrawn.getAttribute('href')).toBe(`/app/staff/applications/${ids.withdrawn}`);
  await shot(page, 'console-mailbox.png');

  // The salon's emails only: the receipt, and the task emails with the links the staff were sent.
  const salonMail = page.locator('article.mail', { hasText: SALON }).first();
  await Promise.all([
    page.waitForURL(new RegExp(`application=${ids.salon}`)),
    salonMail.getByRole('link', { name: '此申请的邮件 its emails' }).click(),
  ]);
  const mails = page.locator('article.mail');
  expect(await mails.count()).toBeGreaterThanOrEqual(3);
  for (const header of await page.locator('article.mail header').allInnerTexts()) expect(header).toContain(SALON);
  const taskLinks = await page
    .locator('article.mail pre.body a[href*="/tasks/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const emailed = (await stack.emails())
    .filter((e) => e.subject.startsWith('【待办') && (e.body.text ?? '').includes(ids.salon))
    .flatMap(taskLinksIn);
  expect(emailed).toHaveLength(2);
  for (const link of emailed) expect(taskLinks).toContain(link);
  await page.close();
});
