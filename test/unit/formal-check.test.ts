import { type ApplicationForm, validateApplication } from '@shared/domain/application-form';
import { type Call, parseCall } from '@shared/domain/catalogue';
import { PERFORMANCE_TARGETS_REQUIREMENT_ID, formalCheck, getPath } from '@shared/domain/formal-check';
import call2024 from '@seeds/call-2024.json';
import { call, example, type Body } from '../support/fixtures';

/** The body must pass the schema; returns the formal check's result. */
function check(body: Body, c: Call = call()) {
  const r = validateApplication(c, body);
  if (!r.ok) throw new Error(`schema refused the body: ${JSON.stringify(r.issues)}`);
  return formalCheck(c, r.value);
}

function reasonIds(body: Body): string[] {
  return check(body)
    .reasons.map((r) => r.requirementId)
    .sort();
}

const TYPE_IDS = call().projectTypes.map((t) => t.typeId);

describe('the examples', () => {
  it.each(TYPE_IDS)('%s passes the formal check', (typeId) => {
    expect(check(example(typeId))).toEqual({ passed: true, reasons: [] });
  });

  it.each(TYPE_IDS)('%s: every requirement path of its type points at a field the example fills', (typeId) => {
    const type = call().projectTypes.find((t) => t.typeId === typeId)!;
    const body = example(typeId);
    for (const r of type.requirements) expect(getPath(body, r.check.path)).toBeDefined();
  });
});

/** [typeId, description, mutate, expected failing requirement ids ([] = passes)] */
type Case = [string, string, (b: Body) => void, string[]];

const CASES: Case[] = [
  // 1. Lingnan Science Forum
  ['lingnan-forum', 'offline attendance 199', (b) => (b.details.offlineAttendance = 199), ['offline-attendance-200']],
  ['lingnan-forum', 'offline attendance 200', (b) => (b.details.offlineAttendance = 200), []],
  ['lingnan-forum', '4 days', (b) => (b.details.days = 4), ['max-3-consecutive-days']],
  ['lingnan-forum', '3 days', (b) => (b.details.days = 3), []],
  [
    'lingnan-forum',
    '2 speakers',
    (b) => (b.details.speakers = b.details.speakers.slice(0, 2)),
    ['expert-speakers-3', 'speakers-3-sub-fields'],
  ],
  ['lingnan-forum', '3 speakers in 3 sub-fields', (b) => (b.details.speakers = b.details.speakers.slice(0, 3)), []],
  [
    'lingnan-forum',
    '4 speakers in 2 distinct sub-fields',
    (b) => {
      b.details.speakers[2].subField = '量子计算';
      b.details.speakers[3].subField = ' 量子通信 ';
    },
    ['speakers-3-sub-fields'],
  ],
  ['lingnan-forum', 'venue 香港', (b) => (b.details.venueCity = '香港'), ['venue-in-guangdong']],
  ['lingnan-forum', 'venue 云浮', (b) => (b.details.venueCity = '云浮'), []],
  // 3. Academic activity month
  [
    'activity-month',
    '6 sub-forums (no press conference)',
    (b) => {
      b.details.subForums = b.details.subForums.filter(
        (f: Body) => f.kind !== 'other' && f.kind !== 'lingnan-press-conference',
      );
    },
    ['sub-forum-press-conference', 'sub-forums-7'],
  ],
  [
    'activity-month',
    'exactly 7 sub-forums of the required kinds',
    (b) => {
      b.details.subForums = b.details.subForums.filter((f: Body) => f.kind !== 'other');
    },
    [],
  ],
  [
    'activity-month',
    'no local-economy seminar',
    (b) => (b.details.subForums[1].kind = 'other'),
    ['sub-forum-local-economy-seminar'],
  ],
  [
    'activity-month',
    '4 professional forums',
    (b) => (b.details.subForums[6].kind = 'other'),
    ['professional-forums-5', 'professional-forums-co-organised', 'professional-forums-disciplines'],
  ],
  [
    'activity-month',
    'a professional forum with no co-organising society',
    (b) => delete b.details.subForums[4].coOrganiser,
    ['professional-forums-co-organised'],
  ],
  [
    'activity-month',
    'medicine missing',
    (b) => (b.details.subForums[5].discipline = 'science'),
    ['professional-forums-disciplines'],
  ],
  [
    'activity-month',
    'medicine only on a non-professional sub-forum',
    (b) => {
      b.details.subForums[5].discipline = 'science';
      b.details.subForums[7].discipline = 'medicine';
    },
    ['professional-forums-disciplines'],
  ],
  ['activity-month', '1 day', (b) => (b.details.days = 1), ['min-2-days']],
  ['activity-month', '2 days', (b) => (b.details.days = 2), []],
  ['activity-month', 'offline attendance 599', (b) => (b.details.offlineAttendance = 599), ['offline-attendance-600']],
  ['activity-month', 'offline attendance 600', (b) => (b.details.offlineAttendance = 600), []],
  [
    'activity-month',
    '2 main-forum experts',
    (b) => (b.details.mainForumExperts = b.details.mainForumExperts.slice(0, 2)),
    ['main-forum-experts-3'],
  ],
  [
    'activity-month',
    '3 main-forum experts',
    (b) => (b.details.mainForumExperts = b.details.mainForumExperts.slice(0, 3)),
    [],
  ],
  ['activity-month', 'venue 澳门', (b) => (b.details.venueCity = '澳门'), ['venue-prefecture-city']],
  // 6. Secretary-general salon
  [
    'secretary-general-salon',
    'one session',
    (b) => (b.details.sessions = b.details.sessions.slice(0, 1)),
    ['salon-2-sessions'],
  ],
  ['secretary-general-salon', 'no session', (b) => (b.details.sessions = []), ['salon-2-sessions']],
  // 9. Party organisation training
  ['party-organisation-training', '29 trainees', (b) => (b.details.trainees = 29), ['trainees-30']],
  ['party-organisation-training', '30 trainees', (b) => (b.details.trainees = 30), []],
  ['party-organisation-training', 'no trip', (b) => (b.details.trips = 0), ['training-trip-1']],
  // 10. Lecture hall
  ['lecture-hall', '23 lectures', (b) => (b.details.lectures = 23), ['lectures-24']],
  ['lecture-hall', '24 lectures', (b) => (b.details.lectures = 24), []],
  [
    'lecture-hall',
    '19.5 secretary hours',
    (b) => (b.details.secretaryRecordedHours = 19.5),
    ['secretary-recorded-hours-20'],
  ],
  ['lecture-hall', '19.5 staff hours', (b) => (b.details.staffRecordedHours = 19.5), ['staff-recorded-hours-20']],
  [
    'lecture-hall',
    '20 hours each',
    (b) => {
      b.details.secretaryRecordedHours = 20;
      b.details.staffRecordedHours = 20;
    },
    [],
  ],
  // 11. Party-building publicity
  ['party-publicity', '23 issues', (b) => (b.details.bulletinIssues = 23), ['bulletin-issues-24']],
  ['party-publicity', '24 issues', (b) => (b.details.bulletinIssues = 24), []],
  ['party-publicity', '149 organisations', (b) => (b.details.organisationsCovered = 149), ['party-organisations-150']],
  ['party-publicity', '150 organisations', (b) => (b.details.organisationsCovered = 150), []],
];

describe('thresholds: failing by one, passing at the boundary', () => {
  it.each(CASES)('%s: %s', (typeId, _what, mutate, expected) => {
    const body = example(typeId);
    mutate(body);
    const result = check(body);
    expect(result.reasons.map((r) => r.requirementId).sort()).toEqual([...expected].sort());
    expect(result.passed).toBe(expected.length === 0);
  });
});

describe('reasons say what is required and what was given', () => {
  it('forum attendance 150', () => {
    const body = example('lingnan-forum');
    body.details.offlineAttendance = 150;
    expect(check(body).reasons).toEqual([
      {
        requirementId: 'offline-attendance-200',
        path: 'details.offlineAttendance',
        text: {
          zh: '线下参会人数（按时间累计）应不少于200人（申报为150）',
          en: 'Offline attendance (cumulative) must be at least 200 (given 150)',
        },
      },
    ]);
  });

  it('venue, days, counts and distinct sub-fields', () => {
    const body = example('lingnan-forum');
    body.details.venueCity = '香港';
    body.details.days = 4;
    body.details.speakers = body.details.speakers.slice(0, 2);
    const byId = Object.fromEntries(check(body).reasons.map((r) => [r.requirementId, r]));
    expect(byId['venue-in-guangdong'].text.zh).toContain('申报为“香港”');
    expect(byId['venue-in-guangdong'].text.en).toContain('given "香港"');
    expect(byId['max-3-consecutive-days'].text.en).toContain('(given 4)');
    expect(byId['expert-speakers-3'].text.zh).toContain('申报2项');
    expect(byId['expert-speakers-3'].path).toBe('details.speakers');
    expect(byId['speakers-3-sub-fields'].text.en).toContain('(given 2)');
  });

  it('names the missing disciplines', () => {
    const body = example('activity-month');
    body.details.subForums[5].discipline = 'science';
    body.details.subForums[3].discipline = 'science';
    const [reason] = check(body).reasons;
    expect(reason.requirementId).toBe('professional-forums-disciplines');
    expect(reason.text.zh).toContain('缺少：工、医');
    expect(reason.text.en).toContain('missing: engineering, medicine');
  });
});

describe('performance targets must be complete', () => {
  it('each group needs at least one indicator', () => {
    const body = example('nanyue-platform');
    body.performanceTargets.output.cost = [];
    const result = check(body);
    expect(result.passed).toBe(false);
    expect(result.reasons).toEqual([
      {
        requirementId: PERFORMANCE_TARGETS_REQUIREMENT_ID,
        path: 'performanceTargets.output.cost',
        text: expect.objectContaining({ zh: expect.stringContaining('成本指标') }),
      },
    ]);
  });

  it('all six groups empty: six reasons', () => {
    const body = example('annual-report-statistics');
    body.performanceTargets = {
      output: { quantity: [], quality: [], timeliness: [], cost: [] },
      effect: [],
      satisfaction: [],
    };
    expect(check(body).reasons.map((r) => r.path)).toEqual([
      'performanceTargets.output.quantity',
      'performanceTargets.output.quality',
      'performanceTargets.output.timeliness',
      'performanceTargets.output.cost',
      'performanceTargets.effect',
      'performanceTargets.satisfaction',
    ]);
  });
});

describe('all reasons are returned together', () => {
  it('forum failing four ways at once', () => {
    const body = example('lingnan-forum');
    body.details.offlineAttendance = 199;
    body.details.days = 4;
    body.details.venueCity = '香港';
    body.performanceTargets.effect = [];
    expect(reasonIds(body)).toEqual(
      [
        'max-3-consecutive-days',
        'offline-attendance-200',
        PERFORMANCE_TARGETS_REQUIREMENT_ID,
        'venue-in-guangdong',
      ].sort(),
    );
  });

  it('activity month failing every requirement', () => {
    const body = example('activity-month');
    body.details = { venueCity: '香港', days: 1, offlineAttendance: 0, mainForumExperts: [], subForums: [] };
    const ids = reasonIds(body);
    expect(ids).toEqual(
      call()
        .projectTypes[2].requirements.map((r) => r.id)
        .sort(),
    );
    expect(ids).toHaveLength(10);
  });
});

describe('the check is driven by the catalogue, not by code', () => {
  it('a changed threshold in the data changes the outcome', () => {
    const data = JSON.parse(JSON.stringify(call2024));
    data.projectTypes[0].requirements.find((r: Body) => r.id === 'offline-attendance-200').check.value = 400;
    const stricter = parseCall(data);
    const body = example('lingnan-forum'); // 320 offline
    expect(check(body).passed).toBe(true);
    expect(check(body, stricter).reasons.map((r) => r.requirementId)).toEqual(['offline-attendance-200']);
  });

  it('a new requirement on a general type is evaluated', () => {
    const data = JSON.parse(JSON.stringify(call2024));
    data.projectTypes[6].requirements.push({
      id: 'co-organisers-2',
      text: { zh: '联合承办单位应不少于2家', en: 'At least 2 co-organisers' },
      check: { op: 'minCount', path: 'coOrganisers', value: 2 },
    });
    const c = parseCall(data);
    const body = example('gba-mutual-recognition');
    expect(check(body, c).passed).toBe(true);
    body.coOrganisers = body.coOrganisers.slice(0, 1);
    expect(check(body, c).reasons).toEqual([
      {
        requirementId: 'co-organisers-2',
        path: 'coOrganisers',
        text: { zh: '联合承办单位应不少于2家（申报1项）', en: 'At least 2 co-organisers (given 1)' },
      },
    ]);
  });

  it('a form whose type is not in the call fails, and a missing field fails its check', () => {
    const r = validateApplication(call(), example('party-publicity'));
    if (!r.ok) throw new Error('example refused');
    const other: ApplicationForm = { ...r.value, projectTypeId: 'moon-base' };
    expect(formalCheck(call(), other).reasons.map((x) => x.requirementId)).toEqual(['unknown-project-type']);
    const missing = { ...r.value, details: {} } as ApplicationForm;
    const reasons = formalCheck(call(), missing).reasons;
    expect(reasons.map((x) => x.requirementId)).toEqual(['bulletin-issues-24', 'party-organisations-150']);
    expect(reasons[0].text.en).toContain('not given');
  });
});

describe('venue city spelling', () => {
  const forum = example('lingnan-forum');
  test.each(['广州', '广州市', '广东省广州市', ' 深圳市 '])('%s is a city in Guangdong', (venueCity) => {
    const parsed = validateApplication(call(), { ...forum, details: { ...forum.details, venueCity } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formalCheck(call(), parsed.value).passed).toBe(true);
  });
  test.each(['香港', '长沙市', '市'])('%s is not', (venueCity) => {
    const parsed = validateApplication(call(), { ...forum, details: { ...forum.details, venueCity } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok)
      expect(formalCheck(call(), parsed.value).reasons.map((r) => r.requirementId)).toContain('venue-in-guangdong');
  });
});

describe('performance-target indicators need a unit of measure', () => {
  const body = example('lecture-hall');
  test('a blank unit is a reason, named by its path', () => {
    body.performanceTargets.effect[0].unit = '';
    const parsed = validateApplication(call(), body);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const result = formalCheck(call(), parsed.value);
    expect(result.passed).toBe(false);
    expect(result.reasons).toEqual([
      expect.objectContaining({
        requirementId: 'performance-targets-complete',
        path: 'performanceTargets.effect.0.unit',
      }),
    ]);
  });
});
