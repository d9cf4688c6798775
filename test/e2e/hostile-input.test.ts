import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { useLocalStack } from '../support/e2e';
import { example, shortForum } from '../support/fixtures';

const stack = useLocalStack();
const { api } = stack;

/** A small seeded PRNG (mulberry32), so a failure can be replayed from its index. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every leaf path of a JSON value, as key lists. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (value && typeof value === 'object')
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
  return [prefix];
}

function setAt(root: Json, path: (string | number)[], make: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return make(root) ?? null;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path.at(-1)!;
  const next = make(node[last]);
  if (next === undefined) {
    if (Array.isArray(node)) (node as Json[]).splice(Number(last), 1, null);
    else delete node[last];
  } else node[last] = next;
  return copy;
}

const OVERLONG_STRINGS = [
  '💥'.repeat(60_000),
  'x'.repeat(1_100_000),
  `<script>${'\u202e反转'.repeat(30_000)}</script>`,
];
const REQUIRED_ROOTS = [
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
];
const OPTIONAL_KEYS = ['matchingFundsCny'];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', '$where', 'PK', 'unitId', 'status', '\u0000', '💥'];

/** Builds body text that is invalid by construction: every mutation breaks a rule of the form. */
function hostileBody(random: () => number, base: Json, i: number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const all = paths(base).filter((p) => p.length > 0);
  switch (i % 8) {
    case 0: {
      // a required field removed
      const required = all.filter(
        (p) =>
          p.length <= 2 &&
          typeof p.at(-1) === 'string' &&
          REQUIRED_ROOTS.includes(String(p[0])) &&
          !OPTIONAL_KEYS.includes(String(p.at(-1))),
      );
      return JSON.stringify(setAt(base, pick(required), () => undefined));
    }
    case 1: // a field of the wrong type
      // `target` takes a number or a string, so swapping one for the other would still be valid.
      return JSON.stringify(
        setAt(base, pick(all.filter((p) => p.at(-1) !== 'target')), (old) =>
          typeof old === 'string'
            ? pick([12, true, null, [], {}])
            : typeof old === 'number'
              ? pick(['12', true, null, [], { n: 1 }, -1.5])
              : pick(['x', 7, null]),
        ),
      );
    case 2: {
      // an over-long or broken string where a string goes
      const stringPaths = all.filter((p) => {
        let node: Json = base;
        for (const key of p) node = (node as Record<string | number, Json>)[key];
        return typeof node === 'string';
      });
      // Longer than any text field of the form allows.
      return JSON.stringify(setAt(base, pick(stringPaths), () => pick(OVERLONG_STRINGS)));
    }
    case 3: {
      // an unknown key, including prototype-pollution keys, at any object level
      const objectPaths = [
        [] as (string | number)[],
        ...all.filter((p) => {
          let node: Json = base;
          for (const key of p) node = (node as Record<string | number, Json>)[key];
          return node !== null && typeof node === 'object' && !Array.isArray(node);
        }),
      ];
      const target = pick(objectPaths);
      const key = pick(HOSTILE_KEYS);
      const marker = '"__HOSTILE__":1';
      const text = JSON.stringify(setAt(base, target, (old) => ({ ...(old as object), __HOSTILE__: 1 })));
      return text.replace(marker, `${JSON.stringify(key)}:${pick(['{"polluted":true}', '1', '"x"', 'null'])}`);
    }
    case 4: // not an object at all
      return pick([
        'null',
        '[]',
        '"application"',
        '42',
        'true',
        '[{"projectTypeId":"lingnan-forum"}]',
        '{}',
        '{"a":'.repeat(3),
        '\u0000',
        '{"projectTypeId":"lingnan-forum"}',
      ]);
    case 5: // deep nesting
      return `${'{"details":'.repeat(2000)}1${'}'.repeat(2000)}`;
    case 6: // numbers outside what the form allows
      return JSON.stringify(
        // eslint-disable-next-line no-loss-of-precision -- a number past 2^53 is the hostile input itself
        setAt(base, ['budget', 'requestedCny'], () => pick([-1, 0, 1.5, 1e308, -1e308, 9007199254740993])),
      );
    default: // a project type that does not exist, in many spellings
      return JSON.stringify({
        ...(base as object),
        projectTypeId: pick([
          'LINGNAN-FORUM',
          'lingnan_forum',
          '1',
          '',
          '__proto__',
          'constructor',
          'lingnan-forum\u0000',
          '岭南科学论坛',
        ]),
      });
  }
}

const scan = async () =>
  (await stack.dynamo.send(new ScanCommand({ TableName: 'funding-call', ConsistentRead: true }))).Items ?? [];

/** The table once the workflow has stopped writing: the same content on three reads 300 ms apart. */
async function settledScan() {
  let previous = await scan();
  let same = 0;
  for (let i = 0; i < 100 && same < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const current = await scan();
    same = JSON.stringify(current) === JSON.stringify(previous) ? same + 1 : 0;
    previous = current;
  }
  if (same < 2) throw new Error('the table never settled');
  return previous;
}

/** A real application of `token`'s unit, returned for correction and parked on its amendment task. */
async function returnedApplication(token: string): Promise<string> {
  const submitted = await api.submit(token, shortForum());
  expect(submitted.status).toBe(201);
  const id = submitted.body.applicationId as string;
  await api.waitForStatus(token, id, 'RETURNED_FOR_CORRECTION');
  await stack.email((e) => e.subject.includes('退回修改') && e.body.text?.includes(id));
  return id;
}

/** Repeats a CJK character: 3 bytes of UTF-8 each, so every text at its limit weighs the most. */
const cjk = (n: number, seed = '字') => seed.repeat(n);

/**
 * A Lingnan forum in which every field keeps within its own limit (texts at their maximum length,
 * lists at their maximum count), so that only the size of the whole form is wrong.
 */
function oversizedForum(): Record<string, any> {
  const body = example('lingnan-forum');
  body.title = cjk(200, '题');
  body.summary = cjk(5000, '摘');
  body.implementationPlan = cjk(20_000, '计');
  body.budget = {
    requestedCny: 100_000,
    items: Array.from({ length: 50 }, (_, i) => ({ name: `${i}${cjk(197, '费')}`, amountCny: 2000 })),
  };
  const indicators = (label: string) =>
    Array.from({ length: 30 }, (_, i) => ({
      name: `${i}${cjk(197, label)}`,
      target: cjk(100, '标'),
      unit: cjk(30, '单'),
    }));
  body.performanceTargets = {
    output: {
      quantity: indicators('数'),
      quality: indicators('质'),
      timeliness: indicators('时'),
      cost: indicators('本'),
    },
    effect: indicators('效'),
    satisfaction: indicators('满'),
  };
  body.coOrganisers = Array.from({ length: 20 }, (_, i) => ({ name: `${i}${cjk(197, '协')}`, kind: 'other' }));
  body.details.speakers = Array.from({ length: 50 }, (_, i) => ({
    name: `${i}${cjk(97, '名')}`,
    title: cjk(100, '职'),
    affiliation: cjk(200, '院'),
    subField: cjk(100, '域'),
  }));
  return body;
}

/** Bodies nested 10,000 deep: a parser or validator that recurses on them blows its stack (a 5xx). */
function deepBodies(): string[] {
  const depth = 10_000;
  const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const forum = JSON.stringify(example('lingnan-forum'));
  const withDetails = (value: string) => forum.replace(/"details":\{.*\}\}$/, `"details":${value}}`);
  const bodies = [
    `{"details":${deepArray}}`,
    `{"details":${deepObject}}`,
    withDetails(deepArray),
    withDetails(deepObject),
    forum.replace(/^\{/, `{"extra":${deepArray},`),
    forum.replace('"speakers":[', `"speakers":[${deepArray},`),
  ];
  for (const body of bodies.slice(2)) expect(body.length).toBeGreaterThan(2 * depth); // the replacement took
  return bodies;
}

test('1,000 malformed or hostile bodies get only 4xx, never 5xx, and change nothing', async () => {
  const token = await api.unitToken('hostile-unit');
  // The PUTs amend a real application that is open to amendment, so they reach the form's validation.
  const target = await returnedApplication(token);
  const before = await settledScan();
  const random = prng(20230925);
  const bases = ['lingnan-forum', 'activity-month', 'public-service-capacity', 'lecture-hall'].map(
    (type) => example(type) as Json,
  );
  const extra = [...deepBodies(), JSON.stringify(oversizedForum())];
  const outcomes = new Map<string, number>();
  const unexpected: string[] = [];
  const total = 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total + 2 * extra.length) {
        const i = next++;
        // The fixed extras go once as a submission and once as an amendment, after the random ones.
        const raw = i < total ? hostileBody(random, bases[i % bases.length], i) : extra[(i - total) % extra.length];
        const put = i < total ? i % 5 === 4 : i - total >= extra.length;
        const answer = put
          ? await api.request('PUT', `/applications/${target}`, { token, raw })
          : await api.request('POST', '/calls/gdast-2024/applications', { token, raw });
        const key = `${put ? 'PUT' : 'POST'} ${answer.status} ${answer.body?.error?.code}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (answer.status < 400 || answer.status >= 500)
          unexpected.push(`#${i} → ${answer.status}: ${raw.slice(0, 200)}`);
      }
    }),
  );
  expect(unexpected).toEqual([]);
  expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(total + 2 * extra.length);
  // Refused for what they are (invalid or too large), not for some other reason such as a bad
  // token or an application that cannot be found.
  const allowed = ['400 VALIDATION_FAILED', '400 MALFORMED_JSON', '413 PAYLOAD_TOO_LARGE'].flatMap((answer) => [
    `POST ${answer}`,
    `PUT ${answer}`,
  ]);
  expect([...outcomes.keys()].filter((key) => !allowed.includes(key))).toEqual([]);
  expect(outcomes.get('POST 400 VALIDATION_FAILED')).toBeGreaterThan(700);
  expect(outcomes.get('PUT 400 VALIDATION_FAILED')).toBeGreaterThan(150);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(await scan()).toEqual(before);

  // Still amendable: the refusals were about the bodies, not the application.
  const read = await api.request('GET', `/applications/${target}`, { token });
  expect(read.body).toMatchObject({ status: 'RETURNED_FOR_CORRECTION', version: 1 });
  expect((await api.request('PUT', `/applications/${target}`, { token, body: example('lingnan-forum') })).status).toBe(
    200,
  );
}, 300_000);

test('bodies nested 10,000 deep are refused with 400, as submissions and as amendments', async () => {
  const token = await api.unitToken('hostile-deep-unit');
  const target = await returnedApplication(token);
  for (const raw of deepBodies()) {
    for (const [method, route] of [
      ['POST', '/calls/gdast-2024/applications'],
      ['PUT', `/applications/${target}`],
    ] as const) {
      const answer = await api.request(method, route, { token, raw });
      expect({ method, head: raw.slice(0, 40), status: answer.status, code: answer.body?.error?.code }).toEqual({
        method,
        head: raw.slice(0, 40),
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  }
  const read = await api.request('GET', `/applications/${target}`, { token });
  expect(read.body).toMatchObject({ status: 'RETURNED_FOR_CORRECTION', version: 1 });
  expect((await api.request('GET', '/units/me/applications', { token })).body.applications).toHaveLength(1);
});

test('a form within every field limit but over 250 KB as a whole is refused 400 TOO_LARGE, and nothing is stored', async () => {
  const token = await api.unitToken('hostile-large-unit');
  const target = await returnedApplication(token);
  const body = oversizedForum();
  expect(Buffer.byteLength(JSON.stringify(body), 'utf8')).toBeGreaterThan(250_000);

  const tooLarge = [{ path: '', code: 'TOO_LARGE', message: expect.any(String) }];
  const submitted = await api.request('POST', '/calls/gdast-2024/applications', { token, body });
  expect(submitted.status).toBe(400);
  expect(submitted.body.error.code).toBe('VALIDATION_FAILED');
  // The size is the only thing wrong with it: no field is reported.
  expect(submitted.body.error.details).toEqual(tooLarge);

  const amended = await api.request('PUT', `/applications/${target}`, { token, body });
  expect(amended.status).toBe(400);
  expect(amended.body.error.details).toEqual(tooLarge);

  const mine = await api.request('GET', '/units/me/applications', { token });
  expect(mine.body.applications.map((app: { applicationId: string }) => app.applicationId)).toEqual([target]);
  const read = await api.request('GET', `/applications/${target}`, { token });
  expect(read.body).toMatchObject({ status: 'RETURNED_FOR_CORRECTION', version: 1 });
  expect(read.body.form).toEqual(shortForum());
});

test('overlong ids in paths and queries are 404, never 5xx', async () => {
  const token = await api.unitToken('hostile-ids-unit');
  const longId = 'a'.repeat(3000);
  const answers = {
    get: await api.request('GET', `/applications/${longId}`, { token }),
    getAsStaff: await api.request('GET', `/applications/${longId}`, { token: await api.staffToken() }),
    put: await api.request('PUT', `/applications/${longId}`, { token, body: example('lingnan-forum') }),
    withdraw: await api.request('POST', `/applications/${longId}/withdraw`, { token }),
    listByCall: await api.request('GET', `/units/me/applications?callId=${'b'.repeat(2000)}`, { token }),
    call: await api.request('GET', `/calls/${'c'.repeat(3000)}`),
    submitToCall: await api.request('POST', `/calls/${'c'.repeat(3000)}/applications`, {
      token,
      body: example('lingnan-forum'),
    }),
  };
  const seen = Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => [name, `${answer.status} ${answer.body?.error?.code}`]),
  );
  expect(seen).toEqual(Object.fromEntries(Object.keys(answers).map((name) => [name, '404 NOT_FOUND'])));
});
