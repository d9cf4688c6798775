import {
  applicationScore,
  displayScore,
  readExpertScore,
  type ScoringForm,
  scoringFormSchema,
  weightedTotal,
} from '@shared/domain/scoring';
import { call } from '../support/fixtures';

/** The 2024 call's scoring form, from its data (review.scoringForm). */
const FORM = call().review.scoringForm;
const IDS = FORM.criteria.map((c) => c.id);

/** A valid answer: every criterion scored `score`. */
function answer(score = 80, comment = '方案具体，团队有经验。'): Record<string, any> {
  return { answer: 'score', scores: Object.fromEntries(IDS.map((id) => [id, score])), comment };
}

function details(body: unknown, form: ScoringForm = FORM) {
  const r = readExpertScore(form, body);
  if (r.ok) throw new Error('expected the answer to be refused');
  return r.details;
}

describe('the scoring form', () => {
  it('the 2024 default validates, and is marked as an assumption', () => {
    expect(scoringFormSchema().safeParse(FORM).success).toBe(true);
    expect(IDS).toEqual([
      'significance',
      'feasibility-and-plan',
      'team-and-partners',
      'performance-targets',
      'budget-soundness',
    ]);
    expect(FORM.criteria.map((c) => c.name.zh)).toEqual([
      '意义与必要性',
      '可行性与实施方案',
      '团队与合作单位',
      '绩效目标',
      '预算合理性',
    ]);
    expect(FORM.criteria.map((c) => c.weight)).toEqual([0.25, 0.25, 0.2, 0.15, 0.15]);
    expect(FORM.criteria.every((c) => c.min === 0 && c.max === 100)).toBe(true);
    expect(FORM.commentRequired).toBe(true);
    expect(FORM.assumptions.zh).toContain('假设');
    expect(FORM.assumptions.en).toContain('assumption');
    expect(Object.isFrozen(FORM.criteria[0])).toBe(true);
  });

  it('refuses duplicate or non-kebab ids, weights that do not add up to 1, a zero weight, and min ≥ max', () => {
    const bad = (mutate: (f: any) => void) => {
      const f = structuredClone(FORM) as any;
      mutate(f);
      const r = scoringFormSchema().safeParse(f);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    };
    expect(bad((f) => (f.criteria[1].id = 'significance'))).toMatch(
      /criteria\.1\.id: duplicate criterion id significance/,
    );
    expect(bad((f) => (f.criteria[0].id = 'Significance'))).toMatch(/kebab/);
    expect(bad((f) => (f.criteria[0].weight = 0.3))).toMatch(/add up to 1/);
    expect(bad((f) => (f.criteria[0].weight = 0))).toMatch(/criteria\.0\.weight/);
    expect(bad((f) => (f.criteria[0].max = 0))).toMatch(/criteria\.0\.max: min must be less than max/);
    // within 1e-9 is fine: 0.1 + 0.2 ≠ 0.3 in floating point
    const f = structuredClone(FORM) as any;
    f.criteria = [
      { ...f.criteria[0], weight: 0.1 },
      { ...f.criteria[1], weight: 0.2 },
      { ...f.criteria[2], weight: 0.7 },
    ];
    expect(scoringFormSchema().safeParse(f).success).toBe(true);
  });
});

describe('readExpertScore', () => {
  it('takes every criterion in range, in whole or half points, and a trimmed comment', () => {
    const body = answer(80);
    body.scores['budget-soundness'] = 72.5;
    body.scores.significance = 100;
    body.scores['team-and-partners'] = 0;
    body.comment = '  选题前沿，实施方案可行。 ';
    expect(readExpertScore(FORM, body)).toEqual({
      ok: true,
      scores: {
        significance: 100,
        'feasibility-and-plan': 80,
        'team-and-partners': 0,
        'performance-targets': 80,
        'budget-soundness': 72.5,
      },
      comment: '选题前沿，实施方案可行。',
    });
  });

  it('names every bad field at once: missing criterion, out of range, not a number, not a half point, unknown criterion, missing comment', () => {
    const body = answer(80);
    delete body.scores.significance;
    body.scores['feasibility-and-plan'] = 101;
    body.scores['team-and-partners'] = -1;
    body.scores['performance-targets'] = '85';
    body.scores['budget-soundness'] = 70.3;
    body.scores.novelty = 90;
    delete body.comment;
    const d = details(body);
    expect(d.map((x) => [x.path, x.code])).toEqual([
      ['scores.significance', 'REQUIRED'],
      ['scores.feasibility-and-plan', 'TOO_LARGE'],
      ['scores.team-and-partners', 'TOO_SMALL'],
      ['scores.performance-targets', 'INVALID_TYPE'],
      ['scores.budget-soundness', 'NOT_HALF_POINT'],
      ['scores.novelty', 'UNKNOWN_FIELD'],
      ['comment', 'REQUIRED'],
    ]);
    expect(d[1].message).toBe('scores.feasibility-and-plan must be at most 100 (given 101)');
    expect(d[3].message).toContain('must be a number from 0–100 (given a string)');
  });

  it.each([
    ['null', null],
    ['a boolean', true],
    ['an object', {}],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('a score that is %s is not a number', (_what, value) => {
    const body = answer();
    body.scores.significance = value;
    expect(details(body).map((x) => [x.path, x.code])).toEqual([['scores.significance', 'INVALID_TYPE']]);
  });

  it('refuses a blank comment, a comment over 2000 characters, and one that is not a string', () => {
    expect(details(answer(80, '   \n ')).map((x) => [x.path, x.code])).toEqual([['comment', 'REQUIRED']]);
    expect(readExpertScore(FORM, answer(80, '好'.repeat(2000))).ok).toBe(true);
    expect(details(answer(80, '好'.repeat(2001))).map((x) => [x.path, x.code])).toEqual([['comment', 'TOO_LONG']]);
    const body = answer();
    body.comment = 42;
    expect(details(body).map((x) => [x.path, x.code])).toEqual([['comment', 'INVALID_TYPE']]);
  });

  it('takes no comment when the form does not require one', () => {
    const form = { ...FORM, commentRequired: false };
    const body = answer();
    delete body.comment;
    expect(readExpertScore(form, body)).toMatchObject({ ok: true, comment: '' });
  });

  it('refuses a body or scores that are not objects, and missing scores, without throwing', () => {
    expect(details('80').map((x) => [x.path, x.code])).toEqual([['', 'INVALID_TYPE']]);
    expect(details([]).map((x) => [x.path, x.code])).toEqual([['', 'INVALID_TYPE']]);
    expect(details({ comment: 'ok' }).map((x) => [x.path, x.code])).toEqual([['scores', 'REQUIRED']]);
    expect(details({ scores: [80, 80, 80, 80, 80], comment: 'ok' }).map((x) => [x.path, x.code])).toEqual([
      ['scores', 'INVALID_TYPE'],
    ]);
  });

  it('never reads through the prototype chain', () => {
    const scores = Object.create({ significance: 90 });
    for (const id of IDS.slice(1)) scores[id] = 80;
    expect(details({ scores, comment: 'ok' }).map((x) => [x.path, x.code])).toEqual([
      ['scores.significance', 'REQUIRED'],
    ]);
    const hostile = JSON.parse('{"scores": {"__proto__": 5}, "comment": "ok"}');
    expect(details(hostile).map((x) => x.code)).toContain('UNKNOWN_FIELD');
  });

  it('lists at most 20 unknown criteria', () => {
    const body = answer();
    for (let i = 0; i < 1000; i++) body.scores[`x${i}`] = 1;
    const d = details(body);
    expect(d.filter((x) => x.code === 'UNKNOWN_FIELD')).toHaveLength(20);
    expect(d.at(-1)!.code).toBe('TOO_MANY_ISSUES');
  });
});

describe('weightedTotal', () => {
  it('weights each criterion on a 0–100 scale', () => {
    expect(weightedTotal(FORM, answer(100).scores)).toBe(100);
    expect(weightedTotal(FORM, answer(0).scores)).toBe(0);
    const scores = {
      significance: 90,
      'feasibility-and-plan': 80,
      'team-and-partners': 70,
      'performance-targets': 60,
      'budget-soundness': 50,
    };
    expect(weightedTotal(FORM, scores)).toBeCloseTo(0.25 * 90 + 0.25 * 80 + 0.2 * 70 + 0.15 * 60 + 0.15 * 50, 10);
  });

  it('places a criterion with another range on 0–100 first', () => {
    const form: ScoringForm = {
      ...FORM,
      criteria: [
        { ...FORM.criteria[0], weight: 0.5, min: 0, max: 10 },
        { ...FORM.criteria[1], weight: 0.5, min: 1, max: 5 },
      ],
    };
    expect(scoringFormSchema().safeParse(form).success).toBe(true);
    expect(weightedTotal(form, { significance: 10, 'feasibility-and-plan': 1 })).toBe(50);
    expect(weightedTotal(form, { significance: 5, 'feasibility-and-plan': 5 })).toBe(75);
  });

  it('throws when a criterion has no score', () => {
    expect(() => weightedTotal(FORM, { significance: 80 })).toThrow(/feasibility-and-plan/);
  });
});

describe('applicationScore', () => {
  it('is undefined with fewer than 3 totals: never scored on fewer than 3', () => {
    expect(applicationScore([])).toBeUndefined();
    expect(applicationScore([90])).toBeUndefined();
    expect(applicationScore([90, 80])).toBeUndefined();
  });

  it('takes the plain mean of 3 or 4 totals', () => {
    expect(applicationScore([90, 60, 75])).toEqual({
      score: 75,
      counted: [60, 75, 90],
      dropped: [],
      spread: Math.sqrt(150),
    });
    const four = applicationScore([70, 100, 80, 90])!;
    expect(four.score).toBe(85);
    expect(four.dropped).toEqual([]);
    expect(four.counted).toEqual([70, 80, 90, 100]);
    expect(four.spread).toBeCloseTo(Math.sqrt(125), 12);
  });

  it('drops the highest and the lowest of 5 or more totals first', () => {
    expect(applicationScore([95, 40, 80, 82, 78])).toEqual({
      score: 80,
      counted: [78, 80, 82],
      dropped: [40, 95],
      spread: Math.sqrt(8 / 3),
    });
    const six = applicationScore([70, 70, 90, 100, 60, 80])!;
    expect(six.dropped).toEqual([60, 100]);
    expect(six.counted).toEqual([70, 70, 80, 90]);
    expect(six.score).toBe(77.5);
    // with equal extremes only one of each is dropped
    expect(applicationScore([80, 80, 80, 80, 80])).toEqual({
      score: 80,
      counted: [80, 80, 80],
      dropped: [80, 80],
      spread: 0,
    });
  });

  it('gives the very same score for the same totals in any order', () => {
    const totals = [81.35, 77.05, 92.4, 68.85, 88.1, 73.3];
    const first = applicationScore(totals)!;
    for (let i = 0; i < totals.length; i++) {
      const rotated = [...totals.slice(i), ...totals.slice(0, i)];
      expect(applicationScore(rotated)).toEqual(first);
      expect(applicationScore(rotated.reverse())).toEqual(first);
    }
  });

  it('keeps full precision; two decimals are for display only', () => {
    const s = applicationScore([80, 80, 81])!;
    expect(s.score).toBeCloseTo(80.3333333333, 9);
    expect(displayScore(s.score)).toBe('80.33');
  });

  it('throws on a total that is not a finite number, and does not touch its input', () => {
    expect(() => applicationScore([80, NaN, 90])).toThrow(RangeError);
    const totals = [90, 60, 75];
    applicationScore(totals);
    expect(totals).toEqual([90, 60, 75]);
  });
});
