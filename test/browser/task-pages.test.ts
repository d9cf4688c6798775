/**
 * A task page answered as a person answers it: Debian's Chromium on a phone-sized screen opens the
 * link from a staff email, picks the answer by its label and presses the button. The local gateway
 * applies the web ACL's origin rule (infra/origin-rule.ts, the one definition the stack deploys), so
 * what passes here passes the firewall on AWS: the page's own form gets through, and a page on any
 * other origin that posts to the same link, or to the local endpoints, is refused.
 */
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:http';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '@infra/local/net';
import { PHONE, debianChromium } from '../support/browser';
import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { followLink, taskLinkIn } from '../support/task-links';

const stack = useLocalStack({ resetClockAfterEach: true });
const { api } = stack;

let browser: Browser;
let applicationId = '';
/** A web page on an origin of its own (another port is another origin), serving whatever a test puts in `foreignPage`. */
let foreign: Server;
let foreignOrigin = '';
let foreignPage = '';

/** What axe-core finds serious or critical on the page (a person who cannot answer is as stuck as one refused). */
async function seriousViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
}

const staffLink = async (task: string) =>
  taskLinkIn(
    await stack.email(
      (e) => e.subject.startsWith(`【待办：${task}`) && (e.body.text ?? '').includes(applicationId),
      `the ${task} task email`,
    ),
  );

beforeAll(async () => {
  const executablePath = debianChromium();
  const submitted = await api.submit(await api.unitToken('gd-physics-society'), example('lingnan-forum'));
  if (submitted.status !== 201) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  applicationId = submitted.body.applicationId as string;
  await stack.waitingOnStaff(applicationId);
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
  const port = await freePort();
  foreignOrigin = `http://127.0.0.1:${port}`;
  foreign = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(foreignPage),
  );
  await new Promise<void>((resolve) => foreign.listen(port, '127.0.0.1', resolve));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => foreign?.close(resolve));
});

test('a staff member passes the formal review from its page on a phone, and the workflow goes on', async () => {
  const link = await staffLink('形式审查');
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(link);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('radio', { name: /^通过/ }).check();
  const [answered] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: /提交/ }).click(),
  ]);
  expect(answered.status()).toBe(200);
  await page.waitForLoadState();
  const shown = await page.locator('main').innerText();
  expect(shown).toContain('已登记');
  expect(shown).not.toContain('FORBIDDEN');
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();

  expect((await followLink(link)).body).toMatchObject({ state: 'DONE', answer: { answer: 'pass' } });
  const token = await api.unitToken('gd-physics-society');
  const application = await api.request('GET', `/applications/${applicationId}`, { token });
  expect(application.body.formalReview).toMatchObject({ answer: 'pass' });
});

test('a page on another origin that posts to a task link is refused, and the task stays open', async () => {
  const link = await staffLink('纸质');
  // The form a phishing page would auto-submit: the same fields the real page sends.
  foreignPage = `<!DOCTYPE html><html lang="en"><title>x</title><form method="post" action="${link}">
    <input name="answer" value="received"><input name="receivedOn" value="2023-09-01"><button>go</button></form>`;
  const context = await browser.newContext({ ...PHONE });
  const page = await context.newPage();
  await page.goto(foreignOrigin);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(link.split('?')[0]) && r.request().method() === 'POST'),
    page.click('button'),
  ]);
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  await context.close();
  expect((await followLink(link)).body).toMatchObject({ kind: 'paper-copy', state: 'OPEN' });
});

test('a page on another origin can neither move the local clock nor take a token (no-cors POSTs)', async () => {
  const before = await stack.clockNow();
  foreignPage = `<!DOCTYPE html><html lang="en"><title>x</title><p id="done"></p><script>
    Promise.all([
      fetch('${api.base}/_local/clock', { method: 'POST', mode: 'no-cors', body: '{"now":"2030-01-01T00:00:00+08:00"}' }),
      fetch('${api.base}/_local/token', { method: 'POST', mode: 'no-cors', body: '{"role":"staff"}' }),
    ]).finally(() => { document.getElementById('done').textContent = 'sent'; });
  </script>`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const refused: number[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/_local/')) refused.push(r.status());
  });
  await page.goto(foreignOrigin);
  await page.locator('#done', { hasText: 'sent' }).waitFor();
  await context.close();
  expect(refused).toEqual([403, 403]);
  const after = await stack.clockNow();
  expect(after.getUTCFullYear()).toBe(before.getUTCFullYear());
  expect(after.getTime() - before.getTime()).toBeLessThan(60_000);
});

/** A request with a Host header of our choosing (what a browser sends after DNS rebinding: the attacker's own name). */
function withHost(path: string, host: string, method = 'GET', body = ''): Promise<{ status: number; text: string }> {
  const url = new URL(path, api.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method,
        headers: { host, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('the local endpoints answer only their loopback names: a rebound host name gets 403 and no token', async () => {
  const port = new URL(api.base).port;
  const rebound = await withHost('/_local/token', `attacker.example:${port}`, 'POST', '{"role":"staff"}');
  expect(rebound.status).toBe(403);
  expect(rebound.text).not.toContain('token');
  expect((await withHost('/_local/clock', `127.0.0.1.nip.io:${port}`)).status).toBe(403);
  expect((await withHost('/_local/console', `localhost:${Number(port) + 1}`)).status).toBe(403);
  // Its own names still work, the console's pages included.
  expect((await withHost('/_local/token', `127.0.0.1:${port}`, 'POST', '{"role":"staff"}')).status).toBe(200);
  expect((await withHost('/_local/console', `localhost:${port}`)).status).toBe(200);
});
