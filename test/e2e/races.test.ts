import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { claimTask, getTask, type TaskClosing } from '@shared/adapters/dynamodb/task-items';
import { useLocalStack } from '../support/e2e';
import { example, shortForum } from '../support/fixtures';
import { eventually, type ApiAnswer } from '../support/local';

/**
 * Races between the unit's requests, the workflow and the deadline sweep. Handlers run in this
 * process, so a stub of a client class's `send` (aws-sdk-client-mock) reaches the product's own
 * calls and can hold one of them at the exact moment a race needs.
 */
const TABLE = 'funding-call';
// After each test: the stubs restored, then the clock put back.
const stack = useLocalStack({ resetClockAfterEach: true });
const { api, intercept, restoreStubs: restoreMocks, clockNow } = stack;

const unavailable = () =>
  Object.assign(new Error('Service is unavailable'), {
    name: 'ServiceUnavailable',
    $fault: 'server',
    $metadata: { httpStatusCode: 503 },
  });

const submit = api.submit.bind(api);
const amend = (token: string, id: string, body: unknown) => api.request('PUT', `/applications/${id}`, { token, body });
const withdraw = (token: string, id: string) => api.request('POST', `/applications/${id}/withdraw`, { token });
const read = async (token: string, id: string) => (await api.request('GET', `/applications/${id}`, { token })).body;
const answerOf = (answer: ApiAnswer) => `${answer.status}${answer.body?.error ? ` ${answer.body.error.code}` : ''}`;

async function item(key: { PK: string; SK: string }): Promise<Record<string, any> | undefined> {
  const result = await stack.dynamo.send(
    new GetItemCommand({ TableName: TABLE, Key: marshall(key), ConsistentRead: true }),
  );
  return result.Item ? unmarshall(result.Item) : undefined;
}
const applicationItem = (id: string) => item({ PK: `APP#${id}`, SK: 'APP' });
const slotsItem = (unitId: string) => item({ PK: `UNIT#${unitId}`, SK: 'SLOTS#gdast-2024' });

/** A forum that passes every check but has a title of its own. */
/** The unit's amendment of v1, written straight to the table (as the amend handler would commit it). */
async function amendV1Directly(key: { PK: string; SK: string }, form: Record<string, unknown>): Promise<void> {
  await stack.dynamo.send(
    new UpdateItemCommand({
      TableName: TABLE,
      Key: marshall(key),
      UpdateExpression: 'SET #form = :form, #version = #version + :one',
      ConditionExpression: '#version = :one',
      ExpressionAttributeNames: { '#form': 'form', '#version': 'version' },
      ExpressionAttributeValues: marshall({
        ':form': { ...form, coOrganisers: example('lingnan-forum').coOrganisers },
        ':one': 1,
      }),
    }),
  );
}

const validForum = (title: string) => ({ ...example('lingnan-forum'), title });

/** A forum that fails exactly one requirement of the formal check: fewer than 200 attending offline. */
function forumWith150Attending(): Record<string, any> {
  const body = example('lingnan-forum');
  body.details.offlineAttendance = 150;
  return body;
}

/** Submits a forum short of the rules and waits until the workflow parks it on its amendment task. */
async function returnedApplication(token: string): Promise<string> {
  const submitted = await submit(token, shortForum());
  expect(submitted.status).toBe(201);
  const id = submitted.body.applicationId as string;
  await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');
  await eventually(
    async () => ((await applicationItem(id))?.openTaskId ? true : undefined),
    10_000,
    'the amendment task',
  );
  return id;
}

type HistoryEntry = { stage: string; result: string; detail?: { version?: number; reasons?: unknown } };
const formalChecks = (app: { history: HistoryEntry[] }) => app.history.filter((entry) => entry.stage === 'FormalCheck');
const stages = (app: { history: HistoryEntry[] }) => app.history.map((entry) => `${entry.stage}:${entry.result}`);

describe('per-unit limits under concurrency', () => {
  test('10 concurrent Lingnan forum submissions from one unit: exactly one 201, nine 409 TYPE_LIMIT_REACHED', async () => {
    const unitId = 'race-forum-unit';
    const token = await api.unitToken(unitId);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => submit(token, validForum(`并发岭南论坛 ${i}`))),
    );
    const tally = answers.map(answerOf).sort();
    expect(tally).toEqual(['201', ...Array(9).fill('409 TYPE_LIMIT_REACHED')]);
    const winner = answers.find((answer) => answer.status === 201)!.body.applicationId;
    const mine = (await api.request('GET', '/units/me/applications', { token })).body.applications;
    expect(mine.map((app: { applicationId: string }) => app.applicationId)).toEqual([winner]);
    expect(await slotsItem(unitId)).toMatchObject({ total: 1, type_lingnan_forum: 1 });
  });

  test('a withdrawal racing three submissions at the limit: never more than 3 live applications, and the slot counter matches them', async () => {
    const rounds = 5;
    const newTypes = ['gba-mutual-recognition', 'secretary-general-salon', 'annual-report-statistics'];
    for (let round = 0; round < rounds; round++) {
      const unitId = `race-withdraw-unit-${round}`;
      const token = await api.unitToken(unitId);
      const ids: string[] = [];
      for (const type of ['party-publicity', 'lecture-hall', 'nanyue-platform']) {
        const answer = await submit(token, example(type));
        expect(answer.status).toBe(201);
        ids.push(answer.body.applicationId);
      }
      const [withdrawn, ...submitted] = await Promise.all([
        withdraw(token, ids[round % 3]),
        ...newTypes.map((type) => submit(token, { ...example(type), title: `第${round}轮并发申报 ${type}` })),
      ]);
      const winners = submitted.filter((answer) => answer.status === 201);

      // The withdrawal of an open application before the deadline is not refused for racing.
      expect({ round, withdraw: answerOf(withdrawn) }).toEqual({ round, withdraw: '200' });
      // A new submission can only have taken the one slot the withdrawal freed.
      expect(winners.length).toBeLessThanOrEqual(1);
      // The others were refused for the unit limit (none of these types has a per-type limit).
      expect(submitted.filter((answer) => answer.status !== 201).map(answerOf)).toEqual(
        Array(3 - winners.length).fill('409 UNIT_LIMIT_REACHED'),
      );

      const mine: { applicationId: string; status: string; projectTypeId: string }[] = (
        await api.request('GET', '/units/me/applications', { token })
      ).body.applications;
      const live = mine.filter((app) => app.status !== 'WITHDRAWN');
      expect(live.length).toBeLessThanOrEqual(3);
      expect(live.length).toBe(winners.length === 1 ? 3 : 2);
      expect(new Set(live.map((app) => app.applicationId))).toEqual(
        new Set([...ids.filter((_, i) => i !== round % 3), ...winners.map((answer) => answer.body.applicationId)]),
      );
      // The counters DynamoDB checks at commit agree with what is stored: in total and per type.
      const slots = (await slotsItem(unitId))!;
      expect(slots.total).toBe(live.length);
      for (const [attribute, count] of Object.entries(slots).filter(([attribute]) => attribute.startsWith('type_'))) {
        const type = attribute.slice('type_'.length).replace(/_/g, '-');
        expect({ attribute, count }).toEqual({
          attribute,
          count: live.filter((app) => app.projectTypeId === type).length,
        });
      }
    }
  }, 120_000);

  // Which limit refused a submission is decided from the counters DynamoDB refused (returned with
  // the cancellation), never from a later read that a withdrawal committing meanwhile could change.
  test('a submission refused at the limit names the limit from the refused counters, without reading them again', async () => {
    const unitId = 'race-limit-code-unit';
    const token = await api.unitToken(unitId);
    for (const type of ['lingnan-forum', 'lecture-hall', 'nanyue-platform'])
      expect((await submit(token, example(type))).status).toBe(201);
    let slotReads = 0;
    intercept(DynamoDBDocumentClient, async (command) => {
      const key = command instanceof GetCommand ? (command.input.Key as { PK?: string; SK?: string }) : undefined;
      if (key?.PK === `UNIT#${unitId}` && key.SK === 'SLOTS#gdast-2024') slotReads++;
      return undefined;
    });
    // A second forum breaks both limits; with 3 applications held, the unit limit is the one to name.
    expect(answerOf(await submit(token, { ...example('lingnan-forum'), title: '第二个论坛' }))).toBe(
      '409 UNIT_LIMIT_REACHED',
    );
    expect(answerOf(await submit(token, example('gba-mutual-recognition')))).toBe('409 UNIT_LIMIT_REACHED');
    expect(slotReads).toBe(0);
  });
});

describe('amendments racing each other, the formal check, and the deadline sweep', () => {
  test('two concurrent amendments of a returned application: one is taken (or both, in turn), and the check judges the final version', async () => {
    for (let round = 0; round < 3; round++) {
      const token = await api.unitToken(`race-amend-unit-${round}`);
      const id = await returnedApplication(token);
      const [a, b] = await Promise.all([
        amend(token, id, validForum(`修改甲 ${round}`)),
        amend(token, id, validForum(`修改乙 ${round}`)),
      ]);
      const answers = [answerOf(a), answerOf(b)].sort();
      const final = await eventually(
        async () => {
          const app = await read(token, id);
          return ['FORMAL_CHECK_PASSED', 'RETURNED_FOR_CORRECTION'].includes(app.status) &&
            formalChecks(app).at(-1)?.detail?.version === app.version
            ? app
            : undefined;
        },
        20_000,
        'a formal check of the final version',
      );

      if (answers[0] === '200' && answers[1] === '200') {
        // Serialised: the second amended the first's result.
        expect(final.version).toBe(3);
      } else {
        expect({ round, answers }).toEqual({ round, answers: ['200', '409 NOT_AMENDABLE'] });
        expect(final.version).toBe(2);
        const taken = a.status === 200 ? a : b;
        expect(final.form.title).toBe(taken.body.form.title);
      }
      // Both forms pass: the verdict is a pass, for the final version, and no version was passed unchecked.
      expect(final.status).toBe('FORMAL_CHECK_PASSED');
      expect(final.formalCheck.passed).toBe(true);
      expect(
        formalChecks(final)
          .filter((entry) => entry.result === 'PASSED')
          .map((entry) => entry.detail?.version),
      ).toEqual([final.version]);
      expect(stages(final).filter((stage) => stage === 'Amendment:AMENDED')).toHaveLength(final.version - 1);
    }
  }, 120_000);

  test('an amendment landing while the formal check runs is checked itself: the v1 form is not passed', async () => {
    const unitId = 'race-midcheck-unit';
    const token = await api.unitToken(unitId);
    let amendedMidCheck: string | undefined;
    const ddb = intercept(DynamoDBDocumentClient, async (command) => {
      if (amendedMidCheck || !(command instanceof UpdateCommand)) return undefined;
      if (command.input.ExpressionAttributeNames?.['#formalCheck'] !== 'formalCheck') return undefined;
      const key = command.input.Key as { PK: string; SK: string };
      const stored = await item(key);
      if (stored?.unitId !== unitId) return undefined;
      amendedMidCheck = stored.applicationId;
      // The unit's amendment commits between the check's read of v1 and its verdict.
      await amendV1Directly(key, forumWith150Attending());
      return undefined;
    });

    const submitted = await submit(token, validForum('检查中途修改'));
    expect(submitted.status).toBe(201);
    const id = submitted.body.applicationId;
    const final = await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');
    expect(amendedMidCheck).toBe(id);
    // The v1 verdict (a pass) was offered once and refused by its version condition.
    const verdicts = ddb
      .commandCalls(UpdateCommand)
      .filter((call) => call.args[0].input.ExpressionAttributeNames?.['#formalCheck'] === 'formalCheck');
    expect(verdicts.length).toBeGreaterThanOrEqual(2);

    expect(final.version).toBe(2);
    expect(final.form.details.offlineAttendance).toBe(150);
    expect(final.formalCheck.passed).toBe(false);
    expect(final.formalCheck.reasons.map((reason: { requirementId: string }) => reason.requirementId)).toEqual([
      'offline-attendance-200',
    ]);
    expect(formalChecks(final).map((entry) => `${entry.result} v${entry.detail?.version}`)).toEqual(['FAILED v2']);
    expect(stages(final)).not.toContain('FormalCheck:PASSED');
  });

  test("an amendment landing after the check judged v1 but before the return: v2 is checked, not returned for v1's reasons", async () => {
    const unitId = 'race-after-check-unit';
    const token = await api.unitToken(unitId);
    let amendedAfterCheck: string | undefined;
    intercept(DynamoDBDocumentClient, async (command) => {
      if (amendedAfterCheck || !(command instanceof GetCommand)) return undefined;
      const key = command.input.Key as { PK: string; SK: string };
      if (!key.PK.startsWith('APP#')) return undefined;
      const stored = await item(key);
      // The check has recorded its verdict on v1; the next step has not read the application yet.
      if (stored?.unitId !== unitId || !stored.marks?.['formal-check-v1'] || stored.version !== 1) return undefined;
      amendedAfterCheck = stored.applicationId;
      await amendV1Directly(key, example('lingnan-forum'));
      return undefined;
    });

    const id = (await submit(token, forumWith150Attending())).body.applicationId;
    // Watched on the table itself: a GET through the API would be a read the intercept acts on, and
    // could amend in the wrong moment (while the workflow already waits on the amendment task).
    await eventually(
      async () => ((await applicationItem(id))?.status === 'FORMAL_CHECK_PASSED' ? true : undefined),
      20_000,
      'FORMAL_CHECK_PASSED',
    );
    const final = (await api.request('GET', `/applications/${id}`, { token })).body;
    expect(amendedAfterCheck).toBe(id);
    expect(final.version).toBe(2);
    expect(formalChecks(final).map((entry) => `${entry.result} v${entry.detail?.version}`)).toEqual([
      'FAILED v1',
      'PASSED v2',
    ]);
    expect(stages(final)).not.toContain('Correction:RETURNED_FOR_CORRECTION');
  });

  test('an amendment after the deadline sweep claimed the task (last second, clock frozen) is refused 410, and the form stays as it was', async () => {
    const token = await api.unitToken('race-sweep-unit');
    const id = await returnedApplication(token);
    await api.setClock('2023-09-25T23:59:59+08:00', true);
    const { openTaskId } = (await applicationItem(id))!;
    expect(openTaskId).toEqual(expect.any(String));

    // The sweep got there first: it claims the task for DeadlinePassed, exactly as shared/use-cases/deadline-sweep.ts does.
    const closing: TaskClosing = {
      outcome: 'EXPIRED',
      signal: { kind: 'failure', error: 'DeadlinePassed', cause: 'x' },
      claimedAt: (await clockNow()).toISOString(),
    };
    expect(await claimTask((await getTask(openTaskId))!, closing)).toEqual(
      expect.objectContaining({ state: 'CLOSING', closing }),
    );

    const late = await amend(token, id, example('lingnan-forum'));
    expect(answerOf(late)).toBe('410 DEADLINE_PASSED');
    const stored = (await applicationItem(id))!;
    expect(stored.version).toBe(1);
    expect(stored.form).toEqual(shortForum());
    expect(stored.history.map((entry: HistoryEntry) => entry.stage)).not.toContain('Amendment');
    // The sweep's claim stands: the amendment did not overwrite its answer.
    expect(await getTask(openTaskId)).toMatchObject({ state: 'CLOSING', closing });

    // Past the deadline the sweep delivers its claim, and the uncorrected application is rejected.
    await api.setClock('2023-09-26T00:01:01+08:00', true);
    const rejected = await api.waitForStatus(token, id, 'REJECTED');
    expect(rejected.version).toBe(1);
    expect(await getTask(openTaskId)).toMatchObject({ state: 'EXPIRED' });
  });

  test('an amendment whose delivery to Step Functions fails is kept, and the sweep delivers it: the application then passes', async () => {
    const token = await api.unitToken('race-delivery-unit');
    const id = await returnedApplication(token);
    const { openTaskId } = (await applicationItem(id))!;
    let failures = 1;
    const sfnMock = intercept(SFNClient, (command) =>
      command instanceof SendTaskSuccessCommand && failures-- > 0 ? unavailable() : undefined,
    );

    const amended = await amend(token, id, validForum('投递失败的修改'));
    expect(answerOf(amended)).toBe('200');
    // The answer shows it as it now stands: back in the check, the old reasons gone.
    expect(amended.body).toMatchObject({ status: 'SUBMITTED', version: 2 });
    expect(amended.body.formalCheck).toBeUndefined();
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    // Stored with its answer, waiting to be delivered: the workflow has not resumed.
    expect(await getTask(openTaskId)).toMatchObject({
      state: 'CLOSING',
      closing: { outcome: 'DONE', signal: { kind: 'success' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const waiting = await read(token, id);
    expect(waiting).toMatchObject({ status: 'SUBMITTED', version: 2 });
    expect(waiting.form.title).toBe('投递失败的修改');
    expect(formalChecks(waiting).map((entry) => entry.detail?.version)).toEqual([1]);

    restoreMocks();
    // The sweep redelivers answers claimed more than a minute ago; a clock change runs a sweep.
    await api.setClock(new Date((await clockNow()).getTime() + 2 * 60_000).toISOString());
    const passed = await api.waitForStatus(token, id, 'FORMAL_CHECK_PASSED');
    expect(passed.version).toBe(2);
    expect(passed.form.title).toBe('投递失败的修改');
    expect(formalChecks(passed).map((entry) => `${entry.result} v${entry.detail?.version}`)).toEqual([
      'FAILED v1',
      'PASSED v2',
    ]);
    expect(await getTask(openTaskId)).toMatchObject({ state: 'DONE' });
  });

  // PRODUCT BUG (shared/applications.ts:242-259, amend): a returned application keeps pointing at
  // its amendment task (openTaskId) until the workflow re-checks it. A second amendment in that
  // window (a double click; a slow Lambda on AWS; here: the first answer's delivery failed and
  // waits for the sweep) tries to claim the task the first amendment already claimed, and the
  // claim's failure is always reported as the sweep's: 410 DEADLINE_PASSED, "the online deadline
  // has passed", three weeks before the deadline. It should be taken as a further amendment (200,
  // version 3) or refused as NOT_AMENDABLE (409); a 'task-closed' outcome should only mean
  // DEADLINE_PASSED when the task was claimed as EXPIRED (or the window is closed).
  test('a second amendment while the first is still being delivered is not refused as past the deadline', async () => {
    const token = await api.unitToken('race-second-amend-unit');
    const id = await returnedApplication(token);
    intercept(SFNClient, (command) => (command instanceof SendTaskSuccessCommand ? unavailable() : undefined));
    const first = await amend(token, id, validForum('第一次修改'));
    expect(answerOf(first)).toBe('200');
    const second = await amend(token, id, validForum('第二次修改'));
    // Today: 410 DEADLINE_PASSED on 2023-09-01.
    expect(['200', '409 NOT_AMENDABLE']).toContain(answerOf(second));

    restoreMocks();
    await api.setClock(new Date((await clockNow()).getTime() + 2 * 60_000).toISOString());
    const passed = await api.waitForStatus(token, id, 'FORMAL_CHECK_PASSED');
    expect(passed.version).toBe(second.status === 200 ? 3 : 2);
    expect(passed.form.title).toBe(second.status === 200 ? '第二次修改' : '第一次修改');
    expect(formalChecks(passed).at(-1)).toMatchObject({ result: 'PASSED', detail: { version: passed.version } });
  });
});
