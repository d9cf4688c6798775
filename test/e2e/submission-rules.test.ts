import { useLocalStack } from '../support/e2e';
import { example } from '../support/fixtures';
import { eventually } from '../support/local';

const { api } = useLocalStack({ resetClockAfterEach: true });
const submit = api.submit.bind(api);

describe('the online deadline (2023-09-25, end of day, Beijing time)', () => {
  test('the last second of 2023-09-25 is accepted; one second later gets 410 DEADLINE_PASSED', async () => {
    const token = await api.unitToken('deadline-unit');
    await api.setClock('2023-09-25T23:59:59+08:00', true);
    expect((await submit(token, example('party-publicity'))).status).toBe(201);
    await api.setClock('2023-09-26T00:00:00+08:00', true);
    const late = await submit(token, example('lecture-hall'));
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('DEADLINE_PASSED');
  });

  test('before the call opens nothing is accepted', async () => {
    await api.setClock('2023-08-17T23:59:59+08:00', true);
    const early = await submit(await api.unitToken('early-unit'), example('party-publicity'));
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('CALL_NOT_OPEN');
  });
});

describe('limits per unit', () => {
  test('a fourth application is refused with 409 UNIT_LIMIT_REACHED', async () => {
    const token = await api.unitToken('limit-unit');
    for (const type of ['party-publicity', 'lecture-hall', 'nanyue-platform'])
      expect((await submit(token, example(type))).status).toBe(201);
    const fourth = await submit(token, example('gba-mutual-recognition'));
    expect(fourth.status).toBe(409);
    expect(fourth.body.error.code).toBe('UNIT_LIMIT_REACHED');
  });

  test('a second Lingnan Science Forum is refused with 409 TYPE_LIMIT_REACHED', async () => {
    const token = await api.unitToken('forum-unit');
    expect((await submit(token, example('lingnan-forum'))).status).toBe(201);
    const second = await submit(token, { ...example('lingnan-forum'), title: '第二个岭南科学论坛' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('TYPE_LIMIT_REACHED');
  });

  test('withdrawing frees the slot; a second withdrawal is 409 ALREADY_DONE', async () => {
    const token = await api.unitToken('withdraw-unit');
    const ids: string[] = [];
    for (const type of ['party-publicity', 'lecture-hall', 'nanyue-platform'])
      ids.push((await submit(token, example(type))).body.applicationId);
    expect((await submit(token, example('secretary-general-salon'))).status).toBe(409);
    const withdrawn = await api.request('POST', `/applications/${ids[0]}/withdraw`, { token });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect((await api.request('POST', `/applications/${ids[0]}/withdraw`, { token })).body.error.code).toBe(
      'ALREADY_DONE',
    );
    expect((await submit(token, example('secretary-general-salon'))).status).toBe(201);
    expect((await submit(token, example('gba-mutual-recognition'))).status).toBe(409);
  });

  test('a withdrawal in the last second of 2023-09-25 is accepted and frees the slot; one second later is 410', async () => {
    const token = await api.unitToken('last-second-withdraw-unit');
    const ids: string[] = [];
    for (const type of ['party-publicity', 'lecture-hall', 'nanyue-platform'])
      ids.push((await submit(token, example(type))).body.applicationId);
    await api.setClock('2023-09-25T23:59:59+08:00', true);
    const withdrawn = await api.request('POST', `/applications/${ids[0]}/withdraw`, { token });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect(withdrawn.body.outcome).toMatchObject({
      result: 'WITHDRAWN',
      at: expect.stringMatching(/^2023-09-25T23:59:59/),
    });
    // The slot it held is free in that same second.
    expect((await submit(token, example('secretary-general-salon'))).status).toBe(201);

    await api.setClock('2023-09-26T00:00:00+08:00', true);
    const late = await api.request('POST', `/applications/${ids[1]}/withdraw`, { token });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('DEADLINE_PASSED');
    expect((await api.request('GET', `/applications/${ids[1]}`, { token })).body.status).not.toBe('WITHDRAWN');
  });

  test('no withdrawal after the deadline', async () => {
    const token = await api.unitToken('late-withdraw-unit');
    const { applicationId } = (await submit(token, example('party-publicity'))).body;
    await api.setClock('2023-09-26T00:00:00+08:00', true);
    const late = await api.request('POST', `/applications/${applicationId}/withdraw`, { token });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('DEADLINE_PASSED');
  });
});

describe('funding and finish date', () => {
  test('type 4 takes 50,000–100,000 CNY and no more or less', async () => {
    const token = await api.unitToken('funding-unit');
    const base = example('public-service-capacity');
    const at = (requestedCny: number) => ({
      ...base,
      budget: { requestedCny, items: [{ name: '项目经费', amountCny: requestedCny }] },
    });
    for (const wrong of [49_999, 100_001]) {
      const answer = await submit(token, at(wrong));
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'budget.requestedCny', code: 'FUNDING_OUT_OF_RANGE' }),
        ]),
      );
    }
    expect((await submit(token, at(100_000))).status).toBe(201);
  });

  test('type 3 must finish by 2024-05-31', async () => {
    const token = await api.unitToken('month-unit');
    const late = await submit(token, { ...example('activity-month'), endDate: '2024-06-01' });
    expect(late.status).toBe(400);
    expect(late.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'endDate', code: 'END_AFTER_FINISH_DATE' })]),
    );
  });
});

describe('standing (notice rule 4)', () => {
  test('a barred unit gets 403 UNIT_BARRED; staff can bar and clear a unit', async () => {
    const staff = await api.staffToken();
    const unitToken = await api.unitToken('standing-unit');
    const bar = await api.request('PUT', '/units/standing-unit/standing', {
      token: staff,
      body: { barred: true, reason: '未提交2023年度项目总结报告' },
    });
    expect(bar.status).toBe(200);
    const refused = await submit(unitToken, example('party-publicity'));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('UNIT_BARRED');
    expect(refused.body.error.message).toContain('未提交2023年度项目总结报告');
    await api.request('PUT', '/units/standing-unit/standing', { token: staff, body: { barred: false } });
    expect((await submit(unitToken, example('party-publicity'))).status).toBe(201);
  });

  test('the seeded barred unit cannot apply', async () => {
    const units = (await import('@seeds/units.json')).default as { unitId: string; standing: { barred: boolean } }[];
    const barred = units.find((unit) => unit.standing.barred)!;
    const answer = await submit(await api.unitToken(barred.unitId), example('party-publicity'));
    expect(answer.status).toBe(403);
  });

  test('only staff set standing, and a bad body names its fields', async () => {
    const unitToken = await api.unitToken('sneaky-unit');
    expect(
      (await api.request('PUT', '/units/sneaky-unit/standing', { token: unitToken, body: { barred: false } })).status,
    ).toBe(403);
    const staff = await api.staffToken();
    const bad = await api.request('PUT', '/units/x-unit/standing', { token: staff, body: { barred: 'yes', extra: 1 } });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['barred', 'extra']));
  });
});

describe('identity', () => {
  test("a unit never sees another unit's application (404), staff do, and each lists only its own", async () => {
    const owner = await api.unitToken('owner-unit');
    const other = await api.unitToken('other-unit');
    const { applicationId } = (await submit(owner, example('party-publicity'))).body;
    expect((await api.request('GET', `/applications/${applicationId}`, { token: owner })).status).toBe(200);
    const probe = await api.request('GET', `/applications/${applicationId}`, { token: other });
    expect(probe.status).toBe(404);
    expect((await api.request('GET', '/applications/does-not-exist', { token: other })).status).toBe(404);
    expect((await api.request('POST', `/applications/${applicationId}/withdraw`, { token: other })).status).toBe(404);
    expect(
      (await api.request('PUT', `/applications/${applicationId}`, { token: other, body: example('party-publicity') }))
        .status,
    ).toBe(404);
    expect((await api.request('GET', `/applications/${applicationId}`, { token: await api.staffToken() })).status).toBe(
      200,
    );
    const mine = await api.request('GET', '/units/me/applications', { token: owner });
    expect(mine.body.applications.map((a: { applicationId: string }) => a.applicationId)).toEqual([applicationId]);
    expect((await api.request('GET', '/units/me/applications', { token: other })).body.applications).toEqual([]);
  });

  test('a forged token is 401', async () => {
    const token = await api.unitToken('owner-unit');
    const [header, , signature] = token.split('.');
    const forgedClaims = Buffer.from(
      JSON.stringify({ sub: 'x', 'custom:unitId': 'owner-unit', exp: 9e9, iat: 0, 'cognito:groups': ['staff'] }),
    ).toString('base64url');
    const answer = await api.request('GET', '/units/me/applications', {
      token: `${header}.${forgedClaims}.${signature}`,
    });
    expect(answer.status).toBe(401);
  });
});

describe('idempotency', () => {
  test('a retried submission returns the first answer and creates nothing new', async () => {
    const token = await api.unitToken('idem-unit');
    const headers = { 'Idempotency-Key': 'idem-unit-forum-1' };
    const first = await submit(token, example('lingnan-forum'), headers);
    expect(first.status).toBe(201);
    const again = await submit(token, example('lingnan-forum'), headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const mine = await api.request('GET', '/units/me/applications', { token });
    expect(mine.body.applications).toHaveLength(1);
    const reused = await submit(token, { ...example('lingnan-forum'), title: '另一个项目' }, headers);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  test('ten concurrent copies of one request store one application', async () => {
    const token = await api.unitToken('idem-race-unit');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => submit(token, example('lecture-hall'), { 'Idempotency-Key': 'race-1' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.applicationId)).size).toBe(1);
    expect((await api.request('GET', '/units/me/applications', { token })).body.applications).toHaveLength(1);
  });
});

describe('concurrency', () => {
  test('50 simultaneous submissions from one unit: exactly 3 stored, 47 refused with 409', async () => {
    const token = await api.unitToken('race-unit');
    const types = [
      'party-publicity',
      'lecture-hall',
      'nanyue-platform',
      'gba-mutual-recognition',
      'secretary-general-salon',
    ];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        submit(token, { ...example(types[i % types.length]), title: `并发申报 ${i}` }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(47);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === 'UNIT_LIMIT_REACHED')).toBe(true);
    const mine = await eventually(async () => {
      const list = (await api.request('GET', '/units/me/applications', { token })).body.applications;
      return list.length === 3 ? list : undefined;
    });
    expect(mine).toHaveLength(3);
  });
});
