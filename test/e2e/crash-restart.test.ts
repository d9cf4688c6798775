import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  type ExecutionListItem,
} from '@aws-sdk/client-sfn';
import { executionArnFor, executionNameOf } from '@shared/domain/ids';
import { ChildStack, type ChildStackInfo } from '../support/child-stack';
import { example } from '../support/fixtures';
import { Api, freePorts, sentEmails, type StoredEmail } from '../support/local';
import { taskLinksIn } from '../support/task-links';

/**
 * No application stalls. The local stack runs as `npm start` runs it, in a process of its own on a
 * data directory of its own; it is killed with SIGKILL (no exit handler runs) in the middle of a
 * burst of 30 submissions, and again while staff answer the links in their emails, and started again
 * each time on the same data and ports. The clients behave as real ones do: a request cut off is
 * retried (a submission with the same Idempotency-Key, a link as it was). Only the end state is
 * asserted, never what was killed when: every application reaches the point it should wait at, with
 * exactly one receipt email and one execution running, the one its record names.
 */

const CALL = 'gdast-2024';
const UNITS = Array.from({ length: 10 }, (_, i) => `crash-unit-${String(i + 1).padStart(2, '0')}`);
/** Three types a unit may each apply for once (3 is the call's limit per unit). */
const TYPES = ['lingnan-forum', 'party-publicity', 'secretary-general-salon'];
/** Staff answer both staff tasks of these types; the third type's applications are left waiting on staff. */
const ANSWERED_TYPES = new Set(['lingnan-forum', 'party-publicity']);
/** The stack is killed once this many requests of a burst have had their answer. */
const KILL_AFTER_SUBMISSIONS = 10;
const KILL_AFTER_ANSWERS = 10;
/** How long staff wait for the task emails before they answer those that came (the others as they come). */
const FIRST_LINKS_WITHIN_MS = 30_000;
/** How long the applications may take to settle after the second restart. */
const SETTLE_WITHIN_MS = 90_000;
const REQUEST_TIMEOUT_MS = 30_000;

const SUBJECT = {
  receipt: '【申报回执】',
  formalReview: '【待办：形式审查',
  paperCopy: '【待办：纸质',
  targetReview: '【待办：绩效目标审核',
};

interface Submission {
  unitId: string;
  typeId: string;
  key: string;
  applicationId?: string;
}

/** The answer to a request, or why there was none (the connection refused, reset, or timed out). */
type Outcome = { status: number; body: any } | { error: string };
const failed = (outcome: Outcome): outcome is { error: string } => 'error' in outcome;
const describeOutcome = (outcome: Outcome) =>
  failed(outcome) ? `no answer (${outcome.error})` : `${outcome.status} ${JSON.stringify(outcome.body).slice(0, 300)}`;

async function send(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { error: cause?.code ?? cause?.message ?? String(error) };
  }
}

/** Polls `probe` until it answers `done`, or the time is up; answers its last value either way. */
async function settle<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  everyMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Runs every request of a burst at once, and kills the stack once `killAfter` of them have had an
 * answer (or at the end of the burst, should fewer come back). Answers every outcome, in order.
 */
async function burstKilledMidway(
  requests: (() => Promise<Outcome>)[],
  killAfter: number,
  kill: () => Promise<void>,
): Promise<Outcome[]> {
  let answered = 0;
  let killed: Promise<void> | undefined;
  const outcomes = await Promise.all(
    requests.map(async (request) => {
      const outcome = await request();
      if (!failed(outcome) && ++answered === killAfter) killed = kill();
      return outcome;
    }),
  );
  await (killed ?? kill());
  return outcomes;
}

const emailAbout = (emails: StoredEmail[], subjectStart: string, applicationId: string) =>
  emails.filter((email) => email.subject.startsWith(subjectStart) && (email.body.text ?? '').includes(applicationId));

let dataDir: string;
let stack: ChildStack;
let info: ChildStackInfo;
let sfn: SFNClient | undefined;
const api = new Api(() => info.urls.api);
const notes: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'funding-call-crash-'));
  // A port picked free can be taken by another test file before the stack binds it: pick again then.
  for (let attempt = 1; ; attempt++) {
    const ports = await freePorts();
    await stack?.end();
    stack = new ChildStack({ dataDir, ports });
    try {
      info = await stack.start();
      return;
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE|address already in use/i.test(String(error))) throw error;
    }
  }
}, 180_000);

afterAll(async () => {
  sfn?.destroy();
  try {
    await stack?.end();
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  if (notes.length > 0) console.info(`crash-restart:\n  ${notes.join('\n  ')}`);
}, 60_000);

test('killed during 30 submissions and again during the staff answers, every application waits where it should, none stalled', async () => {
  const started = Date.now();
  const staff = await api.staffToken();
  const tokens = new Map<string, string>();
  for (const unitId of UNITS) tokens.set(unitId, await api.unitToken(unitId));
  const submissions: Submission[] = UNITS.flatMap((unitId) =>
    TYPES.map((typeId) => ({ unitId, typeId, key: `${unitId}-${typeId}` })),
  );
  const submit = (s: Submission) =>
    send('POST', `${api.base}/calls/${CALL}/applications`, {
      token: tokens.get(s.unitId),
      body: example(s.typeId),
      headers: { 'Idempotency-Key': s.key },
    });

  // 1. A burst of 30 submissions, the stack killed in its middle.
  const firstTry = await burstKilledMidway(
    submissions.map((s) => () => submit(s)),
    KILL_AFTER_SUBMISSIONS,
    () => stack.kill(),
  );
  info = await stack.start();
  const problems: string[] = [];
  const accepted = firstTry.filter((outcome) => !failed(outcome) && outcome.status === 201).length;
  notes.push(
    `burst 1: ${accepted} of ${submissions.length} submissions answered 201 before the kill, ${firstTry.filter(failed).length} cut off`,
  );
  await Promise.all(
    submissions.map(async (s, i) => {
      let outcome = firstTry[i];
      // Cut off: a real client sends the same request again, with the same Idempotency-Key.
      for (let retry = 1; failed(outcome) && retry <= 3; retry++) outcome = await submit(s);
      if (failed(outcome) || outcome.status !== 201)
        problems.push(`submission ${s.key}: ${describeOutcome(outcome)} (first try: ${describeOutcome(firstTry[i])})`);
      else s.applicationId = outcome.body.applicationId as string;
    }),
  );
  expect(problems).toEqual([]);

  // Every application exists, exactly once: each unit has its three, one of each type.
  for (const unitId of UNITS) {
    const mine = await send('GET', `${api.base}/units/me/applications?callId=${CALL}`, { token: tokens.get(unitId) });
    const listed = failed(mine)
      ? []
      : ((mine.body.applications ?? []) as { applicationId: string; projectTypeId: string }[]);
    const expected = submissions.filter((s) => s.unitId === unitId);
    expect({ unitId, applications: listed.map((a) => `${a.projectTypeId} ${a.applicationId}`).sort() }).toEqual({
      unitId,
      applications: expected.map((s) => `${s.typeId} ${s.applicationId}`).sort(),
    });
  }
  const applications = submissions as Required<Submission>[];

  // 2. Staff answer the formal review and the paper copy from their emails (two of each unit's three
  // applications), all at once, and the stack is killed in the middle of their answers. An email the
  // first crash held up (a send it cut off is taken over only once its claim is stale) is answered
  // when it comes, as staff would.
  const toAnswer = applications.filter((a) => ANSWERED_TYPES.has(a.typeId));
  const answered = new Set<string>();
  const linksOf = (emails: StoredEmail[], applicationId: string) => ({
    review: emailAbout(emails, SUBJECT.formalReview, applicationId).flatMap(taskLinksIn)[0],
    paper: emailAbout(emails, SUBJECT.paperCopy, applicationId).flatMap(taskLinksIn)[0],
  });
  type Answer = { applicationId: string; link: string; body: Record<string, unknown> };
  const answersOf = (emails: StoredEmail[], a: Submission): Answer[] => {
    const { review, paper } = linksOf(emails, a.applicationId as string);
    if (!review || !paper) return [];
    return [
      { applicationId: a.applicationId as string, link: review, body: { answer: 'pass' } },
      { applicationId: a.applicationId as string, link: paper, body: { answer: 'received', receivedOn: '2023-09-01' } },
    ];
  };
  const answer = (a: Answer) => send('POST', a.link, { body: a.body });
  /** Taken now, or taken already (a link answered twice says so): both fine. */
  const taken = (outcome: Outcome) =>
    !failed(outcome) &&
    (outcome.status === 200 || (outcome.status === 409 && outcome.body?.error?.code === 'ALREADY_DONE'));

  const emailsNow = await settle(
    () => sentEmails(info.urls.email),
    (emails) => toAnswer.every((a) => answersOf(emails, a).length === 2),
    FIRST_LINKS_WITHIN_MS,
  );
  const burst = toAnswer.flatMap((a) => answersOf(emailsNow, a));
  for (const a of burst) answered.add(a.applicationId);
  const firstAnswers = await burstKilledMidway(
    burst.map((a) => () => answer(a)),
    Math.min(KILL_AFTER_ANSWERS, Math.ceil(burst.length / 3)),
    () => stack.kill(),
  );
  info = await stack.start(); // the same ports: the links in the emails name the API's
  notes.push(
    `burst 2: ${firstAnswers.filter((o) => !failed(o) && o.status === 200).length} of ${burst.length} staff answers taken before the kill, ${firstAnswers.filter(failed).length} cut off`,
  );
  await Promise.all(
    burst.map(async (a, i) => {
      let outcome = firstAnswers[i];
      // Cut off: staff tap the link again. Taken the first time after all, it says so (409 ALREADY_DONE).
      for (let retry = 1; failed(outcome) && retry <= 3; retry++) outcome = await answer(a);
      if (!taken(outcome))
        problems.push(
          `answer ${JSON.stringify(a.body)} for ${a.applicationId}: ${describeOutcome(outcome)} (first try: ${describeOutcome(firstAnswers[i])})`,
        );
    }),
  );
  expect(problems).toEqual([]);
  /** Staff answer the task emails that came after the burst, once both have come. */
  const answerLateEmails = async (emails: StoredEmail[]) => {
    const late = toAnswer.filter((a) => !answered.has(a.applicationId)).flatMap((a) => answersOf(emails, a));
    if (late.length === 0) return;
    for (const a of late) answered.add(a.applicationId);
    notes.push(
      `${late.length / 2} application(s) had their staff task emails after the burst, ${Math.round((Date.now() - started) / 1000)} s into the test`,
    );
    await Promise.all(
      late.map(async (a) => {
        const outcome = await answer(a);
        if (!taken(outcome))
          problems.push(`late answer ${JSON.stringify(a.body)} for ${a.applicationId}: ${describeOutcome(outcome)}`);
      }),
    );
  };

  // 3. Every application reaches the point it should wait at, none stalled.
  sfn = new SFNClient({
    endpoint: info.urls.stepfunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = sfn;
  const listRunning = async () => {
    const running: ExecutionListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new ListExecutionsCommand({
          stateMachineArn: info.stateMachineArn,
          statusFilter: 'RUNNING',
          maxResults: 1000,
          nextToken,
        }),
      );
      running.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return running;
  };
  const executionStatus = async (executionArn: string) => {
    try {
      return (await client.send(new DescribeExecutionCommand({ executionArn }))).status ?? 'UNKNOWN';
    } catch (error) {
      return `not found (${(error as Error).name})`;
    }
  };
  const linkState = async (link: string | undefined) => {
    if (!link) return 'no email';
    const seen = await send('GET', link);
    return failed(seen) ? seen.error : seen.status === 200 ? String(seen.body?.state) : `${seen.status}`;
  };

  /** What is wrong with each application now (nothing: an empty list). */
  const check = async (): Promise<{ stalled: { status: string; line: string }[]; wrong: string[] }> => {
    await answerLateEmails(await sentEmails(info.urls.email));
    const emails = await sentEmails(info.urls.email);
    const running = await listRunning();
    const stalled: { status: string; line: string }[] = [];
    const wrong: string[] = [];
    await Promise.all(
      applications.map(async (a) => {
        const staffAnswered = ANSWERED_TYPES.has(a.typeId);
        const expected = staffAnswered ? 'FORMAL_REVIEW_PASSED' : 'FORMAL_CHECK_PASSED';
        const read = await send('GET', `${api.base}/applications/${a.applicationId}`, { token: staff });
        if (failed(read) || read.status !== 200)
          return void wrong.push(`${a.applicationId} (${a.key}): GET answered ${describeOutcome(read)}`);
        const app = read.body as { status: string; executionArn?: string; waitingOn?: unknown[]; failure?: unknown };
        const issues: string[] = [];
        if (app.status !== expected) issues.push(`status ${app.status}, expected ${expected}`);
        const receipts = emailAbout(emails, SUBJECT.receipt, a.applicationId).length;
        if (receipts !== 1) issues.push(`${receipts} receipt emails`);
        const current = app.executionArn ?? executionArnFor(info.stateMachineArn, a.applicationId);
        const currentStatus = await executionStatus(current);
        const itsRunning = running
          .filter((e) => e.name === a.applicationId || e.name?.startsWith(`${a.applicationId}-`))
          .map((e) => e.name);
        if (currentStatus !== 'RUNNING')
          issues.push(
            `its execution ${executionNameOf(current)}${app.executionArn ? '' : ' (none recorded)'} is ${currentStatus}`,
          );
        if (itsRunning.length !== 1 || itsRunning[0] !== executionNameOf(current))
          issues.push(`running executions: [${itsRunning.join(', ')}]`);
        if (staffAnswered && !answered.has(a.applicationId))
          issues.push('its staff task emails have not both come: not answered');
        else if (staffAnswered) {
          const targetEmails = emailAbout(emails, SUBJECT.targetReview, a.applicationId);
          const state = await linkState(targetEmails.flatMap(taskLinksIn)[0]);
          if (state !== 'OPEN') issues.push(`target-review task: ${state}`);
        } else {
          for (const [task, subject] of [
            ['formal-review', SUBJECT.formalReview],
            ['paper-copy', SUBJECT.paperCopy],
          ]) {
            const state = await linkState(emailAbout(emails, subject, a.applicationId).flatMap(taskLinksIn)[0]);
            if (state !== 'OPEN') issues.push(`${task} task: ${state}`);
          }
        }
        if (issues.length === 0) return;
        const line = `${a.applicationId} (${a.key}${staffAnswered ? ', staff answer' : ', left waiting on staff'}): ${issues.join('; ')}; waitingOn ${JSON.stringify(app.waitingOn ?? [])}${app.failure ? `; failure ${JSON.stringify(app.failure)}` : ''}`;
        if (currentStatus !== 'RUNNING') stalled.push({ status: app.status, line });
        else wrong.push(line);
      }),
    );
    return { stalled: stalled.sort((x, y) => (x.line < y.line ? -1 : 1)), wrong: wrong.sort() };
  };
  const end = await settle(
    check,
    (found) => found.stalled.length === 0 && found.wrong.length === 0,
    SETTLE_WITHIN_MS,
    2000,
  );
  expect(problems).toEqual([]);
  if (end.stalled.length > 0 || end.wrong.length > 0) {
    const byStatus = new Map<string, number>();
    for (const { status } of end.stalled) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    throw new Error(
      [
        `After ${SETTLE_WITHIN_MS / 1000} s, ${end.stalled.length} of ${applications.length} applications stalled (their execution not running)` +
          (byStatus.size > 0 ? `, by status: ${[...byStatus].map(([status, n]) => `${status} ${n}`).join(', ')}` : '') +
          `, and ${end.wrong.length} not where they should wait.`,
        ...notes,
        ...(end.stalled.length > 0 ? ['Stalled:', ...end.stalled.map(({ line }) => `  ${line}`)] : []),
        ...(end.wrong.length > 0 ? ['Not where they should wait:', ...end.wrong.map((line) => `  ${line}`)] : []),
      ].join('\n'),
    );
  }
}, 360_000);
