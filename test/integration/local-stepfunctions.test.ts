import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalStepFunctions, type ExecutionStatusChangeEvent } from '@infra/local/stepfunctions-server';
import {
  functionLogicalIdFromName,
  listTaskStates,
  localFunctionArn,
  localStateMachineArn,
  resolveStateMachineDefinition,
  type AslDefinition,
  type CfnTemplate,
} from '@infra/local/state-machine-template';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const fn = (name: string): string => localFunctionArn(name);

class DeadlinePassed extends Error {
  override name = 'DeadlinePassed';
}
class Transient extends Error {
  override name = 'Transient';
}

/** Lambda handlers by logical id; a test may replace one. */
const calls: { fn: string; payload: unknown }[] = [];
const tokens: { fn: string; token: string; payload: Record<string, unknown> }[] = [];
let flakyFailures = 0;
const handlers: Record<string, (payload: unknown) => Promise<unknown>> = {
  Double: async (p) => ({ value: (p as { value: number }).value * 2, name: (p as { name: string }).name }),
  AddOne: async (p) => ({ value: (p as { value: number }).value + 1 }),
  Flaky: async () => {
    if (flakyFailures > 0) {
      flakyFailures--;
      throw new Transient('try again');
    }
    return { ok: true };
  },
  Late: async () => {
    throw new DeadlinePassed('the online deadline has passed');
  },
  Boom: async () => {
    throw new Error('unexpected');
  },
  // A task-token step: stores the token the way the product stores it in DynamoDB
  Park: async (p) => {
    const payload = p as Record<string, unknown>;
    tokens.push({ fn: 'Park', token: String(payload.token), payload });
    return { parked: true };
  },
};

const machines: Record<string, AslDefinition> = {
  Pipeline: {
    StartAt: 'Double',
    States: {
      Double: {
        Type: 'Task',
        Resource: INVOKE,
        Parameters: { FunctionName: fn('Double'), Payload: { 'value.$': '$.value', 'name.$': '$$.Execution.Name' } },
        ResultSelector: { 'value.$': '$.Payload.value', 'name.$': '$.Payload.name' },
        TimeoutSeconds: 10,
        Next: 'Big?',
      },
      'Big?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.value', NumericGreaterThan: 100, Next: 'Done' }],
        Default: 'AddOne',
      },
      AddOne: {
        Type: 'Task',
        Resource: INVOKE,
        Parameters: { FunctionName: fn('AddOne'), 'Payload.$': '$' },
        ResultSelector: { 'value.$': '$.Payload.value' },
        ResultPath: '$.added',
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  },
  Retrying: {
    StartAt: 'Flaky',
    States: {
      Flaky: {
        Type: 'Task',
        Resource: INVOKE,
        Parameters: { FunctionName: fn('Flaky'), 'Payload.$': '$' },
        OutputPath: '$.Payload',
        Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
        End: true,
      },
    },
  },
  Catching: {
    StartAt: 'Late',
    States: {
      Late: {
        Type: 'Task',
        Resource: INVOKE,
        Parameters: { FunctionName: fn('Late'), 'Payload.$': '$' },
        Catch: [{ ErrorEquals: ['DeadlinePassed'], ResultPath: '$.failure', Next: 'Rejected' }],
        End: true,
      },
      Rejected: { Type: 'Pass', Result: 'rejected', ResultPath: '$.outcome', End: true },
    },
  },
  Failing: {
    StartAt: 'Boom',
    States: {
      Boom: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: fn('Boom'), Payload: {} }, End: true },
    },
  },
  Waiting: {
    StartAt: 'Await',
    States: {
      Await: {
        Type: 'Task',
        Resource: INVOKE_WAIT,
        Parameters: { FunctionName: fn('Park'), Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
        ResultPath: '$.answer',
        TimeoutSeconds: 30,
        Catch: [{ ErrorEquals: ['DeadlinePassed'], ResultPath: '$.failure', Next: 'Rejected' }],
        Next: 'Done',
      },
      Rejected: { Type: 'Pass', Result: 'rejected', ResultPath: '$.outcome', End: true },
      Done: { Type: 'Pass', Result: 'done', ResultPath: '$.outcome', End: true },
    },
  },
  ShortWait: {
    StartAt: 'Await',
    States: {
      Await: {
        Type: 'Task',
        Resource: INVOKE_WAIT,
        Parameters: { FunctionName: fn('Park'), Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
        TimeoutSeconds: 1,
        Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Expired' }],
        End: true,
      },
      Expired: { Type: 'Pass', Result: 'expired', ResultPath: '$.outcome', End: true },
    },
  },
  Scoring: {
    StartAt: 'Score',
    States: {
      Score: {
        Type: 'Map',
        ItemsPath: '$.experts',
        ItemSelector: { 'expert.$': '$$.Map.Item.Value', 'applicationId.$': '$.id' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'AwaitScore',
          States: {
            AwaitScore: {
              Type: 'Task',
              Resource: INVOKE_WAIT,
              Parameters: {
                FunctionName: fn('Park'),
                Payload: { 'token.$': '$$.Task.Token', 'expert.$': '$.expert', 'id.$': '$.applicationId' },
              },
              TimeoutSeconds: 30,
              End: true,
            },
          },
        },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'ScoringFailed' }],
        ResultPath: '$.scores',
        End: true,
      },
      ScoringFailed: { Type: 'Pass', Result: 'failed', ResultPath: '$.outcome', End: true },
    },
  },
  Fork: {
    StartAt: 'Both',
    States: {
      Both: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Left',
            States: {
              Left: {
                Type: 'Task',
                Resource: INVOKE,
                Parameters: { FunctionName: 'Double', 'Payload.$': '$' },
                OutputPath: '$.Payload',
                End: true,
              },
            },
          },
          {
            StartAt: 'Right',
            States: {
              Right: {
                Type: 'Task',
                Resource: INVOKE,
                Parameters: { FunctionName: 'AddOne', 'Payload.$': '$' },
                OutputPath: '$.Payload',
                End: true,
              },
            },
          },
        ],
        End: true,
      },
    },
  },
  TimingOut: {
    TimeoutSeconds: 1,
    StartAt: 'Await',
    States: {
      Await: {
        Type: 'Task',
        Resource: INVOKE_WAIT,
        Parameters: { FunctionName: fn('Park'), Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
        End: true,
      },
    },
  },
};

const arnOf = (name: string): string => localStateMachineArn(name);

let server: LocalStepFunctions;
let url: string;
let sfn: SFNClient;

beforeAll(async () => {
  server = new LocalStepFunctions({
    stateMachines: Object.entries(machines).map(([name, definition]) => ({ name, arn: arnOf(name), definition })),
    invokeFunction: async (functionName, payload) => {
      const id = functionLogicalIdFromName(functionName);
      calls.push({ fn: id, payload });
      const handler = handlers[id];
      if (!handler) throw new Error(`no handler for ${functionName}`);
      return handler(payload);
    },
    port: 0,
  });
  ({ url } = await server.start());
  sfn = new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await server?.stop();
});

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(machine: string, input: unknown, name?: string): Promise<string> {
  const out = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: arnOf(machine), input: JSON.stringify(input), name }),
  );
  return out.executionArn!;
}

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return waitFor(async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  }, `execution ${executionArn} to finish`);
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

/** The token Park received for execution input id `id` (optionally for one expert). */
function tokenFor(id: string, expert?: string): Promise<string> {
  return waitFor(
    () => tokens.find((t) => t.payload.id === id && (expert === undefined || t.payload.expert === expert))?.token,
    `a task token for ${id}${expert ? `/${expert}` : ''}`,
  );
}

describe('local Step Functions endpoint (real @aws-sdk/client-sfn)', () => {
  test('a Lambda pipeline succeeds; the history has AWS-shaped events', async () => {
    const arn = await start('Pipeline', { value: 5 }, 'pipeline-1');
    expect(arn).toBe('arn:aws:states:local:000000000000:execution:Pipeline:pipeline-1');
    const done = await finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.startDate).toBeInstanceOf(Date);
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime());
    // CDK-style ResultSelector reads $.Payload; $$.Execution.Name is the execution's name
    expect(JSON.parse(done.output!)).toEqual({ value: 10, name: 'pipeline-1', added: { value: 11 } });
    expect(calls.filter((c) => c.fn === 'Double').map((c) => c.payload)).toContainEqual({
      value: 5,
      name: 'pipeline-1',
    });

    const events = await history(arn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    events.forEach((e, i) => {
      expect(e.id).toBe(i + 1);
      expect(e.previousEventId).toBe(i);
      expect(e.timestamp).toBeInstanceOf(Date);
    });
    expect(JSON.parse(events[0].executionStartedEventDetails!.input!)).toEqual({ value: 5 });
    expect(events[1].stateEnteredEventDetails?.name).toBe('Double');
    const scheduled = events[2].taskScheduledEventDetails!;
    expect(scheduled).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'local',
      timeoutInSeconds: 10,
    });
    expect(JSON.parse(scheduled.parameters!)).toEqual({
      FunctionName: fn('Double'),
      Payload: { value: 5, name: 'pipeline-1' },
    });
    expect(JSON.parse(events[4].taskSucceededEventDetails!.output!)).toMatchObject({
      StatusCode: 200,
      Payload: { value: 10, name: 'pipeline-1' },
    });
    expect(JSON.parse(events[15].executionSucceededEventDetails!.output!)).toEqual(JSON.parse(done.output!));
  });

  test('a Parallel state runs its branches and shows as one state in the history', async () => {
    const arn = await start('Fork', { value: 3 });
    const done = await finished(arn);
    expect(JSON.parse(done.output!)).toEqual([{ value: 6 }, { value: 4 }]);
    const types = (await history(arn)).map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    expect(types.filter((t) => t === 'TaskSucceeded')).toHaveLength(2);
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
  });

  test('GetExecutionHistory pages forwards and backwards, and can leave data out', async () => {
    const arn = await start('Pipeline', { value: 500 });
    await finished(arn);
    const all = await history(arn);
    expect(all.map((e) => e.type)).toContain('ChoiceStateEntered');
    expect(all).toHaveLength(11); // 500*2 > 100: straight to Done

    const forward: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 3, nextToken }));
      expect(page.events!.length).toBeLessThanOrEqual(3);
      forward.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(forward.map((e) => e.id)).toEqual(all.map((e) => e.id));

    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 4 }),
    );
    expect(reversed.events!.map((e) => e.type)).toEqual([
      'ExecutionSucceeded',
      'SucceedStateExited',
      'SucceedStateEntered',
      'ChoiceStateExited',
    ]);
    const rest = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, nextToken: reversed.nextToken }),
    );
    expect(rest.events!.map((e) => e.id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(rest.nextToken).toBeUndefined();

    const noData = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, includeExecutionData: false }));
    expect(noData.events![0].executionStartedEventDetails?.input).toBeUndefined();

    await expect(
      sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, nextToken: 'garbage' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn: `${arn}-nope` }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
  });

  test('Retry on a named error, then success', async () => {
    flakyFailures = 1;
    const arn = await start('Retrying', {});
    const done = await finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ ok: true });
    const types = (await history(arn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const failed = (await history(arn)).find((e) => e.type === 'TaskFailed')!.taskFailedEventDetails!;
    expect(failed.error).toBe('Transient');
    expect(JSON.parse(failed.cause!)).toMatchObject({ errorType: 'Transient', errorMessage: 'try again' });
  });

  test('Catch of a custom error name thrown by the Lambda; Cause is the Lambda error JSON', async () => {
    const arn = await start('Catching', { id: 'a1' });
    const done = await finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.outcome).toBe('rejected');
    expect(output.failure.Error).toBe('DeadlinePassed');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({
      errorType: 'DeadlinePassed',
      errorMessage: 'the online deadline has passed',
    });
    const types = (await history(arn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  test('an uncaught Lambda error fails the execution with its name and cause', async () => {
    const arn = await start('Failing', {});
    const done = await finished(arn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Error');
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: 'Error', errorMessage: 'unexpected' });
    const last = (await history(arn)).pop()!;
    expect(last.type).toBe('ExecutionFailed');
    expect(last.executionFailedEventDetails).toMatchObject({ error: 'Error' });
  });

  test('waitForTaskToken: SendTaskSuccess completes the task with its output; a second answer is rejected', async () => {
    const arn = await start('Waiting', { id: 'w-success' });
    const token = await tokenFor('w-success');
    const running = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(running.status).toBe('RUNNING');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ amended: true }) }));
    const done = await finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    // The answer is the task's result as sent, not wrapped in Payload
    expect(JSON.parse(done.output!)).toEqual({ id: 'w-success', answer: { amended: true }, outcome: 'done' });

    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'X' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(TaskTimedOut);

    const types = (await history(arn)).map((e) => e.type);
    expect(types.slice(0, 7)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    const scheduled = (await history(arn)).find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!;
    expect(scheduled.resource).toBe('invoke.waitForTaskToken');
    expect(JSON.parse(scheduled.parameters!).Payload.token).toBe(token);
  });

  test('waitForTaskToken: SendTaskFailure with a named error is caught by the Catch on that name', async () => {
    const arn = await start('Waiting', { id: 'w-failure' });
    const token = await tokenFor('w-failure');
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'DeadlinePassed', cause: 'the sweep expired the task' }),
    );
    const done = await finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({
      id: 'w-failure',
      failure: { Error: 'DeadlinePassed', Cause: 'the sweep expired the task' },
      outcome: 'rejected',
    });
    const failed = (await history(arn)).find((e) => e.type === 'TaskFailed')!;
    expect(failed.taskFailedEventDetails).toMatchObject({
      error: 'DeadlinePassed',
      cause: 'the sweep expired the task',
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  test('tokens that were never issued: InvalidToken for garbage, TaskDoesNotExist for a well-formed one', async () => {
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'not a token', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    const someToken = await (async () => {
      const arn = await start('Waiting', { id: 'w-shape' });
      const t = await tokenFor('w-shape');
      await sfn.send(new StopExecutionCommand({ executionArn: arn }));
      return t;
    })();
    const forged = Buffer.from(someToken, 'base64');
    forged[forged.length - 1] ^= 0xff;
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: forged.toString('base64'), output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  test('a waitForTaskToken task times out with States.Timeout after its TimeoutSeconds', async () => {
    const arn = await start('ShortWait', { id: 'w-timeout' });
    const token = await tokenFor('w-timeout');
    const done = await finished(arn);
    expect(JSON.parse(done.output!)).toMatchObject({ outcome: 'expired', failure: { Error: 'States.Timeout' } });
    expect((await history(arn)).map((e) => e.type)).toContain('TaskTimedOut');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  test('a Map with a waitForTaskToken task gives each iteration its own token and collects answers in order', async () => {
    const experts = ['e1', 'e2', 'e3'];
    const arn = await start('Scoring', { id: 'm-1', experts });
    const expertTokens = await Promise.all(experts.map((e) => tokenFor('m-1', e)));
    expect(new Set(expertTokens).size).toBe(3);
    // answer out of order: the Map still returns results in item order
    for (const i of [2, 0, 1]) {
      await sfn.send(
        new SendTaskSuccessCommand({
          taskToken: expertTokens[i],
          output: JSON.stringify({ expert: experts[i], score: 80 + i }),
        }),
      );
    }
    const done = await finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).scores).toEqual([
      { expert: 'e1', score: 80 },
      { expert: 'e2', score: 81 },
      { expert: 'e3', score: 82 },
    ]);
    const events = await history(arn);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(3);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
    expect(events.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails).toEqual({ length: 3 });
    expect(types.slice(-3)).toEqual(['MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  });

  test('when one Map iteration fails, the other iterations’ tokens stop working (TaskTimedOut)', async () => {
    const arn = await start('Scoring', { id: 'm-2', experts: ['x1', 'x2'] });
    const [t1, t2] = await Promise.all([tokenFor('m-2', 'x1'), tokenFor('m-2', 'x2')]);
    await sfn.send(new SendTaskFailureCommand({ taskToken: t1, error: 'DeadlinePassed', cause: 'x1 did not score' }));
    const done = await finished(arn);
    expect(JSON.parse(done.output!)).toMatchObject({ outcome: 'failed', failure: { Error: 'DeadlinePassed' } });
    await waitFor(async () => {
      try {
        await sfn.send(new SendTaskHeartbeatCommand({ taskToken: t2 }));
        return undefined;
      } catch (e) {
        return e instanceof TaskTimedOut;
      }
    }, 'the sibling token to expire');
    const types = (await history(arn)).map((e) => e.type);
    expect(types).toContain('MapIterationFailed');
    expect(types).toContain('MapStateFailed');
    expect(types.slice(-4)).toEqual(['MapStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  test('execution names: idempotent re-start while running, ExecutionAlreadyExists otherwise', async () => {
    const first = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('Waiting'), name: 'app-42', input: '{"id":"dup"}' }),
    );
    const again = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('Waiting'), name: 'app-42', input: '{"id":"dup"}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: arnOf('Waiting'), name: 'app-42', input: '{"id":"other"}' }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('dup'), output: '{}' }));
    await finished(first.executionArn!);
    const error = await sfn
      .send(new StartExecutionCommand({ stateMachineArn: arnOf('Waiting'), name: 'app-42', input: '{"id":"dup"}' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionAlreadyExists);
    expect((error as Error).message).toBe(`Execution Already Exists: '${first.executionArn}'`);
    // the same name on another state machine is a different execution
    await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arnOf('Pipeline'), name: 'app-42', input: '{"value":1}' }),
    );
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Nope'), input: '{}' })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  test('StopExecution aborts a waiting execution; its token no longer works', async () => {
    const arn = await start('Waiting', { id: 'w-stop' });
    const token = await tokenFor('w-stop');
    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn: arn, error: 'Withdrawn', cause: 'the unit withdrew' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'the unit withdrew' });
    const last = (await history(arn)).pop()!;
    expect(last.type).toBe('ExecutionAborted');
    expect(last.executionAbortedEventDetails).toEqual({ error: 'Withdrawn', cause: 'the unit withdrew' });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  test('held runs (npm run bench): started executions wait RUNNING, run in order once released; one stopped while held never runs', async () => {
    server.holdRuns();
    const first = await start('Pipeline', { value: 100 }, 'held-1');
    const second = await start('Pipeline', { value: 200 }, 'held-2');
    const stoppedWhileHeld = await start('Pipeline', { value: 300 }, 'held-3');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: first }))).status).toBe('RUNNING');
    expect(calls.filter((c) => [100, 200, 300].includes((c.payload as { value: number }).value))).toEqual([]);
    await sfn.send(new StopExecutionCommand({ executionArn: stoppedWhileHeld, error: 'Stopped', cause: 'while held' }));

    server.releaseRuns();
    expect(JSON.parse((await finished(first)).output!)).toMatchObject({ value: 200 });
    expect(JSON.parse((await finished(second)).output!)).toMatchObject({ value: 400 });
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: stoppedWhileHeld }))).status).toBe('ABORTED');
    const doubled = calls.filter(
      (c) => c.fn === 'Double' && [100, 200, 300].includes((c.payload as { value: number }).value),
    );
    expect(doubled.map((c) => (c.payload as { value: number }).value)).toEqual([100, 200]);
    // Runs started after the release are not held.
    expect((await finished(await start('Pipeline', { value: 1 }))).status).toBe('SUCCEEDED');
  });

  test('an execution past its TimeoutSeconds is TIMED_OUT', async () => {
    const arn = await start('TimingOut', { id: 'w-exec-timeout' });
    const token = await tokenFor('w-exec-timeout');
    const done = await finished(arn);
    expect(done.status).toBe('TIMED_OUT');
    expect((await history(arn)).pop()!.type).toBe('ExecutionTimedOut');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  test('ListExecutions filters by status and pages', async () => {
    const ids = ['l1', 'l2', 'l3'];
    const arns: string[] = [];
    for (const id of ids) arns.push(await start('Waiting', { id }));
    await Promise.all(ids.map((id) => tokenFor(id)));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('l1'), output: '{}' }));
    await finished(arns[0]);

    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arnOf('Waiting'), statusFilter: 'RUNNING' }),
    );
    const runningArns = running.executions!.map((e) => e.executionArn);
    expect(runningArns).toEqual(expect.arrayContaining([arns[1], arns[2]]));
    expect(runningArns).not.toContain(arns[0]);
    expect(running.executions!.every((e) => e.status === 'RUNNING' && e.stopDate === undefined)).toBe(true);

    const succeeded = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: arnOf('Waiting'), statusFilter: 'SUCCEEDED' }),
    );
    expect(succeeded.executions!.map((e) => e.executionArn)).toContain(arns[0]);
    expect(succeeded.executions!.find((e) => e.executionArn === arns[0])!.stopDate).toBeInstanceOf(Date);

    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arnOf('Waiting') }));
    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: arnOf('Waiting'), maxResults: 2, nextToken }),
      );
      expect(page.executions!.length).toBeLessThanOrEqual(2);
      paged.push(...page.executions!.map((e) => e.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged).toEqual(all.executions!.map((e) => e.executionArn));
    // newest first, as AWS lists them
    const starts = all.executions!.map((e) => e.startDate!.getTime());
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);

    for (const arn of arns.slice(1)) await sfn.send(new StopExecutionCommand({ executionArn: arn }));
  });

  test('DescribeStateMachine and ListStateMachines', async () => {
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arnOf('Pipeline') }));
    expect(d).toMatchObject({
      name: 'Pipeline',
      status: 'ACTIVE',
      type: 'STANDARD',
      stateMachineArn: arnOf('Pipeline'),
    });
    expect(JSON.parse(d.definition!)).toEqual(machines.Pipeline);
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines!.map((m) => m.name).sort()).toEqual(Object.keys(machines).sort());
  });

  test('unknown actions and malformed requests get AWS JSON errors', async () => {
    const post = (target: string, body: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
        body,
      });
    const unknown = await post('AWSStepFunctions.DoSomethingElse', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: expect.stringMatching(/#UnknownOperationException$/) });
    const missing = await post('AWSStepFunctions.DescribeExecution', '{}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ __type: expect.stringMatching(/#ValidationException$/) });
    const badInput = await post(
      'AWSStepFunctions.StartExecution',
      JSON.stringify({ stateMachineArn: arnOf('Pipeline'), input: '{nope' }),
    );
    expect(await badInput.json()).toMatchObject({
      __type: 'com.amazonaws.swf.service.model.v20160601#InvalidExecutionInput',
    });
  });
});

describe('onExecutionEnded: the Execution Status Change events', () => {
  const told: ExecutionStatusChangeEvent[] = [];
  let withEvents: LocalStepFunctions;
  const startOn = async (machine: string, input: unknown, name: string) =>
    (
      await withEvents.handleAction('StartExecution', {
        stateMachineArn: arnOf(machine),
        name,
        input: JSON.stringify(input),
      })
    ).executionArn as string;
  const eventOf = (name: string) =>
    waitFor(() => told.find((event) => event.detail.name === name), `the event of ${name}`);

  beforeAll(async () => {
    withEvents = new LocalStepFunctions({
      stateMachines: Object.entries(machines).map(([name, definition]) => ({ name, arn: arnOf(name), definition })),
      invokeFunction: async (functionName, payload) => handlers[functionLogicalIdFromName(functionName)](payload),
      onExecutionEnded: (event) => {
        told.push(event);
        // A listener's failure is its own: logged, never the endpoint's.
        if (event.detail.name === 'told-throws') throw new Error('the listener throws');
        if (event.detail.name === 'told-rejects') return Promise.reject(new Error('the listener rejects'));
        return undefined;
      },
    });
    await withEvents.start();
  });
  afterAll(() => withEvents?.stop());

  test('StopExecution: ABORTED, told in EventBridge’s shape once the record is final', async () => {
    const arn = await startOn('Waiting', { id: 'told-stop' }, 'told-stop');
    await tokenFor('told-stop');
    await withEvents.handleAction('StopExecution', { executionArn: arn, error: 'Stopped', cause: 'by hand' });
    const event = await eventOf('told-stop');
    const described = await withEvents.handleAction('DescribeExecution', { executionArn: arn });
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'local',
      resources: [arn],
      detail: {
        executionArn: arn,
        stateMachineArn: arnOf('Waiting'),
        name: 'told-stop',
        status: 'ABORTED',
        startDate: (described.startDate as number) * 1000,
        stopDate: (described.stopDate as number) * 1000,
        input: JSON.stringify({ id: 'told-stop' }),
        inputDetails: { included: true },
        output: null,
        outputDetails: null,
        error: 'Stopped',
        cause: 'by hand',
      },
    });
    expect(told.filter((e) => e.detail.name === 'told-stop')).toHaveLength(1);
  });

  test('FAILED, TIMED_OUT and SUCCEEDED are told too, each with what ended it', async () => {
    await startOn('Failing', {}, 'told-failed');
    await startOn('TimingOut', { id: 'told-timeout' }, 'told-timeout');
    await startOn('Pipeline', { value: 1 }, 'told-succeeded');
    expect((await eventOf('told-failed')).detail).toMatchObject({ status: 'FAILED', error: 'Error', output: null });
    expect((await eventOf('told-timeout')).detail).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect((await eventOf('told-succeeded')).detail).toMatchObject({
      status: 'SUCCEEDED',
      output: JSON.stringify({ value: 2, name: 'told-succeeded', added: { value: 3 } }),
      outputDetails: { included: true },
      error: null,
      cause: null,
    });
  });

  test('a listener that throws or rejects changes nothing: the endpoint goes on answering', async () => {
    const arns = [
      await startOn('Pipeline', { value: 1 }, 'told-throws'),
      await startOn('Pipeline', { value: 1 }, 'told-rejects'),
    ];
    await eventOf('told-throws');
    await eventOf('told-rejects');
    for (const executionArn of arns)
      expect((await withEvents.handleAction('DescribeExecution', { executionArn })).status).toBe('SUCCEEDED');
    await startOn('Pipeline', { value: 1 }, 'told-after');
    expect((await eventOf('told-after')).detail.status).toBe('SUCCEEDED');
  });

  test('executions the server ends as it stops are not told: they did not end for a reason of their own', async () => {
    const own = new LocalStepFunctions({
      stateMachines: [{ name: 'Waiting', arn: arnOf('Waiting'), definition: machines.Waiting }],
      invokeFunction: async (functionName, payload) => handlers[functionLogicalIdFromName(functionName)](payload),
      onExecutionEnded: (event) => told.push(event),
    });
    await own.start();
    const { executionArn } = await own.handleAction('StartExecution', {
      stateMachineArn: arnOf('Waiting'),
      name: 'told-server-stops',
      input: '{"id":"told-server-stops"}',
    });
    await tokenFor('told-server-stops');
    await own.stop();
    expect((await own.handleAction('DescribeExecution', { executionArn })).status).toBe('ABORTED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(told.filter((e) => e.detail.name === 'told-server-stops')).toEqual([]);
  });
});

describe('persistPath', () => {
  test('finished executions survive a restart, and their names stay taken', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'local-sfn-'));
    const persistPath = path.join(dir, 'executions.json');
    const config = {
      stateMachines: [{ name: 'Pipeline', arn: arnOf('Pipeline'), definition: machines.Pipeline }],
      invokeFunction: async (name: string, payload: unknown) => handlers[functionLogicalIdFromName(name)](payload),
      persistPath,
    };
    const first = new LocalStepFunctions(config);
    await first.start();
    const { executionArn } = await first.handleAction('StartExecution', {
      stateMachineArn: arnOf('Pipeline'),
      name: 'kept',
      input: '{"value":200}',
    });
    await waitFor(
      async () =>
        (await first.handleAction('DescribeExecution', { executionArn })).status === 'SUCCEEDED' ? true : undefined,
      'the execution',
    );
    await first.stop();

    const second = new LocalStepFunctions(config);
    await second.start();
    try {
      const d = await second.handleAction('DescribeExecution', { executionArn });
      expect(d).toMatchObject({
        status: 'SUCCEEDED',
        name: 'kept',
        output: JSON.stringify({ value: 400, name: 'kept' }),
      });
      const h = await second.handleAction('GetExecutionHistory', { executionArn });
      expect((h.events as { type: string }[]).pop()!.type).toBe('ExecutionSucceeded');
      await expect(
        second.handleAction('StartExecution', {
          stateMachineArn: arnOf('Pipeline'),
          name: 'kept',
          input: '{"value":200}',
        }),
      ).rejects.toMatchObject({
        type: 'ExecutionAlreadyExists',
      });
    } finally {
      await second.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('an execution running when its process died is read back ABORTED, with a stop date and a history that ends, and is not told', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'local-sfn-'));
    const persistPath = path.join(dir, 'executions.json');
    const config = {
      stateMachines: [{ name: 'Waiting', arn: arnOf('Waiting'), definition: machines.Waiting }],
      invokeFunction: async (name: string, payload: unknown) => handlers[functionLogicalIdFromName(name)](payload),
      persistPath,
    };
    // The first process never stops: it dies (here: it is left running while another reads its file).
    const dying = new LocalStepFunctions(config);
    await dying.start();
    const told: ExecutionStatusChangeEvent[] = [];
    const next = new LocalStepFunctions({ ...config, onExecutionEnded: (event) => told.push(event) });
    try {
      const { executionArn } = await dying.handleAction('StartExecution', {
        stateMachineArn: arnOf('Waiting'),
        name: 'died-running',
        input: '{"id":"died-running"}',
      });
      await tokenFor('died-running');
      await waitFor(
        async () => (await fs.readFile(persistPath, 'utf8').catch(() => '')).includes('died-running') || undefined,
        'the running execution written',
      );

      await next.start();
      const d = await next.handleAction('DescribeExecution', { executionArn });
      expect(d).toMatchObject({
        status: 'ABORTED',
        error: 'Local.ServerStopped',
        cause: expect.stringContaining('stopped while this execution ran'),
      });
      expect(d.stopDate as number).toBeGreaterThanOrEqual(d.startDate as number);
      const events = (await next.handleAction('GetExecutionHistory', { executionArn })).events as { type: string }[];
      expect(events[0].type).toBe('ExecutionStarted');
      expect(events.pop()!.type).toBe('ExecutionAborted');
      const listed = await next.handleAction('ListExecutions', {
        stateMachineArn: arnOf('Waiting'),
        statusFilter: 'RUNNING',
      });
      expect(listed.executions).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(told).toEqual([]);
    } finally {
      await next.stop();
      await dying.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveStateMachineDefinition', () => {
  const definitionJson = JSON.stringify({
    StartAt: 'Check',
    States: {
      Check: {
        Type: 'Task',
        Resource: 'arn:PARTITION:states:::lambda:invoke',
        Parameters: { FunctionName: 'CHECK_ARN', Payload: { 'id.$': '$.id', table: 'TABLE' } },
        Next: 'Fan',
      },
      Fan: {
        Type: 'Map',
        ItemsPath: '$.experts',
        ItemProcessor: {
          StartAt: 'Score',
          States: {
            Score: {
              Type: 'Task',
              Resource: 'arn:PARTITION:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'SCORE_ARN', Payload: { 'token.$': '$$.Task.Token' } },
              TimeoutSeconds: 60,
              End: true,
            },
          },
        },
        Next: 'Both',
      },
      Both: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Left',
            States: { Left: { Type: 'Task', Resource: 'arn:PARTITION:states:::dynamodb:getItem', End: true } },
          },
          { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
        ],
        End: true,
      },
    },
  });
  // Split the JSON the way CDK does: literal fragments joined with intrinsics
  const fragments: unknown[] = [];
  const re = /PARTITION|CHECK_ARN|SCORE_ARN|TABLE/g;
  let last = 0;
  for (const m of definitionJson.matchAll(re)) {
    fragments.push(definitionJson.slice(last, m.index));
    fragments.push(
      m[0] === 'PARTITION'
        ? { Ref: 'AWS::Partition' }
        : m[0] === 'CHECK_ARN'
          ? { 'Fn::GetAtt': ['CheckFn1234', 'Arn'] }
          : m[0] === 'SCORE_ARN'
            ? { 'Fn::GetAtt': ['ScoreFnABCD', 'Arn'] }
            : { Ref: 'AppTable99' },
    );
    last = m.index! + m[0].length;
  }
  fragments.push(definitionJson.slice(last));
  const template: CfnTemplate = {
    Resources: {
      CheckFn1234: { Type: 'AWS::Lambda::Function', Properties: {} },
      ScoreFnABCD: { Type: 'AWS::Lambda::Function', Properties: {} },
      UnusedFn: { Type: 'AWS::Lambda::Function', Properties: {} },
      AppTable99: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      WorkflowStateMachine77: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: { 'Fn::Join': ['', fragments] }, RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } },
      },
    },
  };

  test('resolves Fn::Join / Fn::GetAtt / Ref into plain ASL with fake function ARNs', () => {
    const resolved = resolveStateMachineDefinition(template, undefined, { refs: { AppTable99: 'applications-local' } });
    expect(resolved.logicalId).toBe('WorkflowStateMachine77');
    expect(resolved.name).toBe('WorkflowStateMachine77');
    expect(resolved.functionLogicalIds).toEqual(['CheckFn1234', 'ScoreFnABCD']);
    expect(resolved.functionArnToLogicalId).toEqual({
      'arn:aws:lambda:local:000000000000:function:CheckFn1234': 'CheckFn1234',
      'arn:aws:lambda:local:000000000000:function:ScoreFnABCD': 'ScoreFnABCD',
    });
    const check = resolved.definition.States.Check;
    expect(check.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(check.Parameters).toEqual({
      FunctionName: 'arn:aws:lambda:local:000000000000:function:CheckFn1234',
      Payload: { 'id.$': '$.id', table: 'applications-local' },
    });
    expect(functionLogicalIdFromName(String(check.Parameters!.FunctionName))).toBe('CheckFn1234');
    expect(functionLogicalIdFromName('CheckFn1234:live')).toBe('CheckFn1234');

    expect(listTaskStates(resolved.definition)).toEqual([
      expect.objectContaining({
        stateName: 'Check',
        resource: 'arn:aws:states:::lambda:invoke',
        functionName: 'arn:aws:lambda:local:000000000000:function:CheckFn1234',
        waitForTaskToken: false,
        containers: [],
      }),
      expect.objectContaining({
        stateName: 'Score',
        resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        functionName: 'arn:aws:lambda:local:000000000000:function:ScoreFnABCD',
        waitForTaskToken: true,
        containers: ['Fan'],
        insideMap: true,
        timeoutSeconds: 60,
      }),
      expect.objectContaining({ stateName: 'Left', integration: 'other', containers: ['Both'], insideMap: false }),
    ]);
  });

  test('an unresolvable Ref names what to pass; a missing or ambiguous machine is an error', () => {
    expect(() => resolveStateMachineDefinition(template)).toThrow(/AppTable99.*options\.refs/);
    expect(() => resolveStateMachineDefinition(template, 'Nope')).toThrow(/No AWS::StepFunctions::StateMachine "Nope"/);
    const two: CfnTemplate = {
      Resources: {
        ...template.Resources,
        Other: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: '{}' } },
      },
    };
    expect(() => resolveStateMachineDefinition(two)).toThrow(/2 state machines/);
  });
});
