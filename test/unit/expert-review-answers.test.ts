import { getCall } from '@shared/domain/catalogue';
import { readTaskAnswer } from '@shared/domain/tasks/link-rules';
import { weightedTotal } from '@shared/domain/scoring';

const call = getCall('gdast-2024')!;
const form = call.review.scoringForm;
const now = new Date('2024-01-10T10:00:00+08:00');
const read = (kind: 'expert-review' | 'award-confirmation', body: unknown) => readTaskAnswer(kind, body, { call, now });

/** A score for every criterion of the 2024 form: 80, 81, 82, … */
const scores = Object.fromEntries(form.criteria.map((c, i) => [c.id, 80 + i]));
const flat = Object.fromEntries(form.criteria.map((c, i) => [`score.${c.id}`, String(80 + i)]));
const paths = (result: ReturnType<typeof read>) => (result.ok ? [] : result.details.map((d) => d.path));

describe('an expert scores', () => {
  test('the 2024 form has the criteria these tests name', () => {
    expect(form.criteria.map((c) => c.id)).toEqual([
      'significance',
      'feasibility-and-plan',
      'team-and-partners',
      'performance-targets',
      'budget-soundness',
    ]);
    expect(form.commentRequired).toBe(true);
  });

  test('JSON scores: the answer carries the scores, the comment and the weighted total', () => {
    const result = read('expert-review', { answer: 'score', noConflict: true, scores, comment: '  方案具体，可行。 ' });
    expect(result).toEqual({
      ok: true,
      answer: expect.objectContaining({
        answer: 'score',
        scores,
        comment: '方案具体，可行。',
        total: weightedTotal(form, scores),
      }),
    });
    // 0.25·80 + 0.25·81 + 0.2·82 + 0.15·83 + 0.15·84 = 20 + 20.25 + 16.4 + 12.45 + 12.6
    expect(result.ok && result.answer.total).toBeCloseTo(81.7, 10);
  });

  test('form-encoded flat fields score.<criterion>: texts become numbers, the same answer', () => {
    const result = read('expert-review', { answer: 'score', noConflict: 'on', ...flat, comment: '好' });
    expect(result).toEqual({
      ok: true,
      answer: expect.objectContaining({ scores, comment: '好', total: weightedTotal(form, scores) }),
    });
    const half = read('expert-review', {
      answer: 'score',
      noConflict: 'yes',
      ...flat,
      'score.significance': ' 87.5 ',
      comment: '好',
    });
    expect(half.ok && half.answer.scores?.significance).toBe(87.5);
  });

  test.each([true, 'on', 'yes', 'true', ' YES '])('noConflict %p confirms', (noConflict) => {
    expect(read('expert-review', { answer: 'score', noConflict, scores, comment: 'c' }).ok).toBe(true);
  });

  test.each([undefined, false, '', 'no', 'false', 0, 1])('noConflict %p is not a confirmation', (noConflict) => {
    const result = read('expert-review', { answer: 'score', noConflict, scores, comment: 'c' });
    expect(result).toEqual({ ok: false, details: [expect.objectContaining({ path: 'noConflict', code: 'REQUIRED' })] });
    expect(!result.ok && result.details[0].message).toMatch(/applying unit.*named in the application.*avoided/);
  });

  test('a missing criterion is named by its path', () => {
    const { significance: _omit, ...rest } = scores;
    expect(read('expert-review', { answer: 'score', noConflict: true, scores: rest, comment: 'c' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'scores.significance', code: 'REQUIRED' })],
    });
    const { 'score.significance': _gone, ...restFlat } = flat;
    expect(paths(read('expert-review', { answer: 'score', noConflict: 'on', ...restFlat, comment: 'c' }))).toEqual([
      'scores.significance',
    ]);
    // an empty form field is a missing score
    expect(
      paths(
        read('expert-review', { answer: 'score', noConflict: 'on', ...flat, 'score.significance': '', comment: 'c' }),
      ),
    ).toEqual(['scores.significance']);
  });

  test('out of range, not a half point, or not a number: named by the criterion', () => {
    const result = read('expert-review', {
      answer: 'score',
      noConflict: 'on',
      ...flat,
      'score.significance': '101',
      'score.feasibility-and-plan': '-1',
      'score.team-and-partners': '80.3',
      'score.budget-soundness': 'eighty',
      comment: 'c',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.details).toEqual([
      expect.objectContaining({ path: 'scores.significance', code: 'TOO_LARGE' }),
      expect.objectContaining({ path: 'scores.feasibility-and-plan', code: 'TOO_SMALL' }),
      expect.objectContaining({ path: 'scores.team-and-partners', code: 'NOT_HALF_POINT' }),
      expect.objectContaining({ path: 'scores.budget-soundness', code: 'INVALID_TYPE' }),
    ]);
    // JSON scores stay JSON: a string there is not a number
    expect(
      paths(
        read('expert-review', {
          answer: 'score',
          noConflict: true,
          scores: { ...scores, significance: '80' },
          comment: 'c',
        }),
      ),
    ).toEqual(['scores.significance']);
  });

  test('an unknown criterion is refused, also from a form field (and never reaches the prototype)', () => {
    const result = read('expert-review', {
      answer: 'score',
      noConflict: 'on',
      ...flat,
      'score.novelty': '80',
      'score.__proto__': '1',
      comment: 'c',
    });
    expect(paths(result)).toEqual(['scores.novelty', 'scores.__proto__']);
    expect(({} as Record<string, unknown>).significance).toBeUndefined();
  });

  test('the comment is required', () => {
    expect(read('expert-review', { answer: 'score', noConflict: true, scores })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'comment', code: 'REQUIRED' })],
    });
    expect(paths(read('expert-review', { answer: 'score', noConflict: true, scores, comment: '  \n ' }))).toEqual([
      'comment',
    ]);
  });

  test('every bad field of one answer is named, never only the first', () => {
    expect(paths(read('expert-review', { answer: 'score', 'score.significance': 'x' }))).toEqual([
      'noConflict',
      'scores.significance',
      'scores.feasibility-and-plan',
      'scores.team-and-partners',
      'scores.performance-targets',
      'scores.budget-soundness',
      'comment',
    ]);
    expect(paths(read('expert-review', { answer: 'score' }))).toEqual(['noConflict', 'scores', 'comment']);
  });

  test('scores given both ways at once are refused as ambiguous', () => {
    expect(read('expert-review', { answer: 'score', noConflict: true, scores, ...flat, comment: 'c' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'scores', code: 'AMBIGUOUS' })],
    });
  });
});

describe('an expert who cannot review', () => {
  test('a conflict needs a reason (a list, or text one per line)', () => {
    expect(read('expert-review', { answer: 'conflict' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'reasons', code: 'REQUIRED' })],
    });
    expect(read('expert-review', { answer: 'conflict', reasons: ' \n ' }).ok).toBe(false);
    expect(read('expert-review', { answer: 'conflict', reasons: '我是申报单位会员\n曾合作' })).toEqual({
      ok: true,
      answer: expect.objectContaining({ answer: 'conflict', reasons: ['我是申报单位会员', '曾合作'] }),
    });
  });

  test('a conflict or decline needs no scores and no confirmation, and carries none', () => {
    const conflict = read('expert-review', { answer: 'conflict', reasons: ['r'] });
    expect(conflict.ok && conflict.answer).not.toHaveProperty('scores');
    const decline = read('expert-review', { answer: 'decline' });
    expect(decline).toEqual({ ok: true, answer: { answer: 'decline', answeredAt: '' } });
    expect(read('expert-review', { answer: 'decline', reasons: '出差' })).toEqual({
      ok: true,
      answer: expect.objectContaining({ reasons: ['出差'] }),
    });
  });

  test('an answer the expert task does not take', () => {
    expect(paths(read('expert-review', { answer: 'pass' }))).toEqual(['answer']);
  });
});

describe('the department head on the award proposal', () => {
  test('confirm takes nothing more', () => {
    expect(read('award-confirmation', { answer: 'confirm' })).toEqual({
      ok: true,
      answer: { answer: 'confirm', answeredAt: '' },
    });
  });

  test('revise needs reasons', () => {
    expect(read('award-confirmation', { answer: 'revise' })).toEqual({
      ok: false,
      details: [expect.objectContaining({ path: 'reasons', code: 'REQUIRED' })],
    });
    expect(read('award-confirmation', { answer: 'revise', reasons: ['名额调整'] })).toEqual({
      ok: true,
      answer: expect.objectContaining({ answer: 'revise', reasons: ['名额调整'] }),
    });
  });

  test('an expert answer is not an award answer', () => {
    expect(paths(read('award-confirmation', { answer: 'score' }))).toEqual(['answer']);
  });
});
