import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * One CDK synthesis for every e2e file, instead of one per file.
 *
 * The local stack synthesizes the real CDK stack each time it starts. In jest every test file has
 * its own module registry, so each file loads aws-cdk-lib again: 3–5 s a file here, ~30 s of the
 * e2e run. The template depends only on the sources, so it is kept on disk under a hash of their
 * content (and of the lock file), and a start whose sources are unchanged reads it back. Any change
 * to a source gives a new hash, hence a fresh synthesis. GDAST_E2E_SYNTH_CACHE=off turns it off.
 */

const ROOT = path.resolve(__dirname, '../..');
const INPUT_DIRS = ['infra', 'shared', 'functions', 'workflows', 'seeds'];
const INPUT_FILES = ['package-lock.json', 'package.json', 'cdk.json', 'tsconfig.json'];
// One folder per checkout, so that two checkouts do not evict each other's template.
const CACHE_DIR = path.join(
  os.tmpdir(),
  'gdast-e2e-synth',
  createHash('sha256').update(ROOT).digest('hex').slice(0, 12),
);

function addTree(hash: ReturnType<typeof createHash>, dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) addTree(hash, file);
    else if (entry.isFile()) hash.update(`${path.relative(ROOT, file)}\0`).update(readFileSync(file));
  }
}

/** A hash of everything the synthesized template is made from. */
function sourcesHash(args: unknown[]): string {
  const hash = createHash('sha256').update(JSON.stringify(args));
  for (const dir of INPUT_DIRS) addTree(hash, path.join(ROOT, dir));
  for (const file of INPUT_FILES) {
    try {
      hash.update(`${file}\0`).update(readFileSync(path.join(ROOT, file)));
    } catch {
      // absent: nothing to add
    }
  }
  return hash.digest('hex').slice(0, 32);
}

// The result holds plain JSON and Maps (the function name of each logical id).
const encode = (_key: string, value: unknown) => (value instanceof Map ? { $map: [...value] } : value);
const decode = (_key: string, value: unknown) =>
  value && typeof value === 'object' && '$map' in value && Object.keys(value).length === 1
    ? new Map((value as { $map: [unknown, unknown][] }).$map)
    : value;

/** The synth module with `synthTemplate` answered from the cache when the sources are unchanged. */
export function withCachedSynth<M extends { synthTemplate: (...args: never[]) => unknown }>(actual: M): M {
  if (process.env.GDAST_E2E_SYNTH_CACHE === 'off') return actual;
  const synthTemplate = (...args: never[]) => {
    const file = path.join(CACHE_DIR, `${sourcesHash(args)}.json`);
    try {
      return JSON.parse(readFileSync(file, 'utf8'), decode);
    } catch {
      // not cached yet (or unreadable): synthesize
    }
    const fresh = actual.synthTemplate(...args);
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      // Older templates are of sources that have since changed.
      for (const old of readdirSync(CACHE_DIR))
        if (old.endsWith('.json') && old !== path.basename(file)) rmSync(path.join(CACHE_DIR, old), { force: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(fresh, encode));
      renameSync(partial, file); // whole or not at all, for a parallel worker reading it
    } catch {
      // not kept: the next start synthesizes again
    }
    return fresh;
  };
  return { ...actual, synthTemplate };
}
