/**
 * `npm run bench:call [N]` (default 3,000): N applications through a whole call on the local stack,
 * started here on free ports and in memory (as the tests start it, test/support/local.ts) and
 * stopped at the end: submissions from N/3 units, the staff stages through their links, the round,
 * every expert's answer, the proposal and the department head's confirmation. Prints each stage's
 * time and throughput, the peak memory, and every count checked (docs/measuring.md).
 *
 *   npm run bench:call 300
 *   npm run bench:call -- 3000 --concurrency=24
 *
 * Exits 0 when every check holds, 1 when one fails, 2 on an error.
 */
import '../env';
import '@infra/local/polyfills';
import { format } from 'node:util';
import type { LocalStack } from '@infra/local/local-stack';
import { startTestStack } from './support';
import { runBenchCall } from './driver';
import { StackLog } from './measure';
import { machineNow, textReport } from './report';

const DEFAULT_N = 3000;
const DEFAULT_CONCURRENCY = 16;
/** The sweep's timer, as `npm start` runs it: it carries the call-level batches a request leaves. */
const SWEEP_EVERY_MS = 5_000;

const progress = (message: string) => process.stderr.write(`[bench:call] ${message}\n`);

function parseArgs(argv: string[]): { n: number; concurrency: number } {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const flag = argv.find((a) => a.startsWith('--concurrency='));
  const n = positional[0] === undefined ? DEFAULT_N : Number(positional[0]);
  const concurrency = flag ? Number(flag.split('=')[1]) : DEFAULT_CONCURRENCY;
  if (!Number.isInteger(n) || n < 1) throw new Error(`N must be a whole number ≥ 1, not ${positional[0]}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`bad --concurrency: ${flag}`);
  return { n, concurrency };
}

/** console.error and console.warn of the handlers while the call runs: kept among the notable lines. */
function keepConsole(stackLog: StackLog): void {
  console.error = (...args: unknown[]) => stackLog.keep(`[console.error] ${format(...args)}`);
  console.warn = (...args: unknown[]) => stackLog.keep(`[console.warn] ${format(...args)}`);
  process.on('unhandledRejection', (reason) =>
    stackLog.keep(`[unhandledRejection] ${String((reason as Error)?.stack ?? reason)}`),
  );
}

async function main(): Promise<number> {
  const { n, concurrency } = parseArgs(process.argv.slice(2));
  const machine = machineNow();
  const stackLog = new StackLog();
  keepConsole(stackLog);
  progress(`starting the local stack (synth, DynamoDB Local, SES, Step Functions, API)…`);
  const startedAt = performance.now();
  let stack: LocalStack | undefined;
  try {
    stack = await startTestStack({ sweepEveryMs: SWEEP_EVERY_MS, log: stackLog.log });
    const startMs = performance.now() - startedAt;
    progress(`up in ${Math.round(startMs)} ms at ${stack.urls.api}`);
    const result = await runBenchCall({ n, urls: stack.urls, stackLog, concurrency, progress });
    const command = `npm run bench:call ${n}${concurrency === DEFAULT_CONCURRENCY ? '' : ` -- --concurrency=${concurrency}`}`;
    process.stdout.write(`${textReport(command, machine, startMs, result, stackLog, concurrency)}\n`);
    return result.checks.every((c) => c.ok) ? 0 : 1;
  } catch (error) {
    for (const line of stackLog.notable) progress(`   ${line}`);
    throw error;
  } finally {
    progress('stopping the stack…');
    await stack?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench:call] error: ${String((error as Error)?.stack ?? error)}\n`);
    process.exit(2);
  },
);
