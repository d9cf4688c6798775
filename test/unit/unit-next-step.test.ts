import { APPLICATION_STATUSES } from '@shared/domain/application-record';
import { STATUS_WORDS, unitActions } from '@shared/domain/unit-next-step';

const call = {
  submissionDeadline: '2023-09-25T23:59:59+08:00',
  paperCopyDeadline: '2023-09-28T17:00:00+08:00',
};

test('every status has words in both languages', () => {
  for (const status of APPLICATION_STATUSES) {
    expect(STATUS_WORDS[status].status.zh).not.toBe('');
    expect(STATUS_WORDS[status].status.en).not.toBe('');
  }
  expect(STATUS_WORDS.RETURNED_FOR_CORRECTION.status.zh).toBe('退回修改');
});

test('a returned application is to be corrected by the date staff set, else by the online deadline', () => {
  expect(
    unitActions(
      { status: 'RETURNED_FOR_CORRECTION', staffReturn: { correctionDueAt: '2023-10-02T23:59:59+08:00' } },
      call,
    ),
  ).toEqual([{ kind: 'amend', dueAt: '2023-10-02T23:59:59+08:00' }]);
  expect(unitActions({ status: 'RETURNED_FOR_CORRECTION' }, call)).toEqual([
    { kind: 'amend', dueAt: call.submissionDeadline },
  ]);
});

test('the paper copy is asked for until it is recorded, and not once the staff stages are past', () => {
  expect(unitActions({ status: 'SUBMITTED' }, call)).toEqual([{ kind: 'paper-copy', dueAt: call.paperCopyDeadline }]);
  expect(unitActions({ status: 'FORMAL_CHECK_PASSED' }, call)).toEqual([
    { kind: 'paper-copy', dueAt: call.paperCopyDeadline },
  ]);
  expect(unitActions({ status: 'FORMAL_CHECK_PASSED', paperCopy: { receivedOn: '2023-09-27' } }, call)).toEqual([]);
  expect(unitActions({ status: 'IN_EXPERT_REVIEW' }, call)).toEqual([]);
});

test('an awarded project owes the reports not yet handed in or returned, soonest first; duties without a report are not listed', () => {
  const actions = unitActions(
    {
      status: 'AWARDED',
      obligations: [
        { obligationId: 'summary', report: 'summary', state: 'AWAITING_DATE' },
        { obligationId: 'stats', report: 'forum-statistics', state: 'RETURNED', dueAt: '2024-10-26T23:59:59+08:00' },
        { obligationId: 'dev', report: 'development-report', state: 'OPEN', dueAt: '2024-11-19T23:59:59+08:00' },
        {
          obligationId: 'under-review',
          report: 'forum-statistics',
          state: 'SUBMITTED',
          dueAt: '2024-10-01T23:59:59+08:00',
        },
        { obligationId: 'done', report: 'summary', state: 'ACCEPTED', dueAt: '2024-09-01T23:59:59+08:00' },
        { obligationId: 'duty', state: 'OPEN', dueAt: '2024-09-01T23:59:59+08:00' },
      ],
    },
    call,
  );
  expect(actions.map((a) => a.kind === 'report' && a.obligationId)).toEqual(['stats', 'dev', 'summary']);
  expect(unitActions({ status: 'NOT_AWARDED', obligations: [] }, call)).toEqual([]);
});
