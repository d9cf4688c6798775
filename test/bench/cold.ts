/**
 * The cold-start part of `npm run bench` (its step 8) alone, in seconds rather than minutes: the same
 * bundle (infra/bundling.ts, CDK's options), the same fresh node per run, the same three variants,
 * so its figures are the bench's. It needs no local stack, so it can be repeated until the machine is
 * quiet enough to trust.
 *
 *   npx tsx test/bench/cold.ts [runs]                  default 5 runs per variant, as the bench
 *   npx tsx test/bench/cold.ts [runs] --first-request  also submit-application's first request
 *
 * `--first-request` adds what a cold start also costs after the require: the first request, a
 * submission refused for a missing title (VALIDATION_FAILED, before any AWS call), which reads the
 * call and validates the form. Work a handler defers to its first use shows here, not in the require.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleCode, coldImports, ROOT, runCold } from './bundles';
import { median, round } from './stats';

const HANDLER = 'submit-application';
const runs = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 5);

const FIRST_REQUEST_SCRIPT = [
  "const { performance } = require('node:perf_hooks');",
  'const write = process.stdout.write.bind(process.stdout);',
  'const started = performance.now();',
  'const { handler } = require(process.env.BENCH_BUNDLE);',
  'const loaded = performance.now();',
  // What the handler logs or flushes (metrics) is not the figure: kept off stdout.
  'process.stdout.write = () => true;',
  "const context = { functionName: 'submit-application', awsRequestId: 'bench', getRemainingTimeInMillis: () => 29000 };",
  'handler(JSON.parse(process.env.BENCH_EVENT), context).then((answer) => {',
  '  const answered = performance.now();',
  "  if (answer.statusCode !== 400) throw new Error('expected 400, got ' + answer.statusCode);",
  '  write(`${loaded - started} ${answered - loaded}`);',
  '});',
].join('\n');

/** A unit's submission to the 2024 call of the first example form, without its title. */
function refusedSubmission(): string {
  const example = readdirSync(path.join(ROOT, 'seeds', 'examples')).filter((f) => f.endsWith('.json'))[0];
  const body = JSON.parse(readFileSync(path.join(ROOT, 'seeds', 'examples', example), 'utf8')) as object;
  return JSON.stringify({
    httpMethod: 'POST',
    path: '/calls/gdast-2024/applications',
    pathParameters: { callId: 'gdast-2024' },
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, title: undefined }),
    requestContext: { authorizer: { claims: { sub: 'bench', 'custom:unitId': 'bench-unit' } } },
  });
}

async function firstRequests(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdast-cold-'));
  try {
    const file = path.join(dir, `${HANDLER}.js`);
    writeFileSync(file, (await bundleCode(path.join('functions', `${HANDLER}.ts`), true)).code);
    // X-Ray finds no segment outside Lambda's runtime: it would log that on every call, not the figure.
    const env = { BENCH_EVENT: refusedSubmission(), AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR' };
    await runCold(file, undefined, true, FIRST_REQUEST_SCRIPT, env); // warm the file cache; not counted
    const firsts: number[] = [];
    for (let i = 0; i < runs; i++)
      firsts.push(round((await runCold(file, undefined, true, FIRST_REQUEST_SCRIPT, env)).more[0]));
    return `  first request after it, as Lambda runs it (Tracer on): median ${round(median(firsts))} ms (${spread(firsts)})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const spread = (samples: number[]) => `${Math.min(...samples)}–${Math.max(...samples)}: ${samples.join(', ')}`;

async function main(): Promise<void> {
  const loadBefore = round(loadavg()[0], 2);
  const lines = [];
  for (const r of await coldImports(HANDLER, runs))
    lines.push(`  ${r.variant}: median ${r.requireMedianMs} ms (${spread(r.requireMs)})`);
  if (process.argv.includes('--first-request')) lines.push(await firstRequests());
  process.stdout.write(`cold require() of ${HANDLER}, ${runs} runs each; load (1 min) ${loadBefore} at the start\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(2);
});
