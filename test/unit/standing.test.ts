import { standingFrom, type ObligationRecord } from '@shared/domain/obligations';
import { standingAfterLift, type StandingLogEntry } from '@shared/domain/standing';

/**
 * Staff lifting a computed bar (PUT /units/{unitId}/standing with barred false and a reason): the
 * lift covers the breaches that barred the unit when it was given, whatever the unit still owes;
 * a breach that comes after it bars again.
 */
/** An obligation with what the standing reads (not the reports' versions). */
const obligation = (patch: Partial<ObligationRecord>): ObligationRecord =>
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
/** A forum's reports, due after a lift in August: its statistics, development report and summary. */
const forumReports = (summary: Partial<ObligationRecord> = {}): ObligationRecord[] => [
  obligation({
    applicationId: 'forum-app',
    title: '岭南科学论坛',
    obligationId: 'forum-statistics',
    report: 'forum-statistics',
    dueFrom: 'forum-end',
    dueOn: '2024-10-26',
    dueAt: '2024-10-26T15:59:59.999Z',
  }),
  obligation({
    applicationId: 'forum-app',
    title: '岭南科学论坛',
    obligationId: 'development-report',
    report: 'development-report',
    dueFrom: 'forum-end',
    dueOn: '2024-11-19',
    dueAt: '2024-11-19T15:59:59.999Z',
  }),
  obligation({
    applicationId: 'forum-app',
    title: '岭南科学论坛',
    dueOn: '2024-09-10',
    dueAt: '2024-09-10T15:59:59.999Z',
    ...summary,
  }),
];
const AUGUST = new Date('2024-08-20T10:00:00+08:00');
const liftAt = (at: Date, previous: ObligationRecord[], reason = '经学会学术部核准'): StandingLogEntry => ({
  barred: false,
  reason,
  by: 'staff',
  at: at.toISOString(),
  lifted: standingFrom(previous, at).breaches,
});

test('a breach names its obligation and the rule it breaks', () => {
  expect(standingFrom([obligation({})], AUGUST).breaches).toEqual([
    {
      applicationId: 'salon-app',
      obligationId: 'summary-report',
      rule: 'summary-missing',
      basis: 'notice',
      reason: expect.objectContaining({ zh: expect.stringContaining('秘书长沙龙') }),
    },
  ]);
});

test('a lift covers what barred the unit when it was given, though the unit owes reports due after it', () => {
  const previous = [obligation({}), ...forumReports()];
  const lift = liftAt(AUGUST, previous);
  expect(lift.lifted?.map((b) => b.rule)).toEqual(['summary-missing']);
  expect(standingAfterLift(standingFrom(previous, AUGUST), previous, lift).barred).toBe(false);
  // Weeks later, handed in late and accepted: still covered.
  const handedInLate = [obligation({ state: 'ACCEPTED', firstSubmittedAt: '2024-08-25T00:00:00Z' }), ...forumReports()];
  const september = new Date('2024-09-01T10:00:00+08:00');
  expect(standingAfterLift(standingFrom(handedInLate, september), handedInLate, lift).barred).toBe(false);
});

test('a report not yet due at the lift and missed afterwards bars again, naming it alone', () => {
  const previous = [obligation({}), ...forumReports()];
  const lift = liftAt(AUGUST, previous);
  const afterDue = new Date('2024-09-11T10:00:00+08:00');
  const verdict = standingAfterLift(standingFrom(previous, afterDue), previous, lift);
  expect(verdict.barred).toBe(true);
  expect(verdict.breaches.map((b) => [b.applicationId, b.rule])).toEqual([['forum-app', 'summary-missing']]);
  expect(verdict.reasons.map((r) => r.zh).join()).toContain('岭南科学论坛');
  expect(verdict.reasons.map((r) => r.zh).join()).not.toContain('秘书长沙龙');
});

test('a summary awaiting review at the lift bars nothing; accepted later with a target not met, it bars', () => {
  const pending = [obligation({ state: 'SUBMITTED', firstSubmittedAt: '2024-07-10T00:00:00Z' })];
  const lift = liftAt(AUGUST, pending);
  expect(lift.lifted).toEqual([]);
  const accepted = [
    obligation({
      state: 'ACCEPTED',
      firstSubmittedAt: '2024-07-10T00:00:00Z',
      targets: [{ path: 'p', indicator: '参会人数', target: '200', met: false }],
    }),
  ];
  const september = new Date('2024-09-01T10:00:00+08:00');
  const verdict = standingAfterLift(standingFrom(accepted, september), accepted, lift);
  expect(verdict.barred).toBe(true);
  expect(verdict.reasons[0].zh).toContain('参会人数');
});

test('only a lift with a reason, as the last word, covers anything', () => {
  const previous = [obligation({})];
  const verdict = standingFrom(previous, AUGUST);
  const lift = liftAt(AUGUST, previous);
  expect(standingAfterLift(verdict, previous, undefined).barred).toBe(true);
  expect(standingAfterLift(verdict, previous, { ...lift, reason: undefined }).barred).toBe(true);
  // Staff barred the unit after lifting: the computed bar stands again.
  expect(
    standingAfterLift(verdict, previous, { barred: true, reason: '另有违规', by: 'staff', at: AUGUST.toISOString() })
      .barred,
  ).toBe(true);
  // A lift given when nothing barred covers nothing that comes later.
  const early = liftAt(new Date('2024-07-01T10:00:00+08:00'), previous);
  expect(early.lifted).toEqual([]);
  expect(standingAfterLift(verdict, previous, early).barred).toBe(true);
});

test('a lift logged before lifts recorded what they covered covers what barred the unit at its time', () => {
  const previous = [obligation({}), ...forumReports()];
  const legacy: StandingLogEntry = { barred: false, reason: '经学会学术部核准', by: 'staff', at: AUGUST.toISOString() };
  expect(standingAfterLift(standingFrom(previous, AUGUST), previous, legacy).barred).toBe(false);
  expect(
    standingAfterLift(standingFrom(previous, new Date('2024-09-11T10:00:00+08:00')), previous, legacy).barred,
  ).toBe(true);
});

test('a lift logged under the old rule names covers the same breach under its new name', () => {
  const previous = [obligation({})];
  const old: StandingLogEntry = {
    barred: false,
    reason: '经学会学术部核准',
    by: 'staff',
    at: AUGUST.toISOString(),
    lifted: [
      {
        applicationId: 'salon-app',
        obligationId: 'summary-report',
        rule: 'summary-late',
        reason: { zh: 'z', en: 'e' },
      },
    ],
  };
  expect(standingAfterLift(standingFrom(previous, AUGUST), previous, old).barred).toBe(false);
  const returned = [obligation({ state: 'RETURNED', firstSubmittedAt: '2024-07-10T00:00:00Z' })];
  const assumed = { barIfSummaryReturnedAndNotResubmitted: true };
  const oldReturn: StandingLogEntry = { ...old, lifted: [{ ...old.lifted![0], rule: 'summary-not-accepted' }] };
  expect(standingFrom(returned, AUGUST, assumed).barred).toBe(true);
  expect(standingAfterLift(standingFrom(returned, AUGUST, assumed), returned, oldReturn, assumed).barred).toBe(false);
});
