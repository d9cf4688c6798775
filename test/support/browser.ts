import { execFileSync } from 'node:child_process';

const INSTALL = 'apt-get install -y --no-install-recommends chromium fonts-noto-cjk';

/**
 * Debian's Chromium on the PATH (playwright-core downloads no browser), with the CJK fonts that make
 * Chinese render as text; a clear failure, never a skip, when either is missing.
 */
export function debianChromium(): string {
  let found = '';
  try {
    found = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    // not on the PATH
  }
  if (!found)
    throw new Error(
      `The browser tests need Debian's chromium package, which is not installed: ${INSTALL} (.ci/run does it when missing).`,
    );
  let fonts = '';
  try {
    fonts = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  } catch {
    // no fontconfig
  }
  if (!/CJK/i.test(fonts)) throw new Error(`No CJK font is installed, so Chinese would render as boxes: ${INSTALL}`);
  return found;
}

/** A phone's screen, as a staff member between meetings holds it. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} as const;
