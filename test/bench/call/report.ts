/** The text report of `npm run bench:call`: the machine, each stage's figures, the memory, every check. */
import { cpus, loadavg, totalmem } from 'node:os';
import { round, table } from '../stats';
import type { BenchCallResult } from './driver';
import type { CallLevelAnswer } from './jobs';
import type { StackLog } from './measure';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  at: string;
  loadAtStart: number[];
}

export const machineNow = (): Machine => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
  memoryGiB: round(totalmem() / 2 ** 30),
  node: process.version,
  at: new Date().toISOString(),
  loadAtStart: loadavg().map((l) => round(l, 2)),
});

const perSecond = (count: number, ms: number) => (ms > 0 && count > 0 ? round((count * 1000) / ms, 1) : '');

function stageTable(result: BenchCallResult): string {
  const rows = result.stages.map((s) => [
    s.name,
    s.applications || '',
    s.requests,
    round(s.ms / 1000, 1),
    perSecond(s.applications, s.ms),
    perSecond(s.requests, s.ms),
    s.memory.rssMiB,
    s.memory.heapUsedMiB,
  ]);
  const call = result.stages.filter((s) => !/^(register|add|checks)/.test(s.name));
  const callMs = call.reduce((sum, s) => sum + s.ms, 0);
  const callRequests = call.reduce((sum, s) => sum + s.requests, 0);
  const n = result.plan.applications.length;
  rows.push([
    'the call, submit → every outcome',
    n,
    callRequests,
    round(callMs / 1000, 1),
    perSecond(n, callMs),
    perSecond(callRequests, callMs),
    '',
    '',
  ]);
  return table(['stage', 'apps', 'requests', 's', 'apps/s', 'req/s', 'peak RSS MiB', 'peak heap MiB'], rows);
}

/** What a call-level request answered: its status, and its job if it was one. */
function callLevelLine(what: string, answer: CallLevelAnswer): string {
  const failed = answer.failures.map((f) => `${f.status} after ${Math.round(f.afterMs / 1000)} s, `).join('');
  return `${what}: ${failed}${callLevelAnswered(answer)}`;
}

function callLevelAnswered(answer: CallLevelAnswer): string {
  if (answer.job)
    return `202, job ${answer.job.jobId} ${answer.job.state} ${answer.job.done}/${answer.job.total} (${answer.job.polls} polls)`;
  const body = answer.answer.body ?? {};
  const summary = body.summary ? ` ${JSON.stringify(body.summary)}` : '';
  const batches = body.batches ? ` batches ${JSON.stringify(body.batches)}` : '';
  return `${answer.answer.status}${summary}${batches}`;
}

export function textReport(
  command: string,
  machine: Machine,
  startMs: number,
  result: BenchCallResult,
  stackLog: StackLog,
  concurrency: number,
): string {
  const { plan } = result;
  const loadEnd = loadavg().map((l) => round(l, 2));
  const passed = result.checks.filter((c) => c.ok).length;
  return [
    `${command}   (${machine.at})`,
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}`,
    `load average (1, 5, 15 min): at start ${machine.loadAtStart.join(' ')}, at end ${loadEnd.join(' ')}` +
      (Math.max(machine.loadAtStart[0], loadEnd[0]) > machine.cpus
        ? '  (above the CPUs: other work skews the figures)'
        : ''),
    `local stack up in ${round(startMs / 1000, 1)} s; API, handlers, Step Functions and SES in this process, DynamoDB Local (Java) apart`,
    `${plan.applications.length} applications from ${plan.units.length} units (3 each, one type each), ${plan.applications.length - plan.reviewed} rejected on purpose at the formal review;`,
    `${plan.experts.length} experts added (cap ${plan.experts[0]?.body.maxLoad}) to the seeded pool, panels of ${plan.panelSize}; ${concurrency} requests in flight at most`,
    '',
    stageTable(result),
    '',
    `peak memory of this process: RSS ${result.memory.rssMiB} MiB, heap used ${result.memory.heapUsedMiB} MiB`,
    `requests sent: ${result.requests}; emails in SES: ${result.emails}`,
    callLevelLine('round (POST expert-assignments)', result.round),
    callLevelLine('proposal (POST award-proposal)', result.proposal),
    `executions: ${stackLog.started.size} started, ended ${JSON.stringify(stackLog.endings)}`,
    '',
    `checks: ${passed}/${result.checks.length} passed`,
    ...result.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: ${c.detail}`),
    ...(stackLog.notable.length ? ['', 'notable log lines:', ...stackLog.notable.map((l) => `  ${l}`)] : []),
  ].join('\n');
}
