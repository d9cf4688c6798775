/**
 * `npm run bench`: speed and size figures of the product, measured against the local stack on
 * 127.0.0.1 (started here on free ports, in memory, and stopped at the end). Never part of `npm test`.
 *
 *   npm run bench            a text report on stdout (progress on stderr)
 *   npm run -s bench -- --json   the same figures as JSON on stdout (-s keeps npm's banner out of it)
 *
 * Exits 0 when every sanity check holds, 1 when one fails, 2 on an error, 3 if it overruns its time.
 */
import './env';
import '@infra/local/polyfills';
import { readdirSync, readFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { startLocalStack, type LocalStack } from '@infra/local/local-stack';
import { Api, type ApiAnswer } from '../support/local';
import { bundleSizes, coldImports, esbuildVersion, ROOT, type BundleSize, type ColdImport } from './bundles';
import { distribution, pool, round, table, type Distribution } from './stats';
import { transitionsToAward } from './transitions';
import { assignmentFigures } from './assignment';
import { rankingFigures } from './ranking';
import { rawTransactThroughput } from './raw-writes';
import { proposalFigures } from './proposal';

const N_WARMUP = 5;
const N_SEQUENTIAL = 200;
const N_THROUGHPUT = 200;
const THROUGHPUT_CONCURRENCY = 20;
const N_WORKFLOW = 30;
const WORKFLOW_POLL_MS = 20;
const N_CONTENDED = 50;
const N_READS = 200;
const COLD_RUNS = 5;
const COLD_HANDLER = 'submit-application';
const N_PROPOSAL = 50_000;
const OVERALL_LIMIT_MS = 240_000;
const CALL = 'gdast-2024';

const json = process.argv.includes('--json');
const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

// ---------------------------------------------------------------------------------------------
// What the stack and the handlers say while we measure: kept, counted, reported at the end.

const notable: string[] = [];
const logCounts = {
  lines: 0,
  executionsStarted: 0,
  executionsEnded: {} as Record<string, number>,
  consoleErrors: 0,
  consoleWarnings: 0,
};
const keep = (line: string) => {
  if (notable.length < 20) notable.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
};
function stackLog(message: string) {
  logCounts.lines++;
  if (/execution \S+ started$/.test(message)) logCounts.executionsStarted++;
  const ended = /execution \S+ (SUCCEEDED|FAILED|TIMED_OUT|ABORTED)/.exec(message);
  if (ended) logCounts.executionsEnded[ended[1]] = (logCounts.executionsEnded[ended[1]] ?? 0) + 1;
  // Executions waiting on staff when the bench stops the stack end ABORTED (Local.ServerStopped): expected.
  if (/FAILED|TIMED_OUT|ABORTED|error|failed|not run/i.test(message) && !/Local\.ServerStopped/.test(message))
    keep(`[stack] ${message}`);
}
console.error = (...args: unknown[]) => {
  logCounts.consoleErrors++;
  keep(`[console.error] ${format(...args)}`);
};
console.warn = (...args: unknown[]) => {
  logCounts.consoleWarnings++;
  keep(`[console.warn] ${format(...args)}`);
};
process.on('unhandledRejection', (reason) =>
  keep(`[unhandledRejection] ${String((reason as Error)?.stack ?? reason)}`),
);

// ---------------------------------------------------------------------------------------------

const checks: { what: string; ok: boolean; detail: string }[] = [];
const check = (what: string, ok: boolean, detail: string) => {
  checks.push({ what, ok, detail });
  if (!ok) progress(`CHECK FAILED: ${what}: ${detail}`);
};

const examples = readdirSync(path.join(ROOT, 'seeds', 'examples'))
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    type: path.basename(file, '.json'),
    body: JSON.parse(readFileSync(path.join(ROOT, 'seeds', 'examples', file), 'utf8')) as Record<string, unknown>,
  }));
const bodyFor = (index: number) => examples[index % examples.length].body;

const countBy = <T>(items: readonly T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>(
    (counts, item) => ({ ...counts, [key(item)]: (counts[key(item)] ?? 0) + 1 }),
    {},
  );

interface Submitted {
  unitId: string;
  token: string;
  ms: number;
  answer: ApiAnswer;
}

interface StackRef {
  starting?: Promise<LocalStack>;
}

async function main(stackRef: StackRef, stopStack: () => Promise<void>) {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30),
    platform: `${platform()} ${arch()}`,
    node: process.version,
    at: new Date().toISOString(),
    /** 1-minute load average when the bench began: other work on the machine skews every figure */
    loadAverageAtStart: round(loadavg()[0], 2),
    loadAverageAtEnd: Number.NaN,
  };
  progress(`machine: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}`);

  // 1. Start --------------------------------------------------------------------------------------
  progress('1/8 starting the local stack (synth, DynamoDB Local, SES, Step Functions, API)…');
  const startedAt = now();
  let sfnUpAt: number | undefined;
  stackRef.starting = startLocalStack({
    ports: { api: 0, email: 0, dynamodb: 0, stepfunctions: 0, files: 0 },
    sweepEveryMs: 60_000,
    log: (message) => {
      if (sfnUpAt === undefined && message.includes('Step Functions API on')) sfnUpAt = now();
      stackLog(message);
    },
  });
  const stack = await stackRef.starting;
  const start = {
    ms: round(now() - startedAt, 0),
    stepFunctionsUpMs: sfnUpAt === undefined ? undefined : round(sfnUpAt - startedAt, 0),
  };
  for (const url of Object.values(stack.urls))
    check(`stack listens on 127.0.0.1 only (${url})`, new URL(url).hostname === '127.0.0.1', url);
  const api = new Api(stack.urls.api);
  progress(`   up in ${start.ms} ms at ${stack.urls.api}`);

  // First, while the call holds no other application (the round waits for every one to leave the staff stages).
  progress(
    '   one application from submission to its award (staff stages, 5 experts, confirmation), to count its state transitions…',
  );
  const transitions = await transitionsToAward(stack, api);
  check(
    'transitions: the execution ended Awarded',
    transitions.states.at(-1) === 'Awarded',
    transitions.states.join(' → '),
  );

  const tokensFor = (first: number, count: number) => pool(count, 10, (i) => api.unitToken(`bench-unit-${first + i}`));
  const submit = async (unitId: string, token: string, body: unknown): Promise<Submitted> => {
    const began = now();
    const answer = await api.request('POST', `/calls/${CALL}/applications`, { token, body });
    return { unitId, token, ms: now() - began, answer };
  };
  const idOf = (s: Submitted) => s.answer.body?.applicationId as string;

  /**
   * Waits until every application has left SUBMITTED (its automatic stages have run), oldest first,
   * so each phase starts on a quiet stack. Returns how long that took and where they ended.
   */
  const drain = async (apps: readonly Submitted[], timeoutMs = 60_000) => {
    const began = now();
    const statuses: Record<string, number> = {};
    let index = 0;
    while (index < apps.length && now() - began < timeoutMs) {
      const answer = await api.request('GET', `/applications/${idOf(apps[index])}`, { token: apps[index].token });
      const status = answer.status === 200 ? (answer.body?.status as string) : undefined;
      if (status && status !== 'SUBMITTED') {
        statuses[status] = (statuses[status] ?? 0) + 1;
        index++;
      } else {
        await sleep(50);
      }
    }
    if (index < apps.length) statuses['still SUBMITTED at timeout'] = apps.length - index;
    return { ms: round(now() - began, 0), statuses };
  };

  // Warm-up: the first request loads the handler modules and opens the SDK's connections in-process
  // (what a cold Lambda does on AWS). Its time is reported on its own; the rest are not counted.
  progress(`   warming up with ${N_WARMUP} submissions (not counted)…`);
  const warmTokens = await pool(N_WARMUP, 1, (i) => api.unitToken(`bench-warmup-${i}`));
  const warmup: Submitted[] = [];
  for (let i = 0; i < N_WARMUP; i++) warmup.push(await submit(`bench-warmup-${i}`, warmTokens[i], bodyFor(i)));
  check(
    'warm-up submissions answer 201',
    warmup.every((s) => s.answer.status === 201),
    warmup.map((s) => s.answer.status).join(','),
  );
  const warmDrain = await drain(warmup.filter((s) => s.answer.status === 201));
  const firstSubmission = { ms: round(warmup[0].ms), workflowDrainMs: warmDrain.ms };

  // 2. Sequential submissions -------------------------------------------------------------------------
  progress(`2/8 ${N_SEQUENTIAL} sequential submissions…`);
  const seqTokens = await tokensFor(0, N_SEQUENTIAL);
  const sequential: Submitted[] = [];
  for (let i = 0; i < N_SEQUENTIAL; i++) sequential.push(await submit(`bench-unit-${i}`, seqTokens[i], bodyFor(i)));
  const seqStatuses = countBy(sequential, (s) => String(s.answer.status));
  check('sequential submissions all answer 201', seqStatuses['201'] === N_SEQUENTIAL, JSON.stringify(seqStatuses));
  const seqAccepted = sequential.filter((s) => s.answer.status === 201);
  const seqDrain = await drain(seqAccepted);
  check(
    'sequential submissions all reach FORMAL_CHECK_PASSED',
    seqDrain.statuses.FORMAL_CHECK_PASSED === seqAccepted.length,
    JSON.stringify(seqDrain.statuses),
  );
  const seqLatency = distribution(sequential.map((s) => s.ms));

  // 3. Throughput ---------------------------------------------------------------------------------------
  progress(`3/8 ${N_THROUGHPUT} submissions at concurrency ${THROUGHPUT_CONCURRENCY}…`);
  const tpTokens = await tokensFor(N_SEQUENTIAL, N_THROUGHPUT);
  // The API alone: on AWS the workflows run on Step Functions' and Lambda's capacity, not the API's;
  // here they would share the one Node thread. Started executions wait, then drain (timed below).
  stack.holdRuns();
  const tpBegan = now();
  const burst = await pool(N_THROUGHPUT, THROUGHPUT_CONCURRENCY, (i) =>
    submit(`bench-unit-${N_SEQUENTIAL + i}`, tpTokens[i], bodyFor(i)),
  );
  const tpElapsed = now() - tpBegan;
  stack.releaseRuns();
  const tpStatuses = countBy(burst, (s) => String(s.answer.status));
  const non201 = burst.filter((s) => s.answer.status !== 201);
  check('throughput: no answer other than 201', non201.length === 0, JSON.stringify(tpStatuses));
  for (const refused of non201.slice(0, 3))
    keep(`[throughput] ${refused.answer.status} ${JSON.stringify(refused.answer.body).slice(0, 300)}`);
  const tpDrain = await drain(burst.filter((s) => s.answer.status === 201));
  check(
    'throughput submissions all reach FORMAL_CHECK_PASSED',
    tpDrain.statuses.FORMAL_CHECK_PASSED === N_THROUGHPUT - non201.length,
    JSON.stringify(tpDrain.statuses),
  );
  const throughput = {
    n: N_THROUGHPUT,
    concurrency: THROUGHPUT_CONCURRENCY,
    elapsedMs: round(tpElapsed, 0),
    requestsPerSecond: round(N_THROUGHPUT / (tpElapsed / 1000)),
    latency: distribution(burst.map((s) => s.ms)),
    non201: non201.length,
    statuses: tpStatuses,
    backlogDrainMs: tpDrain.ms,
  };
  // The same transaction sent straight to the same DynamoDB Local: what the HTTP path is measured against.
  progress(
    `   ${N_THROUGHPUT} raw TransactWriteItems (the submission's five items) at concurrency ${THROUGHPUT_CONCURRENCY}…`,
  );
  const raw = await rawTransactThroughput(
    stack.urls.dynamodb,
    'funding-call',
    N_THROUGHPUT,
    THROUGHPUT_CONCURRENCY,
    bodyFor,
  );
  const rawRatio = round((throughput.requestsPerSecond / raw.perSecond) * 100, 0);

  // 4. Workflow latency ----------------------------------------------------------------------------------
  progress(`4/8 201 → FORMAL_CHECK_PASSED for ${N_WORKFLOW} applications, one at a time…`);
  const wfFirst = N_SEQUENTIAL + N_THROUGHPUT;
  const wfTokens = await tokensFor(wfFirst, N_WORKFLOW);
  const workflowMs: number[] = [];
  const workflowMisses: string[] = [];
  for (let i = 0; i < N_WORKFLOW; i++) {
    const sent = await submit(`bench-unit-${wfFirst + i}`, wfTokens[i], bodyFor(i));
    const at201 = now();
    if (sent.answer.status !== 201) {
      workflowMisses.push(`submission answered ${sent.answer.status}`);
      continue;
    }
    let status: string | undefined;
    while (now() - at201 < 20_000) {
      const answer = await api.request('GET', `/applications/${idOf(sent)}`, { token: sent.token });
      status = answer.body?.status;
      if (status !== 'SUBMITTED' && answer.status === 200) break;
      await sleep(WORKFLOW_POLL_MS);
    }
    if (status === 'FORMAL_CHECK_PASSED') workflowMs.push(now() - at201);
    else workflowMisses.push(`${idOf(sent)} ended ${status}`);
  }
  check(
    `workflow: all ${N_WORKFLOW} reach FORMAL_CHECK_PASSED`,
    workflowMs.length === N_WORKFLOW,
    workflowMisses.slice(0, 3).join('; ') || 'ok',
  );
  const workflow = { ...distribution(workflowMs), pollMs: WORKFLOW_POLL_MS };

  // 5. Contended: one unit, 50 at once ---------------------------------------------------------------------
  progress(`5/8 ${N_CONTENDED} concurrent submissions from one unit…`);
  const raceToken = await api.unitToken('bench-unit-contended');
  const raceBegan = now();
  const race = await Promise.all(
    Array.from({ length: N_CONTENDED }, (_, i) =>
      submit('bench-unit-contended', raceToken, { ...bodyFor(i), title: `${String(bodyFor(i).title)}（并发 ${i}）` }),
    ),
  );
  const raceMs = now() - raceBegan;
  const raceStatuses = countBy(race, (s) => String(s.answer.status));
  const raceCodes = countBy(
    race.filter((s) => s.answer.status !== 201),
    (s) => `${s.answer.status} ${s.answer.body?.error?.code ?? '?'}`,
  );
  const contended = {
    n: N_CONTENDED,
    settleMs: round(raceMs, 0),
    accepted201: raceStatuses['201'] ?? 0,
    refused409: raceStatuses['409'] ?? 0,
    statuses: raceStatuses,
    refusals: raceCodes,
    latency: distribution(race.map((s) => s.ms)),
  };
  check('contended: exactly 3 × 201', contended.accepted201 === 3, JSON.stringify(raceStatuses));
  check('contended: exactly 47 × 409', contended.refused409 === N_CONTENDED - 3, JSON.stringify(raceCodes));
  await drain(race.filter((s) => s.answer.status === 201));

  // 6. Reads -------------------------------------------------------------------------------------------------
  progress(`6/8 ${N_READS} reads of GET /applications/{id}…`);
  const readMs: number[] = [];
  const readStatuses: Record<string, number> = {};
  for (let i = 0; i < N_READS; i++) {
    const app = seqAccepted[i % seqAccepted.length];
    const began = now();
    const answer = await api.request('GET', `/applications/${idOf(app)}`, { token: app.token });
    readMs.push(now() - began);
    readStatuses[answer.status] = (readStatuses[answer.status] ?? 0) + 1;
  }
  check('reads all answer 200', readStatuses['200'] === N_READS, JSON.stringify(readStatuses));
  const reads = distribution(readMs);

  // 10. The award proposal over a large call, against DynamoDB Local --------------------------------------
  progress(`10  ${N_PROPOSAL.toLocaleString('en')} scored applications stored, then one award proposal over them…`);
  const proposal = await proposalFigures(stack.urls.dynamodb, 'funding-call', N_PROPOSAL);
  check('proposal: its answer fits a Lambda answer (6 MB)', proposal.answerMb < 6, `${proposal.answerMb} MB`);

  progress('   stopping the local stack…');
  const stopBegan = now();
  await stopStack();
  const stopMs = round(now() - stopBegan, 0);
  machine.loadAverageAtEnd = round(loadavg()[0], 2);

  // 7. Bundles ----------------------------------------------------------------------------------------------
  progress('7/8 bundling every handler with esbuild (CDK options)…');
  const bundlesBegan = now();
  const bundles = await bundleSizes();
  const bundleMs = round(now() - bundlesBegan, 0);
  check('every handler bundles', bundles.length > 0 && bundles.every((b) => b.bytes > 0), `${bundles.length} bundles`);

  // 8. Cold import ------------------------------------------------------------------------------------------
  progress(`8/8 cold require() of the ${COLD_HANDLER} bundle in a fresh node, ${COLD_RUNS} runs per variant…`);
  const cold = await coldImports(COLD_HANDLER, COLD_RUNS);

  // 9. Expert review at a national funder's size: the domain code alone, in memory ------------------------
  progress('9/9 expert assignment (10,000 and 300,000 applications × 5) and ranking 300,000 scored applications…');
  const assignment = await assignmentFigures();
  check('assignment: 300,000 × 5 under 30 s', assignment.apps300k.ms < 30_000, `${assignment.apps300k.ms} ms`);
  const ranking = rankingFigures();

  return {
    assignment,
    ranking,
    proposal,
    machine,
    start,
    firstSubmission,
    sequential: { ...seqLatency, statuses: seqStatuses, backlogDrainMs: seqDrain.ms },
    throughput,
    raw,
    rawRatio,
    workflow,
    contended,
    reads,
    transitions,
    stopMs,
    bundles,
    bundleMs,
    cold,
  };
}

type Results = Awaited<ReturnType<typeof main>>;

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number) => value.toFixed(1);

function report(results: Results, totalMs: number): string {
  const { machine, start, sequential, throughput, workflow, contended, reads, bundles, cold } = results;
  const lines: string[] = [];
  lines.push('GDAST 2024 funding call: local benchmark');
  lines.push(
    `Machine: ${machine.cpus} CPU(s) × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}`,
  );
  lines.push(
    `Load average (1 min): ${machine.loadAverageAtStart} at the start, ${machine.loadAverageAtEnd} before bundling${machine.loadAverageAtStart > machine.cpus ? ' (busy machine: other work skews these figures)' : ''}`,
  );
  lines.push(
    `Run at ${machine.at}; everything on 127.0.0.1 (API Gateway stand-in, DynamoDB Local, local Step Functions, local SES), in memory`,
  );
  lines.push('');

  lines.push('Latency (ms)');
  const row = (label: string, d: Distribution) => [label, d.n, ms(d.p50), ms(d.p95), ms(d.p99), ms(d.max)];
  lines.push(
    table(
      ['', 'n', 'p50', 'p95', 'p99', 'max'],
      [
        row('2  POST application, sequential', sequential),
        row(`3  POST application, ${throughput.concurrency} concurrent`, throughput.latency),
        row(`4  201 → FORMAL_CHECK_PASSED (poll ${workflow.pollMs} ms)`, workflow),
        row(`5  POST application, ${contended.n} at once, one unit`, contended.latency),
        row('6  GET /applications/{id}, sequential', reads),
      ],
    ),
  );
  lines.push('');

  lines.push('Figures');
  const refusals = Object.entries(contended.refusals)
    .map(([code, count]) => `${count} × ${code}`)
    .join(', ');
  lines.push(
    table(
      undefined,
      [
        [
          '1  local stack start (synth + DynamoDB Local + servers)',
          `${(start.ms / 1000).toFixed(2)} s${start.stepFunctionsUpMs ? ` (Step Functions endpoint up at ${(start.stepFunctionsUpMs / 1000).toFixed(2)} s)` : ''}`,
        ],
        ['   first submission after start (handler modules load in-process)', `${ms(results.firstSubmission.ms)} ms`],
        ['2  workflow backlog after the sequential run drained in', `${sequential.backlogDrainMs} ms`],
        [
          `3  throughput, ${throughput.n} submissions at concurrency ${throughput.concurrency}`,
          `${throughput.requestsPerSecond} req/s (${throughput.elapsedMs} ms), p95 ${ms(throughput.latency.p95)} ms`,
        ],
        [
          '3  raw TransactWriteItems, same items, same DynamoDB Local',
          `${results.raw.perSecond} tx/s (${results.raw.elapsedMs} ms)`,
        ],
        ['3  HTTP submit throughput / raw transactions', `${results.rawRatio}% (goal: at least 60%)`],
        ['3  answers other than 201', `${throughput.non201}`],
        ['3  workflow backlog after the burst drained in', `${throughput.backlogDrainMs} ms`],
        [
          `5  ${contended.n} concurrent submissions from one unit`,
          `settled in ${contended.settleMs} ms: ${contended.accepted201} × 201, ${contended.refused409} × 409 (expected 3 and ${contended.n - 3})`,
        ],
        ['5  refusals', refusals || 'none'],
        ...(['apps10k', 'apps300k'] as const).map((size) => {
          const { ms: took, summary } = results.assignment[size];
          return [
            `9  expert assignment, ${summary.applications.toLocaleString('en')} applications × 5`,
            `${took} ms: ${summary.expertsUsed.toLocaleString('en')} experts, load ${summary.load.min}–${summary.load.max} (mean ${summary.load.mean}), discipline match ${(summary.disciplineMatchRate * 100).toFixed(1)}%`,
          ];
        }),
        [
          `9  ranking ${results.ranking.applications.toLocaleString('en')} scored applications (11 types, tie-breaks recorded)`,
          `${Math.round(results.ranking.ms)} ms`,
        ],
        [
          `10 award proposal over ${results.proposal.applications.toLocaleString('en')} scored applications, on DynamoDB Local`,
          `${results.proposal.proposeMs} ms (read over 16 shards, ranked, ${results.proposal.pages} pages written, link emailed); heap peak +${results.proposal.heapMb} MB, answer ${results.proposal.answerMb} MB; storing them took ${results.proposal.seedMs} ms`,
        ],
        [
          '   state transitions per application, submission → award (5 experts)',
          `${results.transitions.perApplication} (${results.transitions.historyEvents} history events): USD ${results.transitions.usdPer1000Applications} per 1,000 applications on Standard`,
        ],
        ...cold.map((c) => [
          `8  cold require() of ${c.handler}, ${c.variant}`,
          `median ${ms(c.requireMedianMs)} ms of ${c.runs}, ${ms(Math.min(...c.requireMs))}–${ms(Math.max(...c.requireMs))} (whole process ${ms(c.processMedianMs)} ms)`,
        ]),
        ['   local stack stop', `${results.stopMs} ms`],
      ],
      2,
    ),
  );
  lines.push('');

  lines.push(
    `7  Lambda bundles (esbuild ${esbuildVersion}, CDK options: node22 cjs minified, pinned SDK bundled; built in ${results.bundleMs} ms)`,
  );
  const sorted = [...bundles].sort((a, b) => b.bytes - a.bytes);
  const total = bundles.reduce((sum, b) => sum + b.bytes, 0);
  const totalSdkExternal = bundles.reduce((sum, b) => sum + b.bytesSdkExternal, 0);
  lines.push(
    table(
      ['function', 'KB', 'KB if @aws-sdk from the runtime'],
      [
        ...sorted.map((b) => [b.name, kb(b.bytes), kb(b.bytesSdkExternal)]),
        [`total (${bundles.length})`, kb(total), kb(totalSdkExternal)],
      ],
    ),
  );
  const largest: BundleSize | undefined = sorted[0];
  if (largest) {
    lines.push(
      `largest: ${largest.name}, ${kb(largest.bytes)} KB; what fills it: ${largest.topInputs.map((input) => `${input.source} ${kb(input.bytes)} KB`).join(', ')}`,
    );
  }
  lines.push('');

  const failed = checks.filter((c) => !c.ok);
  lines.push(`Sanity checks: ${checks.length - failed.length}/${checks.length} passed`);
  for (const c of failed) lines.push(`  FAILED ${c.what}: ${c.detail}`);
  const ended =
    Object.entries(logCounts.executionsEnded)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ') || 'none';
  lines.push(
    `Logs: ${logCounts.executionsStarted} executions started, ended: ${ended}; console.error ${logCounts.consoleErrors}, console.warn ${logCounts.consoleWarnings}`,
  );
  for (const line of notable) lines.push(`  ${line}`);
  lines.push(`Bench took ${(totalMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

let interrupted: string | undefined;

async function run(): Promise<number> {
  const began = now();
  const stackRef: StackRef = {};
  // One stop, whoever asks first (the end of the run, an error, a signal, the watchdog); everyone
  // else waits for that same stop, so nothing exits while DynamoDB Local (a Java child) still runs.
  // A stack still starting is stopped once it is up.
  let stopping: Promise<void> | undefined;
  const stopStack = () => {
    if (!stopping && stackRef.starting) {
      stopping = stackRef.starting
        .then(
          (stack) => stack.stop(),
          () => undefined, // a failed start has already stopped what it had started
        )
        .catch((error: unknown) => {
          progress(`stop failed: ${String(error)}`);
        });
    }
    return stopping ?? Promise.resolve();
  };
  const watchdog = setTimeout(() => {
    progress(`over ${OVERALL_LIMIT_MS / 1000} s: giving up`);
    void stopStack().finally(() => process.exit(3));
  }, OVERALL_LIMIT_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = signal;
      progress(`${signal}: stopping the local stack…`);
      void stopStack().finally(() => process.exit(130));
    });
  }

  let results: Results;
  try {
    results = await main(stackRef, stopStack);
  } catch (error) {
    if (interrupted) return 130;
    progress(`error: ${(error as Error)?.stack ?? String(error)}`);
    for (const line of notable) progress(`  ${line}`);
    return 2;
  } finally {
    await stopStack();
    clearTimeout(watchdog);
  }
  const totalMs = now() - began;
  const failed = checks.filter((c) => !c.ok);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ...results, cold: results.cold as ColdImport[], totalMs: round(totalMs, 0), checks, logs: { ...logCounts, notable } }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${report(results, totalMs)}\n`);
  }
  return failed.length === 0 ? 0 : 1;
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(2);
  },
);
