import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '@infra/local/local-stack';
import { Api, example, startTestStack } from '../support/local';

let stack: LocalStack;
let api: Api;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = new Api(stack.urls.api);
  dynamo = new DynamoDBClient({ endpoint: stack.urls.dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
}, 120_000);
afterAll(async () => {
  dynamo?.destroy();
  await stack?.stop();
});

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
  if (value && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([key, item]) => paths(item, [...prefix, key]))];
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

const OVERLONG_STRINGS = ['💥'.repeat(60_000), 'x'.repeat(1_100_000), `<script>${'\u202e反转'.repeat(30_000)}</script>`];
const REQUIRED_ROOTS = ['projectTypeId', 'title', 'lead', 'contact', 'startDate', 'endDate', 'summary', 'implementationPlan', 'budget', 'performanceTargets', 'discipline'];
const OPTIONAL_KEYS = ['matchingFundsCny'];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', '$where', 'PK', 'unitId', 'status', '\u0000', '💥'];

/** Builds body text that is invalid by construction: every mutation breaks a rule of the form. */
function hostileBody(random: () => number, base: Json, i: number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const all = paths(base).filter((p) => p.length > 0);
  switch (i % 8) {
    case 0: { // a required field removed
      const required = all.filter(
        (p) => p.length <= 2 && typeof p.at(-1) === 'string' && REQUIRED_ROOTS.includes(String(p[0])) && !OPTIONAL_KEYS.includes(String(p.at(-1))),
      );
      return JSON.stringify(setAt(base, pick(required), () => undefined));
    }
    case 1: // a field of the wrong type
      // `target` takes a number or a string, so swapping one for the other would still be valid.
      return JSON.stringify(setAt(base, pick(all.filter((p) => p.at(-1) !== 'target')), (old) => (typeof old === 'string' ? pick([12, true, null, [], {}]) : typeof old === 'number' ? pick(['12', true, null, [], { n: 1 }, -1.5]) : pick(['x', 7, null]))));
    case 2: { // an over-long or broken string where a string goes
      const stringPaths = all.filter((p) => {
        let node: Json = base;
        for (const key of p) node = (node as Record<string | number, Json>)[key];
        return typeof node === 'string';
      });
      // Longer than any text field of the form allows.
      return JSON.stringify(setAt(base, pick(stringPaths), () => pick(OVERLONG_STRINGS)));
    }
    case 3: { // an unknown key, including prototype-pollution keys, at any object level
      const objectPaths = [[] as (string | number)[], ...all.filter((p) => {
        let node: Json = base;
        for (const key of p) node = (node as Record<string | number, Json>)[key];
        return node !== null && typeof node === 'object' && !Array.isArray(node);
      })];
      const target = pick(objectPaths);
      const key = pick(HOSTILE_KEYS);
      const marker = '"__HOSTILE__":1';
      const text = JSON.stringify(setAt(base, target, (old) => ({ ...(old as object), __HOSTILE__: 1 })));
      return text.replace(marker, `${JSON.stringify(key)}:${pick(['{"polluted":true}', '1', '"x"', 'null'])}`);
    }
    case 4: // not an object at all
      return pick(['null', '[]', '"application"', '42', 'true', '[{"projectTypeId":"lingnan-forum"}]', '{}', '{"a":'.repeat(3), '\u0000', '{"projectTypeId":"lingnan-forum"}']);
    case 5: // deep nesting
      return `${'{"details":'.repeat(2000)}1${'}'.repeat(2000)}`;
    case 6: // numbers outside what the form allows
      return JSON.stringify(setAt(base, ['budget', 'requestedCny'], () => pick([-1, 0, 1.5, 1e308, -1e308, 9007199254740993])));
    default: // a project type that does not exist, in many spellings
      return JSON.stringify({ ...(base as object), projectTypeId: pick(['LINGNAN-FORUM', 'lingnan_forum', '1', '', '__proto__', 'constructor', 'lingnan-forum\u0000', '岭南科学论坛']) });
  }
}

test('1,000 malformed or hostile bodies get only 4xx, never 5xx, and change nothing', async () => {
  const scan = async () => (await dynamo.send(new ScanCommand({ TableName: 'funding-call', ConsistentRead: true }))).Items ?? [];
  const before = await scan();
  const token = await api.unitToken('hostile-unit');
  const random = prng(20230925);
  const bases = ['lingnan-forum', 'activity-month', 'public-service-capacity', 'lecture-hall'].map((type) => example(type) as Json);
  const outcomes = new Map<string, number>();
  const unexpected: string[] = [];
  const total = 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < total) {
        const i = next++;
        const raw = hostileBody(random, bases[i % bases.length], i);
        const route = i % 5 === 4 ? '/applications/hostile-id' : '/calls/gdast-2024/applications';
        const answer = await api.request(i % 5 === 4 ? 'PUT' : 'POST', route, { token, raw });
        const key = `${i % 5 === 4 ? 'PUT' : 'POST'} ${answer.status}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (answer.status < 400 || answer.status >= 500) unexpected.push(`#${i} → ${answer.status}: ${raw.slice(0, 200)}`);
      }
    }),
  );
  expect(unexpected).toEqual([]);
  expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(total);
  // Refused for what they are (invalid), not for some other reason such as a bad token.
  // (A PUT whose JSON does not parse is refused before the application is looked up.)
  expect([...outcomes.keys()].filter((key) => !['POST 400', 'PUT 400', 'PUT 404'].includes(key))).toEqual([]);
  expect(outcomes.get('POST 400')).toBeGreaterThan(700);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(await scan()).toEqual(before);
}, 300_000);
