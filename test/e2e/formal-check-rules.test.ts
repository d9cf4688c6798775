import { useLocalStack } from '../support/e2e';
import { example, type Body } from '../support/fixtures';
import { eventually } from '../support/local';

const { api } = useLocalStack();

const withDetails = (typeId: string, change: (details: Body) => void): Body => {
  const body = example(typeId);
  change(body.details);
  return body;
};

/** Submits as a fresh unit and waits for the automatic formal check's verdict. */
async function verdict(unitId: string, body: Body) {
  const token = await api.unitToken(unitId);
  const submitted = await api.submit(token, body);
  expect(submitted.status).toBe(201);
  return eventually(
    async () => {
      const answer = await api.request('GET', `/applications/${submitted.body.applicationId}`, { token });
      return ['RETURNED_FOR_CORRECTION', 'FORMAL_CHECK_PASSED'].includes(answer.body.status) ? answer.body : undefined;
    },
    20_000,
    'formal check',
  );
}

const shortfalls: [string, Body, string[]][] = [
  [
    'forum: 2 speakers from one sub-field',
    withDetails(
      'lingnan-forum',
      (d) => (d.speakers = d.speakers.slice(0, 2).map((s: Body) => ({ ...s, subField: '量子计算' }))),
    ),
    ['expert-speakers-3', 'speakers-3-sub-fields'],
  ],
  [
    'activity month: 1 day, 599 people, 2 main experts, no press conference, no medicine forum, outside Guangdong',
    withDetails('activity-month', (d) => {
      d.days = 1;
      d.offlineAttendance = 599;
      d.venueCity = '长沙';
      d.mainForumExperts = d.mainForumExperts.slice(0, 2);
      d.subForums = d.subForums.filter(
        (f: Body) => f.kind !== 'lingnan-press-conference' && f.discipline !== 'medicine',
      );
    }),
    [
      'main-forum-experts-3',
      'min-2-days',
      'offline-attendance-600',
      'professional-forums-5',
      'professional-forums-co-organised',
      'professional-forums-disciplines',
      'sub-forum-press-conference',
      'sub-forums-7',
      'venue-prefecture-city',
    ],
  ],
  [
    'salon: one session in the year',
    withDetails('secretary-general-salon', (d) => (d.sessions = d.sessions.slice(0, 1))),
    ['salon-2-sessions'],
  ],
  [
    'training: 29 trainees, no trip',
    withDetails('party-organisation-training', (d) => Object.assign(d, { trainees: 29, trips: 0 })),
    ['trainees-30', 'training-trip-1'],
  ],
  [
    'lecture hall: 23 lectures, 19.5 + 19 hours',
    withDetails('lecture-hall', (d) =>
      Object.assign(d, { lectures: 23, secretaryRecordedHours: 19.5, staffRecordedHours: 19 }),
    ),
    ['lectures-24', 'secretary-recorded-hours-20', 'staff-recorded-hours-20'],
  ],
  [
    'publicity: 23 issues, 149 organisations',
    withDetails('party-publicity', (d) => Object.assign(d, { bulletinIssues: 23, organisationsCovered: 149 })),
    ['bulletin-issues-24', 'party-organisations-150'],
  ],
  [
    'any type: empty effect and satisfaction targets',
    (() => {
      const body = example('nanyue-platform');
      body.performanceTargets.effect = [];
      body.performanceTargets.satisfaction = [];
      return body;
    })(),
    ['performance-targets-complete', 'performance-targets-complete'],
  ],
  [
    'any type: an indicator without its unit of measure',
    (() => {
      const body = example('party-publicity');
      body.performanceTargets.output.quality[0].unit = ' ';
      return body;
    })(),
    ['performance-targets-complete'],
  ],
];

test.each(shortfalls)('%s → returned for correction with exactly those reasons', async (_name, body, expected) => {
  const result = await verdict(`short-${expected[0]}`, body);
  expect(result.status).toBe('RETURNED_FOR_CORRECTION');
  expect(result.formalCheck.reasons.map((reason: { requirementId: string }) => reason.requirementId).sort()).toEqual(
    [...expected].sort(),
  );
});

const boundaries: [string, Body][] = [
  [
    'forum: exactly 200 people over 3 days, 3 speakers from 3 sub-fields',
    withDetails('lingnan-forum', (d) =>
      Object.assign(d, { offlineAttendance: 200, days: 3, speakers: d.speakers.slice(0, 3) }),
    ),
  ],
  [
    'activity month: exactly 2 days and 600 people',
    withDetails('activity-month', (d) => Object.assign(d, { days: 2, offlineAttendance: 600 })),
  ],
  [
    'training: exactly 30 trainees, 1 trip',
    withDetails('party-organisation-training', (d) => Object.assign(d, { trainees: 30, trips: 1 })),
  ],
  [
    'lecture hall: exactly 24 lectures, 20 + 20 hours',
    withDetails('lecture-hall', (d) =>
      Object.assign(d, { lectures: 24, secretaryRecordedHours: 20, staffRecordedHours: 20 }),
    ),
  ],
  [
    'publicity: exactly 24 issues, 150 organisations',
    withDetails('party-publicity', (d) => Object.assign(d, { bulletinIssues: 24, organisationsCovered: 150 })),
  ],
];

test.each(boundaries)('%s → passes', async (name, body) => {
  const result = await verdict(`edge-${name.split(':')[0].replace(/\s+/g, '-')}`, body);
  expect(result.formalCheck.reasons).toEqual([]);
  expect(result.status).toBe('FORMAL_CHECK_PASSED');
});
