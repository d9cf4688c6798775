import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { debianChromium } from './browser';

/** Debian's Chromium, started as every browser test starts it (no sandbox in a container, nothing fetched). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: debianChromium(),
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface AxeFinding {
  page: string;
  id: string;
  nodes: string[];
}

const DOCS = path.resolve(__dirname, '../../docs');

/**
 * What axe-core finds serious or critical on the pages a test file visits, kept so one test at the end
 * asserts none (a person who cannot use a page is as stuck as one refused). With WEB_SCREENSHOTS=1
 * (`npm run screenshots`), the pages it is asked to picture are saved to docs/ as `<prefix><name>.png`.
 */
export class AxeFindings {
  readonly found: AxeFinding[] = [];

  constructor(
    private readonly pictures: { prefix: string; only?: ReadonlySet<string>; fullPage?: ReadonlySet<string> } = {
      prefix: 'web-',
    },
  ) {}

  async check(page: Page, name: string): Promise<void> {
    const pictured = !this.pictures.only || this.pictures.only.has(name);
    if (process.env.WEB_SCREENSHOTS === '1' && pictured)
      await page.screenshot({
        path: path.join(DOCS, `${this.pictures.prefix}${name.replace(/\s+/g, '-')}.png`),
        fullPage: this.pictures.fullPage?.has(name) ?? false,
      });
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
      this.found.push({ page: name, id: v.id, nodes: v.nodes.map((n) => n.html) });
  }
}

/**
 * Signs in on the local sign-in page as a person does: opens the app, presses the button naming whom
 * to sign in as, and waits for the page it lands on. `onSignInPage` sees the sign-in page first.
 */
export async function signInLocally(
  context: BrowserContext,
  appUrl: string,
  who: RegExp,
  landing: string,
  onSignInPage?: (page: Page) => Promise<void>,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.getByRole('heading', { name: '登录（本地模式）' }).waitFor();
  await onSignInPage?.(page);
  await page.getByRole('button', { name: who }).click();
  await page.getByRole('heading', { name: landing }).waitFor();
  return page;
}
