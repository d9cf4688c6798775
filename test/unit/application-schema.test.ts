import { readdirSync } from 'fs';
import { MAX_ISSUES, validateAmendment, validateApplication, type FieldIssue } from '@shared/domain/application-form';
import { EXAMPLES_DIR, call, example, exampleText, type Body } from '../support/fixtures';

function issuesOf(body: unknown): FieldIssue[] {
  const r = validateApplication(call(), body);
  if (r.ok) throw new Error('expected the body to be refused');
  return r.issues;
}

/** "path CODE" pairs, sorted, for exact comparison. */
function pairs(issues: FieldIssue[]): string[] {
  return issues.map((i) => `${i.path} ${i.code}`).sort();
}

function expectOk(body: unknown) {
  const r = validateApplication(call(), body);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.issues, null, 1)}`);
  return r;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

const TYPE_IDS = call().projectTypes.map((t) => t.typeId);

describe('the examples in seeds/examples', () => {
  it('cover every project type, one file each', () => {
    const files = readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(TYPE_IDS.map((id) => `${id}.json`).sort());
  });

  it.each(TYPE_IDS)('%s is a valid application, returned unchanged', (typeId) => {
    const body = example(typeId);
    const before = JSON.stringify(body);
    const r = expectOk(deepFreeze(body));
    expect(JSON.stringify(body)).toBe(before);
    expect(r.type.typeId).toBe(typeId);
    expect(r.value).toEqual({ coOrganisers: [], details: {}, ...JSON.parse(before) });
    expect(r.value).not.toBe(body);
  });

  it.each(TYPE_IDS)("%s asks for the type's funding and ends in time", (typeId) => {
    const body = example(typeId);
    const t = call().projectTypes.find((x) => x.typeId === typeId)!;
    const expected = t.funding.kind === 'fixed' ? t.funding.amountCny : 80000;
    expect(body.budget.requestedCny).toBe(expected);
    expect(body.endDate <= t.finishBy).toBe(true);
    expect(body.startDate >= '2024-01-01').toBe(true);
  });

  it('validateAmendment is the same validation', () => {
    expect(validateAmendment).toBe(validateApplication);
  });
});

describe('a malformed body lists every bad field', () => {
  it('reports each bad field once, with its path and code', () => {
    const body = example('lingnan-forum');
    body.title = '';
    body.lead.email = 'not-an-email';
    body.lead.age = 52;
    body.contact.phone = 'call me';
    body.startDate = '2024-02-30';
    body.summary = 42;
    body.budget.items[1].amountCny = -5;
    body.budget.items[2].name = '   ';
    body.performanceTargets.effect[0].unit = 'x'.repeat(31);
    body.performanceTargets.output.quality[0].target = true;
    body.coOrganisers[0].kind = 'government';
    body.discipline.basicScience = 'yes';
    body.details.offlineAttendance = 150.5;
    body.details.speakers[0].subField = '';
    body.foo = 'bar';
    delete body.implementationPlan;
    expect(pairs(issuesOf(body))).toEqual(
      [
        'title REQUIRED',
        'lead.email INVALID_EMAIL',
        'lead.age UNKNOWN_FIELD',
        'contact.phone INVALID_PHONE',
        'startDate INVALID_DATE',
        'summary INVALID_TYPE',
        'implementationPlan REQUIRED',
        'budget.items.1.amountCny TOO_SMALL',
        'budget.items.2.name REQUIRED',
        'performanceTargets.effect.0.unit TOO_LONG',
        'performanceTargets.output.quality.0.target INVALID_TYPE',
        'coOrganisers.0.kind INVALID_VALUE',
        'discipline.basicScience INVALID_TYPE',
        'details.offlineAttendance NOT_INTEGER',
        'details.speakers.0.subField REQUIRED',
        'foo UNKNOWN_FIELD',
      ].sort(),
    );
  });

  it('an empty object: every required field is REQUIRED', () => {
    expect(pairs(issuesOf({}))).toEqual(
      [
        'projectTypeId',
        'title',
        'lead',
        'contact',
        'startDate',
        'endDate',
        'summary',
        'implementationPlan',
        'budget',
        'performanceTargets',
        'discipline',
      ]
        .map((p) => `${p} REQUIRED`)
        .sort(),
    );
  });

  it('each issue has a dot path, an UPPER_SNAKE code and a message', () => {
    const body = example('activity-month');
    body.details.subForums[3].kind = 'banquet';
    body.details.subForums[4].discipline = 'law';
    body.details.mainForumExperts = 'many';
    for (const i of issuesOf(body)) {
      expect(i.code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(typeof i.message).toBe('string');
      expect(i.message.length).toBeGreaterThan(0);
    }
    expect(pairs(issuesOf(body))).toEqual(
      [
        'details.mainForumExperts INVALID_TYPE',
        'details.subForums.3.kind INVALID_VALUE',
        'details.subForums.4.discipline INVALID_VALUE',
      ].sort(),
    );
  });

  it('refuses an unknown project type', () => {
    const body = example('lingnan-forum');
    body.projectTypeId = 'moon-base';
    expect(pairs(issuesOf(body))).toEqual(['projectTypeId UNKNOWN_PROJECT_TYPE']);
  });
});

describe('field rules', () => {
  it('title: 1–200 characters, not blank', () => {
    const body = example('lingnan-forum');
    body.title = '论'.repeat(200);
    expectOk(body);
    body.title = '论'.repeat(201);
    expect(pairs(issuesOf(body))).toEqual(['title TOO_LONG']);
    body.title = ' \t ';
    expect(pairs(issuesOf(body))).toEqual(['title REQUIRED']);
  });

  it('summary ≤ 5000 and implementationPlan ≤ 20000 characters', () => {
    const body = example('secretary-general-salon');
    body.summary = 'a'.repeat(5000);
    body.implementationPlan = 'b'.repeat(20000);
    expectOk(body);
    body.summary = 'a'.repeat(5001);
    body.implementationPlan = 'b'.repeat(20001);
    expect(pairs(issuesOf(body))).toEqual(['implementationPlan TOO_LONG', 'summary TOO_LONG']);
  });

  it('email and phone', () => {
    const body = example('lingnan-forum');
    body.lead.phone = '+86 20 8354 3079';
    body.contact.phone = '13800138000';
    body.contact.email = 'li.xiaolin+forum@mail.gd-physics.example.org';
    expectOk(body);
    body.lead.phone = '1234';
    body.contact.phone = '1'.repeat(31);
    body.contact.email = 'li@localhost';
    body.lead.email = 'a@b@c.org';
    expect(pairs(issuesOf(body))).toEqual(
      [
        'contact.email INVALID_EMAIL',
        'contact.phone INVALID_PHONE',
        'lead.email INVALID_EMAIL',
        'lead.phone INVALID_PHONE',
      ].sort(),
    );
  });

  it('dates must be real dates written YYYY-MM-DD', () => {
    const body = example('lingnan-forum');
    body.startDate = '2024-02-29';
    expectOk(body);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-2-1', '20240101', '2024-01-01T00:00:00Z', '']) {
      body.startDate = bad;
      expect(pairs(issuesOf(body))).toEqual(['startDate INVALID_DATE']);
    }
    body.startDate = 20240101;
    expect(pairs(issuesOf(body))).toEqual(['startDate INVALID_TYPE']);
  });

  it('start ≤ end', () => {
    const body = example('lingnan-forum');
    body.startDate = '2024-06-02';
    body.endDate = '2024-06-01';
    expect(pairs(issuesOf(body))).toEqual(['endDate END_BEFORE_START']);
    body.endDate = '2024-06-02';
    expectOk(body);
  });

  it("end ≤ the type's finish date: type 3 by 2024-05-31", () => {
    const body = example('activity-month');
    body.endDate = '2024-05-31';
    expectOk(body);
    body.endDate = '2024-06-01';
    const issues = issuesOf(body);
    expect(pairs(issues)).toEqual(['endDate END_AFTER_FINISH_DATE']);
    expect(issues[0].message).toContain('2024-05-31');
  });

  it('end ≤ 2024-12-31 for the other types', () => {
    const body = example('lingnan-forum');
    body.endDate = '2024-12-31';
    expectOk(body);
    body.endDate = '2025-01-01';
    expect(pairs(issuesOf(body))).toEqual(['endDate END_AFTER_FINISH_DATE']);
  });
});

describe('budget and funding', () => {
  const withRequest = (typeId: string, amount: number): Body => {
    const body = example(typeId);
    body.budget = { requestedCny: amount, items: [{ name: '专家劳务费', amountCny: amount }] };
    return body;
  };

  it('type 4: 50000 and 100000 accepted, 49999 and 100001 refused', () => {
    expectOk(withRequest('public-service-capacity', 50000));
    expectOk(withRequest('public-service-capacity', 100000));
    for (const amount of [49999, 100001]) {
      const issues = issuesOf(withRequest('public-service-capacity', amount));
      expect(pairs(issues)).toEqual(['budget.requestedCny FUNDING_OUT_OF_RANGE']);
      expect(issues[0].message).toContain('50000');
    }
  });

  it('fixed funding: above the amount refused', () => {
    expectOk(withRequest('lingnan-forum', 100000));
    expect(pairs(issuesOf(withRequest('lingnan-forum', 100001)))).toEqual(['budget.requestedCny FUNDING_OUT_OF_RANGE']);
    expect(pairs(issuesOf(withRequest('activity-month', 600001)))).toEqual([
      'budget.requestedCny FUNDING_OUT_OF_RANGE',
    ]);
    expectOk(withRequest('party-publicity', 40000));
    expect(pairs(issuesOf(withRequest('party-publicity', 40001)))).toEqual([
      'budget.requestedCny FUNDING_OUT_OF_RANGE',
    ]);
  });

  it('items must add up to the request', () => {
    const body = example('lingnan-forum');
    body.budget.items[0].amountCny += 1;
    const issues = issuesOf(body);
    expect(pairs(issues)).toEqual(['budget.items BUDGET_MISMATCH']);
    expect(issues[0].message).toContain('100001');
  });

  it('a mismatch is reported alongside unrelated issues in the same budget', () => {
    const body = example('lingnan-forum');
    body.budget.items[0].amountCny += 1;
    body.budget.items[1].name = '';
    body.budget.requestedCny = 100001;
    expect(pairs(issuesOf(body))).toEqual(
      ['budget.items.1.name REQUIRED', 'budget.requestedCny FUNDING_OUT_OF_RANGE'].sort(),
    );
    body.budget.items[0].amountCny += 1;
    expect(pairs(issuesOf(body))).toEqual(
      [
        'budget.items BUDGET_MISMATCH',
        'budget.items.1.name REQUIRED',
        'budget.requestedCny FUNDING_OUT_OF_RANGE',
      ].sort(),
    );
  });

  it('request is a positive whole number; 1–50 items; matching funds optional', () => {
    const body = example('nanyue-platform');
    expect(expectOk(body).value.budget.matchingFundsCny).toBe(50000);
    body.budget.matchingFundsCny = -1;
    expect(pairs(issuesOf(body))).toEqual(['budget.matchingFundsCny TOO_SMALL']);
    delete body.budget.matchingFundsCny;
    expectOk(body);

    const zero = example('party-publicity');
    zero.budget = { requestedCny: 0, items: [{ name: 'x', amountCny: 0 }] };
    expect(pairs(issuesOf(zero))).toEqual(['budget.requestedCny TOO_SMALL']);
    zero.budget = { requestedCny: 1.5, items: [] };
    expect(pairs(issuesOf(zero))).toEqual(['budget.items TOO_FEW_ITEMS', 'budget.requestedCny NOT_INTEGER']);
    zero.budget = { requestedCny: 51, items: Array.from({ length: 51 }, () => ({ name: 'x', amountCny: 1 })) };
    expect(pairs(issuesOf(zero))).toEqual(['budget.items TOO_MANY_ITEMS']);
  });
});

describe('performance targets and co-organisers', () => {
  it('arrays may be empty at the schema level; at most 30 indicators each', () => {
    const body = example('lecture-hall');
    body.performanceTargets.output.cost = [];
    body.performanceTargets.satisfaction = [];
    expectOk(body);
    body.performanceTargets.effect = Array.from({ length: 31 }, (_, i) => ({ name: `指标${i}`, target: i, unit: '' }));
    expect(pairs(issuesOf(body))).toEqual(['performanceTargets.effect TOO_MANY_ITEMS']);
  });

  it('an indicator target is a 1–100 character string or a number', () => {
    const body = example('lecture-hall');
    body.performanceTargets.effect[0].target = 12.5;
    expectOk(body);
    body.performanceTargets.effect[0].target = '';
    expect(pairs(issuesOf(body))).toEqual(['performanceTargets.effect.0.target REQUIRED']);
    body.performanceTargets.effect[0].target = null;
    expect(pairs(issuesOf(body))).toEqual(['performanceTargets.effect.0.target INVALID_TYPE']);
    delete body.performanceTargets.effect[0].target;
    expect(pairs(issuesOf(body))).toEqual(['performanceTargets.effect.0.target REQUIRED']);
  });

  it('coOrganisers are optional (default []), at most 20', () => {
    const body = example('lingnan-forum');
    delete body.coOrganisers;
    expect(expectOk(body).value.coOrganisers).toEqual([]);
    body.coOrganisers = Array.from({ length: 21 }, (_, i) => ({ name: `学会${i}`, kind: 'other' }));
    expect(pairs(issuesOf(body))).toEqual(['coOrganisers TOO_MANY_ITEMS']);
  });
});

describe('type-specific details', () => {
  it('forum: thresholds are only non-negative integers here (150 passes the schema)', () => {
    const body = example('lingnan-forum');
    body.details.offlineAttendance = 150;
    body.details.days = 5;
    body.details.speakers = body.details.speakers.slice(0, 1);
    body.details.venueCity = '香港';
    expectOk(body);
    body.details.offlineAttendance = -1;
    body.details.days = 0;
    body.details.speakers = 'three';
    body.details.startDate = '2024-10-32';
    expect(pairs(issuesOf(body))).toEqual(
      [
        'details.days TOO_SMALL',
        'details.offlineAttendance TOO_SMALL',
        'details.speakers INVALID_TYPE',
        'details.startDate INVALID_DATE',
      ].sort(),
    );
  });

  it("forum: the forum's start date and days are required (its reports are due from its end)", () => {
    const body = example('lingnan-forum');
    delete body.details.startDate;
    delete body.details.days;
    expect(pairs(issuesOf(body))).toEqual(['details.days REQUIRED', 'details.startDate REQUIRED']);
  });

  it('a type that needs details refuses a body without them', () => {
    for (const typeId of [
      'lingnan-forum',
      'activity-month',
      'public-service-capacity',
      'secretary-general-salon',
      'party-organisation-training',
      'lecture-hall',
      'party-publicity',
    ]) {
      const body = example(typeId);
      delete body.details;
      expect(pairs(issuesOf(body))).toEqual(['details REQUIRED']);
    }
  });

  it("details are strict: another type's fields are unknown", () => {
    const body = example('party-publicity');
    body.details.trainees = 30;
    expect(pairs(issuesOf(body))).toEqual(['details.trainees UNKNOWN_FIELD']);
  });

  it('general types take {} or nothing', () => {
    const body = example('annual-report-statistics');
    delete body.details;
    expect(expectOk(body).value.details).toEqual({});
    body.details = { venueCity: '广州' };
    expect(pairs(issuesOf(body))).toEqual(['details.venueCity UNKNOWN_FIELD']);
    body.details = [];
    expect(pairs(issuesOf(body))).toEqual(['details INVALID_TYPE']);
  });

  it("public service: the objective must be one of the type's six ids", () => {
    const body = example('public-service-capacity');
    for (const o of call().projectTypes[3].objectives ?? []) {
      body.details.objective = o.id;
      expectOk(body);
    }
    body.details.objective = 'world-peace';
    expect(pairs(issuesOf(body))).toEqual(['details.objective INVALID_VALUE']);
  });

  it('salon, training, lecture hall, publicity', () => {
    const salon = example('secretary-general-salon');
    salon.details.sessions[1].plannedDate = '2024-11-31';
    expect(pairs(issuesOf(salon))).toEqual(['details.sessions.1.plannedDate INVALID_DATE']);

    const training = example('party-organisation-training');
    training.details.trainees = 29.5;
    training.details.destination = '';
    expect(pairs(issuesOf(training))).toEqual(['details.destination REQUIRED', 'details.trainees NOT_INTEGER']);

    const lectures = example('lecture-hall');
    lectures.details.secretaryRecordedHours = 19.5;
    expectOk(lectures);
    lectures.details.staffRecordedHours = -0.5;
    lectures.details.lectures = '24';
    expect(pairs(issuesOf(lectures))).toEqual([
      'details.lectures INVALID_TYPE',
      'details.staffRecordedHours TOO_SMALL',
    ]);

    const publicity = example('party-publicity');
    delete publicity.details.organisationsCovered;
    expect(pairs(issuesOf(publicity))).toEqual(['details.organisationsCovered REQUIRED']);
  });
});

describe('hostile input: issues, never a throw, no pollution', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a number', 42],
    ['a string', 'application'],
    ['true', true],
    ['undefined', undefined],
  ])('%s is refused at the root', (_name, body) => {
    expect(pairs(issuesOf(body))).toEqual([' INVALID_TYPE']);
  });

  it('__proto__, constructor and prototype keys are unknown fields, and pollute nothing', () => {
    const body = JSON.parse(
      '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}}',
    );
    const issues = issuesOf(body);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '__proto__', code: 'UNKNOWN_FIELD' }),
        expect.objectContaining({ path: 'constructor', code: 'UNKNOWN_FIELD' }),
        expect.objectContaining({ path: 'prototype', code: 'UNKNOWN_FIELD' }),
      ]),
    );
  });

  it('nested __proto__ keys inside a valid body are unknown fields too', () => {
    const text = exampleText('lingnan-forum');
    const body = JSON.parse(
      text
        .replace('"lead": {', '"lead": {"__proto__": {"polluted": 1}, ')
        .replace('"details": {', '"details": {"constructor": {"prototype": {"polluted": 1}}, '),
    );
    expect(pairs(issuesOf(body))).toEqual(['details.constructor UNKNOWN_FIELD', 'lead.__proto__ UNKNOWN_FIELD']);
    expect(Object.getPrototypeOf(body.lead)).toBe(Object.prototype);
  });

  it('a 1 MB string and a 10 MB string are refused quickly', () => {
    const body = example('lingnan-forum');
    body.title = 'x'.repeat(1024 * 1024);
    const huge = `${'a'.repeat(10 * 1024 * 1024)}@example.org`;
    body.lead.email = huge;
    body.lead.phone = huge;
    body.startDate = huge;
    body.details.venueCity = huge;
    body.performanceTargets.effect[0].target = huge;
    const t0 = Date.now();
    expect(pairs(issuesOf(body))).toEqual(
      [
        'title TOO_LONG',
        'lead.email TOO_LONG',
        'lead.phone INVALID_PHONE',
        'startDate INVALID_DATE',
        'details.venueCity TOO_LONG',
        'performanceTargets.effect.0.target TOO_LONG',
      ].sort(),
    );
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('deep nesting and huge arrays are refused without recursion or a long wait', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100000; i++) deep = i % 2 ? [deep] : { a: deep };
    const body = example('lingnan-forum');
    body.title = deep;
    body.details.speakers = { a: deep };
    body.details.mainForumExperts = deep;
    body.discipline = { basicScience: true, field: 'x', extra: deep };
    body.budget.items = Array.from({ length: 200000 }, () => ({ bad: deep }));
    const t0 = Date.now();
    expect(pairs(issuesOf(body))).toEqual(
      [
        'budget.items TOO_MANY_ITEMS',
        'details.mainForumExperts UNKNOWN_FIELD',
        'details.speakers INVALID_TYPE',
        'discipline.extra UNKNOWN_FIELD',
        'title INVALID_TYPE',
      ].sort(),
    );
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('an avalanche of unknown keys is capped', () => {
    const body: Record<string, number> = {};
    for (let i = 0; i < 50000; i++) body[`k${i}`] = i;
    const issues = issuesOf(body);
    expect(issues.length).toBe(MAX_ISSUES + 1);
    expect(issues[issues.length - 1].code).toBe('TOO_MANY_ISSUES');
  });

  it('never throws on bodies mangled at random', () => {
    // a small deterministic fuzz: replace values at random paths with hostile values
    let seed = 20230818;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const hostile: unknown[] = [
      null,
      '',
      -1,
      0,
      1.5,
      1e308,
      -0,
      [],
      {},
      [[[]]],
      'x'.repeat(300),
      true,
      '2024-13-45',
      { __proto__: null },
      JSON.parse('{"__proto__":{"polluted":1}}'),
    ];
    const paths = (v: unknown, prefix: string[] = []): string[][] =>
      v && typeof v === 'object'
        ? Object.keys(v).flatMap((k) => [[...prefix, k], ...paths((v as Body)[k], [...prefix, k])])
        : [];
    for (const typeId of TYPE_IDS) {
      const base = example(typeId);
      const all = paths(base);
      for (let round = 0; round < 60; round++) {
        const body = example(typeId);
        for (let k = 0; k < 1 + rand(4); k++) {
          const p = all[rand(all.length)];
          let target: Body = body;
          for (const seg of p.slice(0, -1)) target = target?.[seg];
          if (target && typeof target === 'object') target[p[p.length - 1]] = hostile[rand(hostile.length)];
        }
        const r = validateApplication(call(), body);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const i of r.issues) {
            expect(typeof i.path).toBe('string');
            expect(i.code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
          }
        }
      }
    }
  });
});

describe('experts to avoid (回避专家, optional)', () => {
  test('up to three names are kept, trimmed; a fourth, or a blank one, is refused by path', () => {
    const body = { ...example('lingnan-forum'), expertsToAvoid: [' 张三 ', '李四', '王五'] };
    expect(expectOk(body).value.expertsToAvoid).toEqual(['张三', '李四', '王五']);
    expect(pairs(issuesOf({ ...body, expertsToAvoid: ['甲', '乙', '丙', '丁'] }))).toEqual([
      'expertsToAvoid TOO_MANY_ITEMS',
    ]);
    expect(pairs(issuesOf({ ...body, expertsToAvoid: ['甲', '  '] }))).toEqual(['expertsToAvoid.1 REQUIRED']);
    expect(expectOk(example('lingnan-forum')).value.expertsToAvoid).toBeUndefined();
  });
});
