import { historyWithMail, type StageEntry } from '@shared/domain/application-record';

/**
 * Two workflow steps running at once may append their history entries in the other order than their
 * instants (a millisecond apart): the history a person reads is in time order all the same, equal
 * instants as written, and each bounce placed by its time.
 */
const entry = (at: string, result: string): StageEntry => ({ stage: 'Submission', result, at }) as StageEntry;

test('entries appended out of order are read in time order; equal instants keep their written order', () => {
  const history = [
    entry('2023-09-01T09:00:02.580+08:00', 'SUBMITTED'),
    entry('2023-09-01T09:00:03.135+08:00', 'B'),
    entry('2023-09-01T09:00:03.134+08:00', 'A'),
    entry('2023-09-01T09:00:03.503+08:00', 'C1'),
    entry('2023-09-01T09:00:03.503+08:00', 'C2'),
  ];
  expect(historyWithMail({ history }, { events: [] }).map((e) => e.result)).toEqual([
    'SUBMITTED',
    'A',
    'B',
    'C1',
    'C2',
  ]);
  const bounce = entry('2023-09-01T09:00:03.300+08:00', 'EMAIL_BOUNCED');
  expect(historyWithMail({ history }, { events: [bounce] }).map((e) => e.result)).toEqual([
    'SUBMITTED',
    'A',
    'B',
    'EMAIL_BOUNCED',
    'C1',
    'C2',
  ]);
  // The stored history itself is left as it was written.
  expect(history.map((e) => e.result)).toEqual(['SUBMITTED', 'B', 'A', 'C1', 'C2']);
});
