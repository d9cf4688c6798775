import type { ObligationRecord } from '@shared/domain/obligations';
import { callStanding } from '@shared/domain/standing';
import { awaitedTaskIds, openTaskEntry } from '@shared/domain/tasks/open-tasks';
import type { TaskRecord } from '@shared/domain/tasks/record';

/** The pure halves of staff's reads: a unit's standing per call, and an application's open tasks. */

const summary = (patch: Partial<ObligationRecord> = {}): ObligationRecord =>
  ({
    applicationId: 'salon-app',
    callId: 'gdast-2024',
    unitId: 'u',
    projectTypeId: 'secretary-general-salon',
    title: '秘书长沙龙',
    obligationId: 'summary-report',
    report: 'summary',
    text: { zh: 'z', en: 'e' },
    dueFrom: 'reporting-round',
    dueOn: '2024-07-15',
    dueAt: '2024-07-15T15:59:59.999Z',
    state: 'OPEN',
    createdAt: 'x',
    updatedAt: 'x',
    ...patch,
  }) as ObligationRecord;
const CALL = { callId: 'gdast-2025', previousCallId: 'gdast-2024' };
const AUGUST = new Date('2024-08-20T10:00:00+08:00');

test('a missed summary report bars the next call, with its reason; a lift sets it apart as lifted', () => {
  const barred = callStanding(CALL, [summary()], AUGUST, undefined);
  expect(barred).toMatchObject({ ...CALL, barred: true, lifted: [] });
  expect(barred.breaches.map((b) => b.rule)).toEqual(['summary-missing']);
  expect(barred.reasons[0].zh).toContain('秘书长沙龙');

  const lift = { barred: false, reason: '经核准', by: 'staff', at: AUGUST.toISOString(), lifted: barred.breaches };
  const lifted = callStanding(CALL, [summary()], AUGUST, lift);
  expect(lifted).toMatchObject({ barred: false, reasons: [], breaches: [], lifted: barred.breaches });
});

test('nothing owed: not barred, nothing lifted', () => {
  expect(callStanding(CALL, [], AUGUST, undefined)).toEqual({
    ...CALL,
    barred: false,
    reasons: [],
    breaches: [],
    lifted: [],
  });
});

const task = (patch: Partial<TaskRecord>): TaskRecord => ({
  taskId: 't1',
  kind: 'paper-copy',
  applicationId: 'a',
  token: 'x',
  state: 'OPEN',
  dueAt: '2023-09-28T15:59:59.999Z',
  createdAt: 'x',
  assignee: { name: '邓梅', email: 'DengMei@gdast.example.org' },
  answerableUntil: '2023-10-01T15:59:59.999Z',
  ...patch,
});

test('the tasks awaited: the amendment, the staff review and the panel, each once', () => {
  expect(
    awaitedTaskIds({
      openTaskId: 'amend',
      waitingOn: ['review', 'paper'],
      expertReview: {
        panel: [
          { expertId: 'e1', taskId: 'x1', round: 1, via: 'assignment' },
          { expertId: 'e2', taskId: 'paper', round: 1, via: 'assignment' },
        ],
        dueAt: 'x',
        round: 1,
      },
    }),
  ).toEqual(['amend', 'review', 'paper', 'x1']);
  expect(awaitedTaskIds({})).toEqual([]);
});

test('an open task in Beijing time, mine only for its assignee (addresses compared lower-cased)', () => {
  expect(openTaskEntry(task({}), 'dengmei@gdast.example.org')).toEqual({
    taskId: 't1',
    kind: 'paper-copy',
    kindTitle: { zh: expect.any(String), en: expect.any(String) },
    assignee: { name: '邓梅', email: 'DengMei@gdast.example.org' },
    dueAt: '2023-09-28T23:59:59.999+08:00',
    answerableUntil: '2023-10-01T23:59:59.999+08:00',
    mine: true,
  });
  expect(openTaskEntry(task({}), 'colleague@gdast.example.org').mine).toBe(false);
  expect(openTaskEntry(task({}), undefined).mine).toBe(false);
  expect(openTaskEntry(task({ kind: 'amendment', assignee: undefined }), 'x@y.org')).toMatchObject({
    kindTitle: { zh: 'amendment', en: 'amendment' },
    mine: false,
  });
});
