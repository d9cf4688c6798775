import type { SweepRuns } from './console';
import type { LocalLambdaEndpoint } from './lambda-endpoint';
import { invokeLocal } from './lambdas';

/**
 * Local mode's deadline sweep: the scheduled function, then the workers it started through Lambda's
 * Invoke API (asynchronously, as on AWS, in-process here), so a local sweep ends with its effects;
 * recorded for the console with what the sweep and its workers did, added up.
 */
export function localSweep(lambdas: LocalLambdaEndpoint, runs: SweepRuns): () => Promise<Record<string, number>> {
  return () =>
    runs.record(async () => sumCounts([await invokeLocal('sweep-deadlines', {}), ...(await lambdas.settle())]));
}

/**
 * Runs the deadline sweep every `everyMs`, as the schedule does on AWS every minute; answers how to
 * stop it. A run still working a burst is not joined by another every few seconds (on AWS the
 * workers' reserved concurrency and their budget keep the runs of a shard apart); a clock move
 * still sweeps at once.
 */
export function startSweepTimer(
  sweep: () => Promise<unknown>,
  everyMs: number,
  log: (message: string) => void,
): () => Promise<void> {
  let running = false;
  const sweepTimer = setInterval(() => {
    if (running) return;
    running = true;
    void sweep()
      .catch((error) => log(`sweep failed: ${String(error)}`))
      .finally(() => (running = false));
  }, everyMs);
  sweepTimer.unref();
  return async () => clearInterval(sweepTimer);
}

/** What a sweep and its workers did, added up by kind (the console shows it). */
function sumCounts(results: unknown[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const result of results)
    for (const [kind, count] of Object.entries((result ?? {}) as Record<string, unknown>))
      if (typeof count === 'number') sum[kind] = (sum[kind] ?? 0) + count;
  return sum;
}
