import { APPLICATION_STATUSES, type ApplicationStatus } from '@shared/domain/application-record';
import { decodeCursor, encodeCursor, listingFingerprint } from '@shared/domain/application-listing/cursor';
import {
  pageInMemory,
  readMergedPage,
  type MergePosition,
  type ShardPage,
} from '@shared/domain/application-listing/merge';
import { parseListingQuery } from '@shared/domain/application-listing/query';
import { DomainError } from '@shared/domain/errors';
import { STAGE_GROUPS, stageGroupOf, statusesOfStage } from '@shared/domain/status-stages';

/** The status index of one call, in memory, read as DynamoDB reads it: Limit counts the entries evaluated, the filter drops some. */
const CALL = 'gdast-2024';
const SHARDS = 16;

interface Row {
  key: string;
  status: ApplicationStatus;
  title: string;
}

function makeIndex(count: number, statuses: readonly ApplicationStatus[], seed = 7) {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const rows: (Row & { shard: number })[] = [];
  for (let i = 0; i < count; i++) {
    // Some share an instant: the id orders them.
    const at = new Date(Date.UTC(2023, 8, 1) + Math.floor(random() * 40) * 60_000).toISOString();
    const id = `app-${String(i).padStart(4, '0')}`;
    rows.push({
      key: `${CALL}#${at}#${id}`,
      status: statuses[Math.floor(random() * statuses.length)],
      title: i % 97 === 0 ? `rare ${i}` : `title ${i}`,
      shard: Math.floor(random() * SHARDS),
    });
  }
  return rows;
}

function readerOf(rows: (Row & { shard: number })[], newestFirst: boolean, match: (row: Row) => boolean = () => true) {
  const calls: number[] = [];
  const read = async (status: ApplicationStatus, shard: number, after: string | undefined, limit: number) => {
    calls.push(shard);
    const entries = rows
      .filter((r) => r.status === status && r.shard === shard)
      .sort((a, b) => (newestFirst ? b.key.localeCompare(a.key) : a.key.localeCompare(b.key)))
      .filter((r) => after === undefined || (newestFirst ? r.key < after : r.key > after));
    const evaluated = entries.slice(0, limit);
    const page: ShardPage<Row> = { rows: evaluated.filter(match), evaluated: evaluated.length };
    if (entries.length > limit) page.next = evaluated[evaluated.length - 1].key;
    return page;
  };
  return { read, calls };
}

/** Every page to the end, the cursor passed through its text form as the API does. */
async function pageThrough(
  rows: (Row & { shard: number })[],
  options: {
    limit: number;
    newestFirst: boolean;
    statuses: readonly ApplicationStatus[];
    match?: (row: Row) => boolean;
    maxRounds?: number;
  },
) {
  const { read, calls } = readerOf(rows, options.newestFirst, options.match);
  const fingerprint = listingFingerprint(['test']);
  const seen: Row[] = [];
  let from: MergePosition | undefined;
  let pages = 0;
  let mostReads = 0;
  let emptyPages = 0;
  do {
    const before = calls.length;
    const page = await readMergedPage<Row>({ ...options, shardCount: SHARDS, read, ...(from ? { from } : {}) });
    mostReads = Math.max(mostReads, calls.length - before);
    expect(page.rows.length).toBeLessThanOrEqual(options.limit);
    seen.push(...page.rows);
    pages++;
    if (page.rows.length === 0) emptyPages++;
    from = undefined;
    if (page.next) {
      const text = encodeCursor({ mode: 'status', position: page.next }, CALL, fingerprint);
      const decoded = decodeCursor(text, {
        callId: CALL,
        fingerprint,
        unitMode: false,
        statuses: options.statuses,
        shardCount: SHARDS,
      });
      if ('invalid' in decoded || decoded.mode !== 'status') throw new Error('cursor did not round-trip');
      from = decoded.position;
    }
    if (pages > 2000) throw new Error('paging does not end');
  } while (from);
  return { seen, pages, mostReads, emptyPages };
}

const expected = (
  rows: Row[],
  statuses: readonly ApplicationStatus[],
  newestFirst: boolean,
  match = (_: Row) => true,
) =>
  statuses.flatMap((status) =>
    rows
      .filter((r) => r.status === status && match(r))
      .map((r) => r.key)
      .sort((a, b) => (newestFirst ? b.localeCompare(a) : a.localeCompare(b))),
  );

describe('the k-way merge over the status shards', () => {
  const rows = makeIndex(400, ['FORMAL_CHECK_PASSED', 'SCORED', 'WITHDRAWN']);

  test.each([
    [1, true],
    [7, true],
    [7, false],
    [25, false],
    [100, true],
  ])('pages of %i (newest first: %s) give every row once, in order, status by status', async (limit, newestFirst) => {
    const { seen } = await pageThrough(rows, { limit, newestFirst, statuses: APPLICATION_STATUSES });
    expect(seen.map((r) => r.key)).toEqual(expected(rows, APPLICATION_STATUSES, newestFirst));
  });

  test('a page larger than any shard reads across the shards’ DynamoDB pages (LastEvaluatedKey) and still merges in order', async () => {
    const one = makeIndex(60, ['SUBMITTED']);
    const { seen, pages } = await pageThrough(one, { limit: 100, newestFirst: true, statuses: ['SUBMITTED'] });
    expect(pages).toBe(1);
    expect(seen.map((r) => r.key)).toEqual(expected(one, ['SUBMITTED'], true));
  });

  test('a rare filter: short or empty pages with a cursor, each request bounded, and in the end exactly the matches', async () => {
    const match = (r: Row) => r.title.startsWith('rare');
    const statuses = statusesOfStage('final');
    const { seen, mostReads } = await pageThrough(rows, { limit: 5, newestFirst: true, statuses, match });
    expect(seen.map((r) => r.key)).toEqual(expected(rows, statuses, true, match));
    expect(mostReads).toBeLessThanOrEqual((8 + statuses.length) * SHARDS);
  });

  test('with one round of reads a request, empty pages still move on, and nothing is lost or repeated', async () => {
    const match = (r: Row) => r.title.startsWith('rare');
    const { seen, emptyPages, mostReads } = await pageThrough(rows, {
      limit: 2,
      newestFirst: false,
      statuses: APPLICATION_STATUSES,
      match,
      maxRounds: 1,
    });
    expect(seen.map((r) => r.key)).toEqual(expected(rows, APPLICATION_STATUSES, false, match));
    expect(emptyPages).toBeGreaterThan(0);
    // One round that finds something, and one probe of each status the call has nothing in.
    expect(mostReads).toBeLessThanOrEqual((1 + APPLICATION_STATUSES.length) * SHARDS);
  });

  test.each(Array.from({ length: 24 }, (_, i) => i + 1))(
    'seed %i: any page size, budget and filter gives exactly the matches in order',
    async (seed) => {
      const index = makeIndex(150 + seed * 7, ['SUBMITTED', 'SCORED', 'AWARDED', 'WITHDRAWN'], seed);
      const match =
        seed % 3 === 0
          ? (r: Row) => r.title.endsWith('3')
          : seed % 3 === 1
            ? undefined
            : (r: Row) => r.title.startsWith('rare');
      const newestFirst = seed % 2 === 0;
      const { seen } = await pageThrough(index, {
        limit: 1 + (seed % 11),
        newestFirst,
        statuses: APPLICATION_STATUSES,
        ...(match ? { match } : {}),
        maxRounds: 1 + (seed % 3),
      });
      expect(seen.map((r) => r.key)).toEqual(expected(index, APPLICATION_STATUSES, newestFirst, match));
    },
  );

  test('statuses the call has nothing in cost no part of the budget: a full page from the last status', async () => {
    const last = makeIndex(50, ['WITHDRAWN']);
    const { seen, pages } = await pageThrough(last, { limit: 100, newestFirst: true, statuses: APPLICATION_STATUSES });
    expect(pages).toBe(1);
    expect(seen.map((r) => r.key)).toEqual(expected(last, ['WITHDRAWN'], true));
  });

  test('only the statuses asked for, in their order', async () => {
    const statuses: ApplicationStatus[] = ['WITHDRAWN', 'FORMAL_CHECK_PASSED'];
    const { seen } = await pageThrough(rows, { limit: 9, newestFirst: false, statuses });
    expect(seen.map((r) => r.key)).toEqual(expected(rows, statuses, false));
  });

  test('a unit’s rows paged in memory in the same order, with an offset', () => {
    const few = makeIndex(9, ['SUBMITTED', 'WITHDRAWN']);
    const first = pageInMemory(few, APPLICATION_STATUSES, true, { offset: 0, limit: 4 });
    const second = pageInMemory(few, APPLICATION_STATUSES, true, { offset: first.nextOffset ?? 0, limit: 4 });
    const third = pageInMemory(few, APPLICATION_STATUSES, true, { offset: second.nextOffset ?? 0, limit: 4 });
    expect([first.nextOffset, second.nextOffset, third.nextOffset]).toEqual([4, 8, undefined]);
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.key)).toEqual(
      expected(few, APPLICATION_STATUSES, true),
    );
  });
});

describe('the cursor', () => {
  const context = {
    callId: CALL,
    fingerprint: 'abc',
    unitMode: false,
    statuses: APPLICATION_STATUSES,
    shardCount: SHARDS,
  };
  const position: MergePosition = {
    status: 'SCORED',
    shards: Array.from({ length: SHARDS }, (_, i) =>
      i === 3 ? { done: true as const } : i === 5 ? { after: `${CALL}#2023-09-01T10:00:00.000+08:00#app-1` } : {},
    ),
  };
  const good = encodeCursor({ mode: 'status', position }, CALL, 'abc');
  const wire = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  test('round-trips a position', () => {
    expect(decodeCursor(good, context)).toEqual({ mode: 'status', position });
  });

  test.each([
    ['garbled text', 'not a cursor!'],
    ['base64 of no JSON', Buffer.from('{oops').toString('base64url')],
    ['another filter’s cursor', encodeCursor({ mode: 'status', position }, CALL, 'xyz')],
    ['a unit listing’s cursor', encodeCursor({ mode: 'unit', offset: 3 }, CALL, 'abc')],
    ['an unknown status', wire({ v: 1, f: 'abc', s: 'PENDING', a: {}, d: [] })],
    ['a shard out of range', wire({ v: 1, f: 'abc', s: 'SCORED', a: { 16: '2023-09-01T10:00:00+08:00#x' }, d: [] })],
    ['a key of another shape', wire({ v: 1, f: 'abc', s: 'SCORED', a: { 2: 'x#y#z' }, d: [] })],
    [
      'a shard both done and after a key',
      wire({ v: 1, f: 'abc', s: 'SCORED', a: { 2: '2023-09-01T10:00:00+08:00#x' }, d: [2] }),
    ],
    ['an extra field', wire({ v: 1, f: 'abc', s: 'SCORED', a: {}, d: [], x: 1 })],
  ])('refuses %s', (_, text) => {
    expect(decodeCursor(text, context)).toEqual({ invalid: expect.any(String) });
  });

  test('a status outside the listing’s statuses is refused', () => {
    expect(decodeCursor(good, { ...context, statuses: statusesOfStage('formal') })).toEqual({
      invalid: expect.any(String),
    });
  });
});

describe('the listing’s parameters', () => {
  const types = ['lingnan-forum', 'lecture-hall'];
  const parse = (query: Record<string, string>) => parseListingQuery(CALL, query, types, SHARDS);
  const detailsOf = (query: Record<string, string>) => {
    try {
      parse(query);
    } catch (error) {
      return (error as DomainError).details.map((d) => d.path).sort();
    }
    return [];
  };

  test('defaults: every status, newest first, 25 a page', () => {
    expect(parse({})).toMatchObject({ statuses: APPLICATION_STATUSES, newestFirst: true, limit: 25 });
    expect(parse({ stage: 'review', order: 'oldest', limit: '100', q: ' 论坛 ' })).toMatchObject({
      statuses: statusesOfStage('review'),
      newestFirst: false,
      limit: 100,
      q: '论坛',
    });
  });

  test('every bad parameter is named at once', () => {
    expect(detailsOf({ limit: '0', status: 'NOPE', typeId: 'no-such-type', cursor: '%%%' })).toEqual([
      'query.cursor',
      'query.limit',
      'query.status',
      'query.typeId',
    ]);
    expect(detailsOf({ status: 'SCORED', stage: 'review' })).toEqual(['query.stage', 'query.status']);
    expect(detailsOf({ limit: '101' })).toEqual(['query.limit']);
    expect(detailsOf({ limit: '2.5' })).toEqual(['query.limit']);
    expect(detailsOf({ stage: 'later' })).toEqual(['query.stage']);
    expect(detailsOf({ order: 'random' })).toEqual(['query.order']);
    expect(detailsOf({ cursor: 'abc' })).toEqual(['query.cursor']);
  });

  test('a cursor is used only with the filters it was made for', () => {
    const listing = parse({ status: 'SCORED' });
    const cursor = encodeCursor(
      { mode: 'status', position: { status: 'SCORED', shards: [] } },
      CALL,
      listing.fingerprint,
    );
    expect(parse({ status: 'SCORED', cursor }).cursor).toMatchObject({ mode: 'status' });
    expect(detailsOf({ status: 'SCORED', order: 'oldest', cursor })).toEqual(['query.cursor']);
    expect(detailsOf({ status: 'SCORED', unitId: 'gd-physics-society', cursor })).toEqual(['query.cursor']);
  });
});

describe('the stage groups', () => {
  test('every status is in exactly one group, and each group is named in both languages', () => {
    for (const status of APPLICATION_STATUSES)
      expect(STAGE_GROUPS.filter((group) => group.statuses.includes(status))).toHaveLength(1);
    expect(STAGE_GROUPS.flatMap((group) => group.statuses)).toHaveLength(APPLICATION_STATUSES.length);
    for (const group of STAGE_GROUPS) {
      expect(group.name.zh).not.toBe('');
      expect(group.name.en).not.toBe('');
    }
    expect(stageGroupOf('SHORT_OF_SCORES').id).toBe('review');
    expect(statusesOfStage('formal')).toEqual(['SUBMITTED', 'RETURNED_FOR_CORRECTION']);
    expect(statusesOfStage('staff')).toEqual(['FORMAL_CHECK_PASSED', 'FORMAL_REVIEW_PASSED']);
    expect(statusesOfStage('final')).toEqual(['AWARDED', 'NOT_AWARDED', 'REJECTED', 'WITHDRAWN']);
  });
});
