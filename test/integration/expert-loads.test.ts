import { AsyncLocalStorage } from 'node:async_hooks';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '@shared/adapters/aws-clients';
import {
  EXPERT_LOAD_SHARDS,
  expertLoadKey,
  expertLoadPartition,
  expertLoadShard,
  GSI1,
  unshardedExpertLoadPartition,
} from '@shared/adapters/dynamodb/keys';
import { putExpert } from '@shared/adapters/dynamodb/expert-items';
import {
  addExpertLoad,
  expertLoadsBetween,
  givePlaceToTask,
  listExpertLoads,
  releaseTaskLoadOnce,
} from '@shared/adapters/dynamodb/review-items';
import { cancelOpenTask, createTask, getTask } from '@shared/adapters/dynamodb/task-items';
import { getApplication } from '@shared/adapters/dynamodb/application-items';
import { assignPanel } from '@shared/use-cases/expert-review';
import { useLocalTable } from '../support/local-table';

/**
 * Each expert's load in a call against DynamoDB Local: the counters are indexed over 16 shard
 * partitions (a national round's 1.5 million places would otherwise all write one index partition),
 * read back whole and a page of the pool at a time, the cap still held; and two runs of one round
 * batch side by side count every place on the panel once, also when the cap refused one of them.
 */
jest.mock('@shared/adapters/link-key', () => ({ linkKey: async () => Buffer.from('k'.repeat(48), 'utf8') }));

const table = useLocalTable();
/** A call of the seeds (the round's panels read it); the index's own tests use a call id of their own. */
const CALL = 'gdast-2024';

const loadItem = async (callId: string, expertId: string) =>
  (await table.doc.send(new GetCommand({ TableName: table.name, Key: expertLoadKey(expertId, callId) }))).Item;

const partitionIds = async (partition: string) => {
  const result = await table.doc.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: GSI1,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    }),
  );
  return (result.Items ?? []).map((item) => String(item.expertId));
};

describe('the expert-load index, sharded', () => {
  const CALL_A = 'load-test-call';
  const experts = Array.from({ length: 40 }, (_, i) => `load-exp-${String(i + 1).padStart(3, '0')}`);
  const placesOf = (i: number) => (i % 4) + 1;

  beforeAll(async () => {
    for (const [i, expertId] of experts.entries())
      for (let p = 0; p < placesOf(i); p++) expect(await addExpertLoad(expertId, CALL_A, 1, 10)).toBe(true);
  });

  test('loads of 40 experts land in several shard partitions, none in the unsharded one', async () => {
    const shards = new Map<number, string[]>();
    for (let shard = 0; shard < EXPERT_LOAD_SHARDS; shard++)
      shards.set(shard, await partitionIds(expertLoadPartition(CALL_A, shard)));
    const used = [...shards.values()].filter((ids) => ids.length > 0);
    expect(used.length).toBeGreaterThan(4);
    expect(Math.max(...used.map((ids) => ids.length))).toBeLessThan(experts.length);
    // Each expert in exactly the shard its id hashes to.
    expect([...shards.values()].flat().sort()).toEqual(experts);
    for (const expertId of experts) expect(shards.get(expertLoadShard(expertId))).toContain(expertId);
    expect(expertLoadPartition(CALL_A, 3)).toBe(`EXPERT_LOAD#${CALL_A}#03`);
    expect(await partitionIds(unshardedExpertLoadPartition(CALL_A))).toEqual([]);
  });

  test('listExpertLoads answers every expert with their count, by expert id', async () => {
    const loads = await listExpertLoads(CALL_A);
    expect([...loads.keys()]).toEqual(experts);
    for (const [i, expertId] of experts.entries()) expect(loads.get(expertId)).toBe(placesOf(i));
    expect(await listExpertLoads('no-such-call')).toEqual(new Map());
  });

  test('expertLoadsBetween answers exactly the experts in the id range, from every shard', async () => {
    const loads = await expertLoadsBetween(CALL_A, experts[10], experts[29]);
    expect([...loads.keys()]).toEqual(experts.slice(10, 30));
    for (let i = 10; i < 30; i++) expect(loads.get(experts[i])).toBe(placesOf(i));
    // One id alone; a range between two ids that holds none.
    expect([...(await expertLoadsBetween(CALL_A, experts[7], experts[7])).entries()]).toEqual([[experts[7], 4]]);
    expect(await expertLoadsBetween(CALL_A, 'load-exp-0005', 'load-exp-0009')).toEqual(new Map());
  });

  test('addExpertLoad still refuses past the cap, and the refusal changes nothing', async () => {
    const expertId = experts[3]; // 4 places
    expect(await addExpertLoad(expertId, CALL_A, 1, 4)).toBe(false);
    expect(await addExpertLoad(expertId, CALL_A, 2, 5)).toBe(false);
    expect(await addExpertLoad(expertId, CALL_A, 1, 5)).toBe(true);
    expect(await addExpertLoad(expertId, CALL_A, 1, 5)).toBe(false);
    expect((await listExpertLoads(CALL_A)).get(expertId)).toBe(5);
  });

  test('a counter indexed before the shards is still read, and moves to its shard when next written', async () => {
    const expertId = 'load-exp-legacy';
    // As the unsharded index wrote it (a call under way when the shards were deployed).
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...expertLoadKey(expertId, CALL_A),
          GSI1PK: unshardedExpertLoadPartition(CALL_A),
          GSI1SK: expertId,
          expertId,
          load: 2,
        },
      }),
    );
    expect((await listExpertLoads(CALL_A)).get(expertId)).toBe(2);
    expect((await expertLoadsBetween(CALL_A, 'load-exp-l', 'load-exp-m')).get(expertId)).toBe(2);
    expect(await addExpertLoad(expertId, CALL_A, 1, 10)).toBe(true);
    expect(await partitionIds(unshardedExpertLoadPartition(CALL_A))).toEqual([]);
    expect(await partitionIds(expertLoadPartition(CALL_A, expertLoadShard(expertId)))).toContain(expertId);
    expect((await listExpertLoads(CALL_A)).get(expertId)).toBe(3);
    expect(await loadItem(CALL_A, expertId)).toMatchObject({ load: 3 });
  });
});

describe('two runs of one round batch side by side', () => {
  const CALL_B = CALL;
  let n = 0;
  const at = new Date('2024-05-01T02:00:00Z');

  /** An expert of the pool with a cap, and an application waiting for the round. */
  async function setUp(maxLoad: number) {
    n++;
    const expertId = `race-exp-${n}`;
    await putExpert({
      expertId,
      name: `专家${n}`,
      email: `${expertId}@experts.example.org`,
      affiliation: '测试大学',
      unitIds: [],
      disciplines: ['物理学'],
      maxLoad,
    });
    const applicationId = `race-app-${n}`;
    await table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: {
          PK: `APP#${applicationId}`,
          SK: 'APP',
          applicationId,
          callId: CALL_B,
          unitId: 'gd-physics-society',
          projectTypeId: 'general',
          form: { title: `race ${n}` },
          status: 'READY_FOR_EXPERT_REVIEW',
          history: [],
          marks: {},
          version: 1,
          createdAt: '2024-04-01T10:00:00+08:00',
          updatedAt: '2024-04-01T10:00:00+08:00',
        },
      }),
    );
    return { expertId, applicationId };
  }

  /**
   * Runs `assignPanel` as two runs, A and B, of one batch, in this order of their writes: B takes the
   * expert's place, A tries to, A creates the task, B tries to. (The sweep runs a batch claimed for
   * longer than its grace again while the first run is still at it.)
   */
  async function interleaved(applicationId: string, expertIds: string[]) {
    const run = new AsyncLocalStorage<'A' | 'B'>();
    const signal = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { open, opened };
    };
    const bTookPlace = signal();
    const aCreatedTask = signal();
    const client = dynamo();
    const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    const spy = jest.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
      const who = run.getStore();
      const takesPlace =
        command instanceof UpdateCommand &&
        String(command.input.Key?.SK).startsWith('LOAD#') &&
        String(command.input.UpdateExpression).includes('ADD #load :places');
      const createsTask =
        command instanceof PutCommand && (command.input.Item as { kind?: string })?.kind === 'expert-review';
      if (who === 'A' && takesPlace) await bTookPlace.opened;
      if (who === 'B' && createsTask) await aCreatedTask.opened;
      try {
        return await send(command);
      } finally {
        if (who === 'B' && takesPlace) bTookPlace.open();
        if (who === 'A' && createsTask) aCreatedTask.open();
      }
    }) as never);
    try {
      await Promise.all([
        run.run('A', () => assignPanel(applicationId, expertIds, at)),
        run.run('B', () => assignPanel(applicationId, expertIds, at)),
      ]);
    } finally {
      spy.mockRestore();
    }
  }

  test('the last place under the cap: B takes it, the cap refuses A, A creates the task; the place stays counted', async () => {
    const { expertId, applicationId } = await setUp(2);
    // The expert holds one place already (another application's panel): this one is their last.
    expect(await addExpertLoad(expertId, CALL_B, 1, 2)).toBe(true);

    await interleaved(applicationId, [expertId]);

    const panel = (await getApplication(applicationId))?.expertReview?.panel ?? [];
    expect(panel.map((slot) => slot.expertId)).toEqual([expertId]);
    const task = await getTask(panel[0].taskId);
    expect(task).toMatchObject({ state: 'OPEN', holdsLoad: true });
    // Two panels' places: the counter says 2 (it said 1 when B gave its place back).
    expect((await listExpertLoads(CALL_B)).get(expertId)).toBe(2);
  });

  test('well below the cap, the same interleaving counts the place once', async () => {
    const { expertId, applicationId } = await setUp(10);
    await interleaved(applicationId, [expertId]);
    const panel = (await getApplication(applicationId))?.expertReview?.panel ?? [];
    expect(await getTask(panel[0].taskId)).toMatchObject({ holdsLoad: true });
    expect((await listExpertLoads(CALL_B)).get(expertId)).toBe(1);
  });

  test('a place is given only to an open task that holds none, and a task freed holds none to free again', async () => {
    const { expertId } = await setUp(5);
    const task = {
      taskId: `race-task-${n}`,
      kind: 'expert-review' as const,
      applicationId: `race-app-${n}`,
      callId: CALL_B,
      token: 'PENDING',
      state: 'OPEN' as const,
      dueAt: '2024-06-01T00:00:00.000Z',
      createdAt: '2024-05-01T10:00:00+08:00',
      expertId,
      round: 1,
      holdsLoad: false,
    };
    expect(await createTask(task)).toBe(true);
    expect(await addExpertLoad(expertId, CALL_B, 1, 5)).toBe(true);
    // Freeing a task that holds no place frees nothing.
    await releaseTaskLoadOnce(task.taskId, expertId, CALL_B);
    expect((await listExpertLoads(CALL_B)).get(expertId)).toBe(1);
    // Given the place: then freed once, and not given one again.
    expect(await givePlaceToTask(task.taskId)).toBe(true);
    expect(await givePlaceToTask(task.taskId)).toBe(false);
    await releaseTaskLoadOnce(task.taskId, expertId, CALL_B);
    await releaseTaskLoadOnce(task.taskId, expertId, CALL_B);
    expect((await listExpertLoads(CALL_B)).get(expertId)).toBe(0);
    // A task closed (another panel was recorded) takes no place.
    const closed = { ...task, taskId: `race-task-${n}-closed` };
    expect(await createTask(closed)).toBe(true);
    expect(await cancelOpenTask(closed.taskId, '2024-05-01T10:00:00+08:00')).toBe(true);
    expect(await givePlaceToTask(closed.taskId)).toBe(false);
  });
});
