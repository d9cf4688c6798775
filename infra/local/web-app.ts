import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { webSecurityHeaders, type WebAppOrigins } from '@infra/web-headers';

const ROOT = path.resolve(__dirname, '../..');
/** What the app is built from: its own folder and the domain code it imports. */
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.mts', 'shared/domain', 'package-lock.json'];
/** The web app's path, under the API's origin locally and under the distribution's on AWS (infra/web-app.ts). */
export const WEB_APP_PATH = '/app/';

function filesUnder(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(path.join(entry, name)));
}

/** A digest of the app's sources: a build is reused until one of them changes. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder)) hash.update(file).update(readFileSync(path.join(ROOT, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the web app (Vite) unless a build of the same sources exists, and answers its folder.
 * Each build goes to a folder named by its sources' digest and appears there whole (a rename), so
 * two test workers building at once both end with a complete app.
 */
export function buildWebApp(log: (message: string) => void = () => undefined): string {
  const cache = path.join(ROOT, 'node_modules', '.cache', 'gdast-web');
  const out = path.join(cache, sourceDigest());
  if (existsSync(path.join(out, 'index.html'))) return out;
  const building = `${out}.${process.pid}.tmp`;
  const began = Date.now();
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.mts',
      '--outDir',
      building,
      // Vite refuses a second build of the same project while one runs; each build here writes a
      // folder of its own (renamed into place whole), so two test workers may build at once.
      '--bypass-lock',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  try {
    renameSync(building, out);
  } catch {
    // Another worker finished the same build first: its copy is identical.
    rmSync(building, { recursive: true, force: true });
  }
  log(`web app built in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return out;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface WebAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The app's files under /app/, as CloudFront serves them from the bucket: a path that is no file is
 * one of the app's pages (index.html, which routes in the browser); `config.json` says local sign-in
 * and the API at this same origin.
 */
export function serveWebApp(root: string, pathname: string, origins: WebAppOrigins): WebAnswer {
  const security = webSecurityHeaders(origins);
  const relative = decodeURIComponent(pathname.slice(WEB_APP_PATH.length));
  if (relative === 'config.json')
    return {
      status: 200,
      headers: { ...security, 'content-type': TYPES['.json'], 'cache-control': 'no-store' },
      body: Buffer.from(JSON.stringify({ signIn: 'local', apiBase: '' })),
    };
  const file = path.resolve(root, relative);
  const inside = file.startsWith(root + path.sep);
  const isFile = inside && existsSync(file) && statSync(file).isFile();
  const served = isFile ? file : path.join(root, 'index.html');
  const hashed = isFile && relative.startsWith('assets/');
  return {
    status: 200,
    headers: {
      ...security,
      'content-type': TYPES[path.extname(served)] ?? 'application/octet-stream',
      // Built assets carry their content's hash in their name; the page itself must never be stale.
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    body: readFileSync(served),
  };
}
