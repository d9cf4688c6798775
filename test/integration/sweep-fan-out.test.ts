import { SendEmailCommand, SESClient, type SendEmailCommandInput } from '@aws-sdk/client-ses';
import { SendTaskFailureCommand, SFNClient, type SendTaskFailureCommandInput } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { decodeTagValue } from '@shared/domain/email-events';
import { openTaskShard } from '@shared/adapters/dynamodb/keys';
import { sweep, sweepShard } from '@shared/use-cases/deadline-sweep';
import { LocalLambdaEndpoint } from '@infra/local/lambda-endpoint';
import { useLocalTable } from '../support/local-table';
import { getTask } from '@shared/adapters/dynamodb/task-items';
import { reminderMarker, seedBurst, taskIndexSortKey, type Burst } from '../support/sweep-burst';

/**
 * The sweep's fan-out against DynamoDB Local: the scheduled sweep starts one worker per shard through
 * Lambda's Invoke API (local mode's endpoint, in-process, as `npm start` runs it), the workers run at
 * once, and every due task is acted on once: each reminder sent once, each task moved on once, also
 * when two workers drain the same shard together. SES is a counting stand-in (aws-sdk-client-mock),
 * which can also refuse a send for its rate as SES does.
 */
const lambdas = new LocalLambdaEndpoint();
let lambdaUrl = '';
beforeAll(async () => {
  lambdaUrl = await lambdas.start();
});
afterAll(() => lambdas.stop());

const table = useLocalTable({
  env: () => ({
    SENDER_EMAIL: 'noreply@gdast.test',
    SES_CONFIGURATION_SET: 'funding-call-test',
    SES_SEND_RATE: '600',
    WEB_APP_URL: 'http://127.0.0.1/app/',
    PUBLIC_BASE_URL: 'http://127.0.0.1/',
    AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
    SWEEP_SHARD_FUNCTION: 'sweep-shard',
  }),
});

/** What SES accepted, by application (from the tags every send carries), and how many sends overlapped. */
const ses = mockClient(SESClient);
let accepted: string[] = [];
let inFlight = 0;
let mostInFlight = 0;
/** Application ids whose next send SES refuses for its rate (once each). */
let throttleNext = new Set<string>();

const applicationOf = (input: SendEmailCommandInput) =>
  decodeTagValue(input.Tags?.find((tag) => tag.Name === 'applicationId')?.Value ?? '');

beforeEach(() => {
  accepted = [];
  mostInFlight = 0;
  throttleNext = new Set();
  ses.reset();
  ses.on(SendEmailCommand).callsFake(async (input: SendEmailCommandInput) => {
    const applicationId = applicationOf(input);
    if (throttleNext.delete(applicationId))
      throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    accepted.push(applicationId);
    return { MessageId: `message-${applicationId}` };
  });
});

const sum = (results: unknown[], kind: string) =>
  results.reduce<number>((total, result) => total + ((result as Record<string, number>)[kind] ?? 0), 0);
const ofBurst = (burst: Burst) => accepted.filter((id) => burst.applicationIds.includes(id));
const uniq = (ids: string[]) => [...new Set(ids)];

test('the scheduled sweep starts a worker per shard at once, and a burst across the shards is reminded once each', async () => {
  const burst = await seedBurst(table.doc, table.name, 480, 'fan');

  const started = await sweep(burst.remindAt);
  const workers = await lambdas.settle();

  expect(started).toMatchObject({ workers: 16, failed: 0 });
  expect(workers).toHaveLength(16);
  expect(sum(workers, 'reminded')).toBe(480);
  expect(sum(workers, 'failed')).toBe(0);
  // Every shard had work, and the workers sent side by side.
  expect(uniq(burst.taskIds.map((id) => String(openTaskShard(id))))).toHaveLength(16);
  expect(mostInFlight).toBeGreaterThan(1);
  expect(ofBurst(burst).sort()).toEqual([...burst.applicationIds].sort());
  for (const taskId of burst.taskIds)
    expect(await taskIndexSortKey(table.doc, table.name, taskId)).toBe(`${burst.nextAt.toISOString()}#${taskId}`);

  // The next minute finds nothing of it due, and starts no worker.
  expect(await sweep(new Date(burst.remindAt.getTime() + 60_000))).toMatchObject({ workers: 0 });
  expect(await lambdas.settle()).toEqual([]);
});

test('two workers draining the same shard at once act on each task once: the other finds it leased', async () => {
  const burst = await seedBurst(table.doc, table.name, 320, 'twin');
  const shard = openTaskShard(burst.taskIds[0]);
  const inShard = burst.taskIds.filter((id) => openTaskShard(id) === shard);
  const work = { shard, at: burst.remindAt.toISOString() };

  const [first, second] = await Promise.all([sweepShard(work, 30_000), sweepShard(work, 30_000)]);

  expect(first.reminded + second.reminded).toBe(inShard.length);
  expect(first.skipped + second.skipped).toBeGreaterThan(0);
  expect(first.failed + second.failed).toBe(0);
  const sent = ofBurst(burst);
  expect(sent).toHaveLength(inShard.length);
  expect(uniq(sent)).toHaveLength(inShard.length);
  for (const taskId of inShard)
    expect(await taskIndexSortKey(table.doc, table.name, taskId)).toBe(`${burst.nextAt.toISOString()}#${taskId}`);

  // The other shards' part of the burst, so the next test meets only its own.
  await sweep(burst.remindAt);
  expect(sum(await lambdas.settle(), 'reminded')).toBe(burst.taskIds.length - inShard.length);
});

test('a send SES throttles is not lost: the task waits out its lease and the next sweep sends it, once', async () => {
  const burst = await seedBurst(table.doc, table.name, 64, 'slow');
  const throttled = burst.applicationIds.slice(0, 10);
  throttleNext = new Set(throttled);
  const sweepAt = async (at: Date) => {
    await sweep(at);
    return lambdas.settle();
  };

  const firstRun = await sweepAt(burst.remindAt);
  expect(sum(firstRun, 'throttled')).toBe(10);
  expect(sum(firstRun, 'reminded')).toBe(54);
  expect(sum(firstRun, 'failed')).toBe(0);
  for (const applicationId of throttled)
    expect(await reminderMarker(table.doc, table.name, applicationId)).toBeUndefined();

  // Still leased a minute later; due again once the lease is over, and sent then.
  expect(sum(await sweepAt(new Date(burst.remindAt.getTime() + 60_000)), 'reminded')).toBe(0);
  const retried = await sweepAt(new Date(burst.remindAt.getTime() + 2 * 60_000 + 1000));
  expect(sum(retried, 'reminded')).toBe(10);
  expect(sum(retried, 'throttled')).toBe(0);

  const sent = ofBurst(burst);
  expect(sent.sort()).toEqual([...burst.applicationIds].sort());
  for (const applicationId of throttled)
    expect(await reminderMarker(table.doc, table.name, applicationId)).toMatchObject({ state: 'SENT' });
});

/** What the workflow was told, by task token; the tokens whose next answer Step Functions fails (once each). */
const sfn = mockClient(SFNClient);
let told: string[] = [];
let failNext = new Set<string>();
beforeEach(() => {
  told = [];
  failNext = new Set();
  sfn.reset();
  sfn.on(SendTaskFailureCommand).callsFake(async (input: SendTaskFailureCommandInput) => {
    const token = input.taskToken ?? '';
    if (failNext.delete(token)) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
    await new Promise((resolve) => setTimeout(resolve, 2));
    told.push(token);
    return {};
  });
});

test('two workers on one shard at its expiry: each paper copy is claimed and its workflow told once; a delivery cut short is taken over by one of two', async () => {
  const burst = await seedBurst(table.doc, table.name, 240, 'late');
  const shard = openTaskShard(burst.taskIds[0]);
  const inShard = burst.taskIds.filter((id) => openTaskShard(id) === shard);
  const tokens = inShard.map((id) => `token-${id}`);
  // Past the paper copy's grace period: every task of the burst expires.
  const expireAt = new Date(burst.dueAt.getTime() + 3 * 86_400_000 + 60_000);
  failNext = new Set(tokens.slice(0, 3));
  const work = { shard, at: expireAt.toISOString() };

  const [first, second] = await Promise.all([sweepShard(work, 30_000), sweepShard(work, 30_000)]);

  // (The shard's tasks of the tests above expire too: each is told once as well.)
  expect(first.failed + second.failed).toBe(3);
  expect(first.skipped + second.skipped).toBeGreaterThan(0);
  expect(first.expired + second.expired).toBe(told.length);
  expect(uniq(told)).toHaveLength(told.length);
  expect(told.filter((token) => tokens.includes(token)).sort()).toEqual(tokens.slice(3).sort());
  for (const taskId of inShard.slice(0, 3)) expect((await getTask(taskId))?.state).toBe('CLOSING');

  // Past the delivery's grace, two workers meet the three claims cut short: one delivers each.
  told = [];
  const later = { shard, at: new Date(expireAt.getTime() + 2 * 60_000).toISOString() };
  const [third, fourth] = await Promise.all([sweepShard(later, 30_000), sweepShard(later, 30_000)]);
  expect(third.redelivered + fourth.redelivered).toBe(3);
  expect(told.sort()).toEqual(tokens.slice(0, 3).sort());
  expect(third.failed + fourth.failed).toBe(0);
  for (const taskId of inShard) expect((await getTask(taskId))?.state).toBe('EXPIRED');
});
