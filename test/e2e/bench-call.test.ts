/**
 * `npm run bench:call` at N = 12, so that CI proves the driver works end to end: 12 applications
 * from 4 units through the staff links, the round, every expert's answer, the proposal and the
 * confirmation, then every count it checks (test/bench/call/checks.ts).
 */
import { useLocalStack } from '../support/e2e';
import { runBenchCall } from '../bench/call/driver';
import { StackLog } from '../bench/call/measure';

const stackLog = new StackLog();
// The sweep's timer as `npm start` runs it: it carries what a call-level request leaves.
const stack = useLocalStack({ sweepEveryMs: 5_000, log: stackLog.log });

test('12 applications through a whole call: each stage done, every count checked', async () => {
  const result = await runBenchCall({ n: 12, urls: stack.urls, stackLog, concurrency: 8 });

  expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  expect(result.checks.length).toBeGreaterThanOrEqual(11);
  expect(result.plan.applications.length - result.plan.reviewed).toBe(1); // one rejected on purpose
  expect(result.stages.map((s) => s.name)).toEqual(
    expect.arrayContaining(['submit', 'formal review (links)', 'expert answers (links) → SCORED']),
  );
  for (const stage of result.stages) expect(stage.ms).toBeGreaterThanOrEqual(0);
}, 120_000);
