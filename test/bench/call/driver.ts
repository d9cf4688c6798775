/**
 * Drives N applications through a whole call on a running local stack (see main.ts for the command,
 * test/e2e/bench-call.test.ts for the jest run): every stage timed, then every count checked.
 */
import { Api, type ApiAnswer } from './support';
import { checkCall, type Check } from './checks';
import type { CallLevelAnswer } from './jobs';
import { Mailbox } from './mailbox';
import { MemorySampler, RequestCounter, StageClock, type StackLog, type StageFigure } from './measure';
import { planCall, registerExperts, registerUnits, type CallPlan } from './population';
import {
  awardProposal,
  confirmation,
  expertAnswers,
  formalReviews,
  paperCopies,
  reviewRound,
  staffTasksOpen,
  submitAll,
  targetReviews,
  type CallDriver,
} from './stages';

export interface BenchCallOptions {
  n: number;
  urls: { api: string; email: string; dynamodb: string };
  stackLog: StackLog;
  /** HTTP requests in flight at once */
  concurrency?: number;
  progress?: (message: string) => void;
}

export interface BenchCallResult {
  plan: CallPlan;
  stages: StageFigure[];
  memory: MemorySampler['overall'];
  requests: number;
  round: CallLevelAnswer;
  proposal: CallLevelAnswer;
  checks: Check[];
  emails: number;
}

/** An Api that counts every request it sends. */
class CountingApi extends Api {
  constructor(
    base: string,
    private readonly counter: RequestCounter,
  ) {
    super(base);
  }

  override async request<T = any>(
    method: string,
    route: string,
    options?: Parameters<Api['request']>[2],
  ): Promise<ApiAnswer<T>> {
    this.counter.add();
    const answer = await super.request<T>(method, route, options);
    this.counter.gatewayError(answer.status, `${method} ${route.split('?')[0]}`);
    return answer;
  }
}

/** Runs the call, stage after stage, then checks it. Throws only on what stops the call itself. */
export async function runBenchCall(options: BenchCallOptions): Promise<BenchCallResult> {
  const { n, urls, stackLog, concurrency = 16, progress = () => undefined } = options;
  const requests = new RequestCounter();
  const memory = new MemorySampler();
  const clock = new StageClock(memory, requests, progress);
  const api = new CountingApi(urls.api, requests);
  const plan = planCall(n);
  const d: CallDriver = {
    api,
    staff: await api.staffToken(),
    mail: new Mailbox(urls.email, requests),
    plan,
    concurrency,
    requests,
    progress,
    waitMs: Math.max(60_000, n * 300),
  };
  try {
    return await runStages(d, clock, urls, stackLog, memory);
  } finally {
    memory.stop();
  }
}

async function runStages(
  d: CallDriver,
  clock: StageClock,
  urls: BenchCallOptions['urls'],
  stackLog: StackLog,
  memory: MemorySampler,
): Promise<BenchCallResult> {
  const { plan } = d;
  const n = plan.applications.length;
  const tokens = await clock.run(`register ${plan.units.length} units`, 0, () =>
    registerUnits(d.api, plan, d.concurrency),
  );
  await clock.run(`add ${plan.experts.length} experts`, 0, () => registerExperts(d.api, d.staff, plan, d.concurrency));
  const ids = await clock.run('submit', n, () => submitAll(d, tokens));
  await clock.run('receipt + formal check → staff tasks open', n, () => staffTasksOpen(d));
  await clock.run('formal review (links)', n, () => formalReviews(d, ids));
  await clock.run('paper copy (links)', plan.reviewed, () => paperCopies(d, ids));
  await clock.run('target review (links) → ready', plan.reviewed, () => targetReviews(d, ids));
  const round = await clock.run('round → every expert emailed', plan.reviewed, () => reviewRound(d));
  await clock.run('expert answers (links) → SCORED', plan.reviewed, () => expertAnswers(d));
  const proposal = await clock.run('clock past deadline, proposal', plan.reviewed, () => awardProposal(d));
  await clock.run('confirmation (link) → every outcome emailed', plan.reviewed, () => confirmation(d));
  const checks = await clock.run('checks (reads)', n, () =>
    checkCall({ d, ids, dynamodbUrl: urls.dynamodb, stackLog, round, proposal }),
  );
  return {
    plan,
    stages: clock.stages,
    memory: memory.overall,
    requests: d.requests.total,
    round,
    proposal,
    checks,
    emails: d.mail.all().length,
  };
}
