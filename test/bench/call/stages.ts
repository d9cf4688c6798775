/**
 * The stages of the measured call, each as people do it: units submit, staff answer their task
 * links (formal review, paper copy, target review), staff start the round, every expert answers
 * from their digest's links, the clock moves past the review deadline, staff ask for the proposal
 * and the department head confirms it from their link. Each stage waits until what it started has
 * happened (the statuses, the emails) before the next begins, so each is timed alone.
 */
import { expertScore, eventually, type Api, followLink, taskLinkIn } from './support';
import { pool } from '../stats';
import { callLevel, followJob, isJob, type CallLevelAnswer } from './jobs';
import { expertLinks, isStaffTask, staffLinks, type Mailbox } from './mailbox';
import type { RequestCounter } from './measure';
import { bodyOf, CALL_ID, type CallPlan } from './population';

export interface CallDriver {
  api: Api;
  /** a staff token */
  staff: string;
  mail: Mailbox;
  plan: CallPlan;
  concurrency: number;
  requests: RequestCounter;
  progress: (message: string) => void;
  /** how long one wait (statuses, emails, a job) may take */
  waitMs: number;
}

const RETRIES = 5;
const RETRY_AFTER_MS = 2_000;

/**
 * Answers a task link as its holder would (POST, JSON), expecting 200. A gateway error (the handler
 * past the API's time) is noted and the answer sent again, as a person would; then 409 ALREADY_DONE
 * says the first one went through.
 */
async function answerLink(d: CallDriver, link: string, answer: Record<string, unknown>, what: string) {
  for (let attempt = 0; ; attempt++) {
    d.requests.add();
    const answered = await followLink(link, { answer });
    if (answered.status === 200 || (attempt > 0 && answered.body?.error?.code === 'ALREADY_DONE')) return answered;
    if (!d.requests.gatewayError(answered.status, what) || attempt >= RETRIES)
      throw new Error(`${what}: ${answered.status} ${JSON.stringify(answered.body)}`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
  }
}

/** Every application submitted by its unit; answers the application ids in plan order. */
export async function submitAll(d: CallDriver, tokens: Map<string, string>): Promise<string[]> {
  return pool(d.plan.applications.length, d.concurrency, async (i) => {
    const app = d.plan.applications[i];
    const token = tokens.get(app.unitId) ?? '';
    const answer = await d.api.submit(token, bodyOf(app), { 'Idempotency-Key': `bench-call-${app.index}` });
    if (answer.status !== 201) throw new Error(`submission ${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.applicationId as string;
  });
}

/** Waits until the call's applications are counted in these statuses (GET /calls/{callId}/overview). */
export async function statusesReach(d: CallDriver, expected: Record<string, number>, what: string) {
  let last: Record<string, number> = {};
  await eventually(
    async () => {
      d.requests.add();
      const overview = await d.api.request('GET', `/calls/${CALL_ID}/overview`, { token: d.staff });
      if (overview.status !== 200) throw new Error(`overview: ${overview.status} ${JSON.stringify(overview.body)}`);
      last = overview.body.byStatus as Record<string, number>;
      return Object.entries(expected).every(([status, n]) => last[status] === n) ? true : undefined;
    },
    d.waitMs,
    what,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; counts ${JSON.stringify(last)}`);
  });
}

const FORMAL_REVIEW = '形式审查';
const PAPER_COPY = '纸质材料签收';
const TARGET_REVIEW = '绩效目标审核';

/** Waits for the formal-review and paper-copy task emails of every application (the workflows' automatic stages). */
export async function staffTasksOpen(d: CallDriver): Promise<void> {
  const n = d.plan.applications.length;
  const counted = [isStaffTask(FORMAL_REVIEW), isStaffTask(PAPER_COPY)];
  await d.mail.until(
    'the staff task emails',
    2 * n,
    (all) => all.filter((e) => counted.some((is) => is(e))).length,
    d.waitMs,
  );
}

/** The formal review of every application from its link: passed, or rejected for the planned ones. */
export async function formalReviews(d: CallDriver, ids: string[]): Promise<void> {
  const links = staffLinks(d.mail.all(), FORMAL_REVIEW);
  await pool(ids.length, d.concurrency, async (i) => {
    const link = links.get(ids[i]);
    if (!link) throw new Error(`no formal-review link for ${ids[i]}`);
    const answer = d.plan.applications[i].reject
      ? { answer: 'reject', reasons: ['基准测试：有意不予受理 / rejected on purpose by the bench'] }
      : { answer: 'pass' };
    await answerLink(d, link, answer, `formal review of ${ids[i]}`);
  });
}

/** The paper copy of every application not rejected, received on the first day, from its link. */
export async function paperCopies(d: CallDriver, ids: string[]): Promise<void> {
  const links = staffLinks(d.mail.all(), PAPER_COPY);
  const kept = ids.filter((_, i) => !d.plan.applications[i].reject);
  await pool(kept.length, d.concurrency, async (i) => {
    const link = links.get(kept[i]);
    if (!link) throw new Error(`no paper-copy link for ${kept[i]}`);
    await answerLink(d, link, { answer: 'received', receivedOn: '2023-09-01' }, `paper copy of ${kept[i]}`);
  });
}

/** Waits for each target-review task email, answers it (pass), then waits until every one is ready for the round. */
export async function targetReviews(d: CallDriver, ids: string[]): Promise<void> {
  const kept = ids.filter((_, i) => !d.plan.applications[i].reject);
  const all = await d.mail.until(
    'the target-review emails',
    kept.length,
    (e) => e.filter(isStaffTask(TARGET_REVIEW)).length,
    d.waitMs,
  );
  const links = staffLinks(all, TARGET_REVIEW);
  await pool(kept.length, d.concurrency, async (i) => {
    const link = links.get(kept[i]);
    if (!link) throw new Error(`no target-review link for ${kept[i]}`);
    await answerLink(d, link, { answer: 'pass' }, `target review of ${kept[i]}`);
  });
  const rejected = ids.length - kept.length;
  await statusesReach(
    d,
    { READY_FOR_EXPERT_REVIEW: kept.length, REJECTED: rejected },
    'every application ready for the round',
  );
}

/** Staff start the round; waits until every expert's digest is in the mailbox with every place's link. */
export async function reviewRound(d: CallDriver): Promise<CallLevelAnswer> {
  const started = await callLevel(
    d.api,
    d.staff,
    `/calls/${CALL_ID}/expert-assignments`,
    [201, 200],
    d.progress,
    d.waitMs,
  );
  const places = d.plan.reviewed * d.plan.panelSize;
  await d.mail.until('every expert link', places, (all) => expertLinks(all).length, d.waitMs);
  return started;
}

/** Every expert scores every application on their digest from its link; waits until each is SCORED. */
export async function expertAnswers(d: CallDriver): Promise<number> {
  const links = expertLinks(d.mail.all());
  await pool(links.length, d.concurrency, async (i) => {
    // Scores spread from 60 to 99, so that each type's ranking has something to rank.
    await answerLink(d, links[i], expertScore(60 + ((i * 7) % 40)), `expert answer ${i}`);
  });
  await statusesReach(d, { SCORED: d.plan.reviewed }, 'every application SCORED');
  return links.length;
}

/** Past the review deadline, staff ask for the proposal; answers it (or its job). */
export async function awardProposal(d: CallDriver): Promise<CallLevelAnswer> {
  d.requests.add();
  await d.api.setClock('2023-11-01T09:00:00+08:00');
  return callLevel(d.api, d.staff, `/calls/${CALL_ID}/award-proposal`, [201], d.progress, d.waitMs);
}

const isOutcome = (subject: string) => subject.startsWith('【立项通知】') || subject.startsWith('【评审结果】');

/** The department head confirms from their link; waits until every application has its outcome, and its email. */
export async function confirmation(d: CallDriver): Promise<{ jobPolls?: number }> {
  const head = await d.mail.until(
    'the confirmation email',
    1,
    (all) => all.filter((e) => e.subject.includes('立项建议')).length,
    d.waitMs,
  );
  const link = taskLinkIn(head.find((e) => e.subject.includes('立项建议'))!);
  const answered = await answerLink(d, link, { answer: 'confirm' }, 'the confirmation');
  const job = isJob(answered) ? await followJob(d.api, d.staff, answered, d.progress, d.waitMs) : undefined;
  await d.mail.until(
    'every outcome email',
    d.plan.reviewed,
    (all) => all.filter((e) => isOutcome(e.subject)).length,
    d.waitMs,
  );
  return { jobPolls: job?.polls };
}
