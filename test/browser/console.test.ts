/**
 * The console as a person sees it: Debian's Chromium, driven by playwright-core (which downloads no
 * browser), with JavaScript switched off. It opens the console, filters to one unit with the form,
 * follows an application to its timeline and its emails, and reads the visible text, not the HTML.
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

test('filter the console to one unit, follow an application to its timeline and its emails', async () => {
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}/_local/console`);
  expect((await page.locator('h1').innerText()).trim()).toBe('申请 Applications');
  let text = await visible(page);
  for (const title of [FORUM, SALON, RETURNED, WITHDRAWN]) expect(text).toContain(title);
  expect(await page.locator('header').innerText()).toContain('模拟时钟 Simulated clock: 2023-09-02 16:3');

  // Filter to one unit with the form (a plain GET: no script involved).
  await page.selectOption('select[name="unit"]', 'gd-physics-society');
  await Promise.all([
    page.waitForURL(/unit=gd-physics-society/),
    page.getByRole('button', { name: '筛选 Filter' }).click(),
  ]);
  text = await visible(page);
  expect(text).toContain(FORUM);
  expect(text).toContain(SALON);
  expect(text).not.toContain(RETURNED);
  expect(text).not.toContain(WITHDRAWN);
  expect(text).toContain('2 / 4 份申请');
  expect(await page.locator('tbody tr').count()).toBe(2);
  // The salon's row says what it waits on, and for how long (on the simulated clock).
  const salonRow = page.locator('tbody tr', { hasText: SALON });
  expect(await salonRow.innerText()).toContain('形式检查通过 Formal check passed');
  expect(await salonRow.innerText()).toContain('形式审查');
  expect(await salonRow.innerText()).toMatch(/1 天 \d+ 小时/);
  await shot(page, 'console-applications.png');

  // Follow the salon to its page.
  await Promise.all([
    page.waitForURL(new RegExp(`/applications/${ids.salon}$`)),
    salonRow.getByRole('link', { name: SALON }).click(),
  ]);
  expect(await page.locator('h1').innerText()).toContain(SALON);
  expect((await page.locator('h1 .badge').innerText()).trim()).toBe('形式检查通过 Formal check passed');
  text = await visible(page);
  // What it waits on now, since when, and the links the staff were emailed.
  const waiting = page.locator('h2:has-text("现在等待") + table');
  expect(await waiting.innerText()).toContain('形式审查');
  expect(await waiting.innerText()).toContain('纸质材料签收');
  expect(await waiting.innerText()).toContain('已等待 waiting 1 天');
  const taskLinks = await waiting
    .getByRole('link', { name: '打开任务 Open the task' })
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const emailed = (await stack.emails())
    .filter((e) => e.subject.startsWith('【待办') && (e.body.text ?? '').includes(ids.salon))
    .flatMap(taskLinksIn);
  expect([...taskLinks].sort()).toEqual([...emailed].sort());
  // The timeline, in order.
  const stages = await page.locator('ol.timeline li strong').allInnerTexts();
  expect(stages.slice(0, 3)).toEqual(['提交 Submission', '回执 Receipt', '自动形式检查 Formal check']);
  expect(stages).toContain('形式审查 Staff formal review');
  // Its emails, bodies shown: the receipt the unit got, the task emails the staff got.
  const mails = page.locator('article.mail');
  expect(await mails.count()).toBeGreaterThanOrEqual(3);
  const receipt = mails.filter({ hasText: '回执' }).first();
  expect(await receipt.locator('pre.body').isVisible()).toBe(true);
  const sent = (await stack.emails()).find(
    (e) => e.subject.includes('回执') && (e.body.text ?? '').includes(ids.salon),
  )!;
  expect(await receipt.locator('pre.body').innerText()).toContain(
    (sent.body.text ?? '')
      .split('\n')
      .find((line) => line.trim())!
      .trim(),
  );
  expect(text).toContain('首次运行 First run');
  await page.setViewportSize({ width: 1280, height: 1300 });
  await shot(page, 'console-application.png');

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
  expect(await small.locator('h1').innerText()).toContain(SALON);
  expect(await small.locator('h2:has-text("现在等待") + table thead').isVisible()).toBe(false);
  for (const part of ['main', 'h2:has-text("现在等待") + table', 'ol.timeline', 'article.mail >> nth=0']) {
    const box = await small.locator(part).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  }
  // The phone's screen from the "waiting on" heading down.
  const top = (await small.locator('h2:has-text("现在等待")').boundingBox())!.y - 8;
  await shot(small, 'console-application-phone.png', { clip: { x: 0, y: top, width: 390, height: 844 } });
  await phone.close();
  await page.close();
});

test('the quota table and the mailbox, as they read', async () => {
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}/_local/console`);
  await Promise.all([page.waitForURL(/\/quotas$/), page.getByRole('link', { name: '名额与立项 Quotas' }).click()]);
  const forum = page.locator('tr', { hasText: '1. 岭南科学论坛' }).first();
  expect((await forum.locator('td[data-label="名额 Quota"]').innerText()).trim()).toBe('10');
  expect((await forum.locator('td[data-label="申请 Applied"]').innerText()).trim()).toBe('3');
  expect((await forum.locator('td[data-label="撤回 Withdrawn"]').innerText()).trim()).toBe('1');
  expect((await forum.locator('td[data-label="立项 Awarded"]').innerText()).trim()).toBe('0/10');
  await shot(page, 'console-quotas.png');

  await Promise.all([page.waitForURL(/\/mailbox$/), page.getByRole('link', { name: '邮件 Mailbox' }).click()]);
  const first = page.locator('article.mail').first();
  const newest = (await stack.emails()).at(-1)!;
  expect((await first.locator('.subject').innerText()).trim()).toBe(newest.subject);
  expect(await first.locator('pre.body').isVisible()).toBe(true);
  expect(await first.innerText()).toMatch(/2023-09-0\d \d\d:\d\d:\d\d · 收件人 To:/);
  expect(await page.getByRole('button', { name: /clear/i }).count()).toBe(0);
  // The application an email was about is one click away.
  expect(await page.getByRole('link', { name: WITHDRAWN }).first().isVisible()).toBe(true);
  await shot(page, 'console-mailbox.png');
  await page.close();
});
