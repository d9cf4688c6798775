import {
  openTaskShard,
  OPEN_TASK_SHARDS,
  pendingStartIndex,
  pendingStartPartition,
  PENDING_START_SHARDS,
} from '@shared/adapters/dynamodb/keys';
import { answerSignal, linkTaskAssignee, linkTaskDue, readTaskAnswer } from '@shared/domain/tasks/link-rules';
import { getProjectType } from '@shared/domain/catalogue';
import type { TaskRecord } from '@shared/domain/tasks/record';
import { firstActionAt, taskSchedule } from '@shared/domain/tasks/schedule';
import { call } from '../support/fixtures';

const at = (iso: string) => new Date(iso);
const task = (kind: TaskRecord['kind'], createdAt: string, dueAt: string, answerableUntil?: string) => ({
  kind,
  createdAt,
  dueAt: at(dueAt).toISOString(),
  ...(answerableUntil ? { answerableUntil: at(answerableUntil).toISOString() } : {}),
});

describe('the schedule of a task (what the sweep does, and when it looks next)', () => {
  const review = task('formal-review', '2023-09-01T09:00:00+08:00', '2023-09-04T09:00:00+08:00');

  test('a staff review opened 3 days before due is first reminded a day before, not at once', () => {
    expect(firstActionAt(review, at('2023-09-01T09:00:00+08:00'))).toEqual(at('2023-09-03T09:00:00+08:00'));
    expect(taskSchedule(review, at('2023-09-03T10:00:00+08:00'))).toEqual({
      action: { kind: 'remind', tier: 'before-24h' },
      nextAt: at('2023-09-04T09:00:00+08:00'),
    });
  });

  test('overdue: once a day, numbered, never an expiry', () => {
    expect(taskSchedule(review, at('2023-09-04T09:00:00+08:00'))).toEqual({
      action: { kind: 'overdue', day: 0 },
      nextAt: at('2023-09-05T09:00:00+08:00'),
    });
    expect(taskSchedule(review, at('2023-09-20T08:00:00+08:00'))).toEqual({
      action: { kind: 'overdue', day: 15 },
      nextAt: at('2023-09-20T09:00:00+08:00'),
    });
  });

  test('a paper copy: reminders 3 days and 1 day before the deadline, the expiry only when the grace period ends', () => {
    const paper = task(
      'paper-copy',
      '2023-09-01T09:00:00+08:00',
      '2023-09-28T23:59:59.999+08:00',
      '2023-10-01T23:59:59.999+08:00',
    );
    expect(taskSchedule(paper, at('2023-09-26T00:00:00+08:00')).action).toEqual({ kind: 'remind', tier: 'before-72h' });
    expect(taskSchedule(paper, at('2023-09-28T00:00:00+08:00')).action).toEqual({ kind: 'remind', tier: 'before-24h' });
    expect(taskSchedule(paper, at('2023-09-30T00:00:00+08:00'))).toEqual({
      action: { kind: 'remind', tier: 'before-24h' },
      nextAt: at('2023-10-01T23:59:59.999+08:00'),
    });
    expect(taskSchedule(paper, at('2023-10-02T00:00:00+08:00')).action).toEqual({ kind: 'expire' });
  });

  test('an amendment returned late in the window is still reminded, then expires at its deadline', () => {
    const amendment = task('amendment', '2023-09-24T09:00:00+08:00', '2023-09-25T23:59:59.999+08:00');
    expect(firstActionAt(amendment, at('2023-09-24T09:00:00+08:00'))).toEqual(at('2023-09-24T09:00:00+08:00'));
    expect(taskSchedule(amendment, at('2023-09-26T00:00:00+08:00')).action).toEqual({ kind: 'expire' });
  });
});

describe('answers to link tasks', () => {
  const now = at('2023-09-27T10:00:00+08:00');
  const read = (kind: 'formal-review' | 'paper-copy' | 'target-review', body: unknown) =>
    readTaskAnswer(kind, body, { call: call(), now });

  test('an answer the task does not take, or one without the reasons it needs, names the field', () => {
    expect(read('formal-review', { answer: 'received' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'answer', code: 'INVALID_VALUE' })],
    });
    expect(read('formal-review', { answer: 'reject' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'reasons', code: 'REQUIRED' })],
    });
    expect(read('target-review', {})).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'answer', code: 'REQUIRED' })],
    });
    expect(read('formal-review', { answer: 'return', reasons: 'a\n\n b \n' })).toEqual({
      ok: true,
      answer: expect.objectContaining({ reasons: ['a', 'b'] }),
    });
  });

  test('a paper copy counts only if received by the paper deadline, and not in the future', () => {
    expect(read('paper-copy', { answer: 'received', receivedOn: '2023-09-28' }).ok).toBe(false); // tomorrow
    expect(read('paper-copy', { answer: 'received', receivedOn: '2023-09-27' })).toEqual({
      ok: true,
      answer: expect.objectContaining({ receivedOn: '2023-09-27' }),
    });
    const late = readTaskAnswer(
      'paper-copy',
      { answer: 'received', receivedOn: '2023-09-29' },
      { call: call(), now: at('2023-09-30T10:00:00+08:00') },
    );
    expect(late).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'receivedOn', code: 'AFTER_PAPER_DEADLINE' })],
    });
    expect(read('paper-copy', { answer: 'received', receivedOn: '2023-02-30' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ code: 'INVALID_DATE' })],
    });
  });

  test('each answer tells the workflow to go on, or to leave by a named error', () => {
    const answer = (value: string) => ({ answer: value, reasons: ['r'], answeredAt: '' });
    expect(answerSignal('formal-review', 't', answer('pass')).kind).toBe('success');
    expect(answerSignal('formal-review', 't', answer('return'))).toMatchObject({
      kind: 'failure',
      error: 'ReturnedByStaff',
    });
    expect(answerSignal('formal-review', 't', answer('reject'))).toMatchObject({
      kind: 'failure',
      error: 'RejectedByStaff',
    });
    expect(answerSignal('target-review', 't', answer('fail'))).toMatchObject({
      kind: 'failure',
      error: 'TargetsFailed',
    });
  });

  test('who and when come from the call data', () => {
    const forum = getProjectType(call(), 'lingnan-forum')!;
    expect(linkTaskAssignee('formal-review', call(), forum)).toMatchObject({
      name: '邓梅',
      email: 'dengmei@gdast.example.org',
    });
    const due = linkTaskDue('paper-copy', call(), now);
    expect(due.dueAt).toEqual(at('2023-09-28T23:59:59.999+08:00'));
    expect(due.answerableUntil).toEqual(at('2023-10-01T23:59:59.999+08:00'));
  });
});

test('open tasks spread over every shard of the sweep index (no hot partition)', () => {
  const counts = new Array(OPEN_TASK_SHARDS).fill(0);
  for (let i = 0; i < 16_000; i++) counts[openTaskShard(`task-${i}-${(i * 2654435761) % 1000003}`)]++;
  expect(Math.min(...counts)).toBeGreaterThan(800);
  expect(Math.max(...counts)).toBeLessThan(1200);
});

test('pending-start markers of a deadline-day rush spread over every shard (the time-ordered sort key alone could not split)', () => {
  const counts = new Map<string, number>();
  for (let i = 0; i < 16_000; i++) {
    const { GSI1PK } = pendingStartIndex('2024-06-16T07:59:59.000Z', `${(i * 2654435761) % 1000003}-${i}-application`);
    counts.set(GSI1PK, (counts.get(GSI1PK) ?? 0) + 1);
  }
  expect([...counts.keys()].sort()).toEqual(
    Array.from({ length: PENDING_START_SHARDS }, (_, shard) => pendingStartPartition(shard)).sort(),
  );
  expect(Math.min(...counts.values())).toBeGreaterThan(800);
  expect(Math.max(...counts.values())).toBeLessThan(1200);
});
