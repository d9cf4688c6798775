import type { ApplicationRecord } from '@shared/domain/application-record';

/**
 * The rule for a stalled application, at its edges, with the adapters stubbed: what it leaves alone,
 * and that it stops resuming an application that ends again at once (a loop) but never one that a
 * restart or a person's answer finds.
 */
jest.mock('@shared/adapters/dynamodb/application-items', () => ({
  getApplication: jest.fn(),
  updateApplication: jest.fn(async () => undefined),
  clearPendingStart: jest.fn(),
  countFailureRecords: jest.fn(async () => 0),
}));
jest.mock('@shared/adapters/workflow-engine', () => ({
  firstExecutionArn: (id: string) => `arn:aws:states:us-east-1:0:execution:m:${id}`,
  isExecutionRunning: jest.fn(async () => false),
  startApplicationWorkflow: jest.fn(),
  startNamedWorkflow: jest.fn(async (_input: unknown, name: string) => ({
    executionArn: `arn:aws:states:us-east-1:0:execution:m:${name}`,
    existed: false,
  })),
}));
jest.mock('@shared/adapters/dynamodb/task-items', () => ({ listOpenTasks: jest.fn(async () => []) }));

// eslint-disable-next-line @typescript-eslint/no-require-imports -- after the mocks
const items = require('@shared/adapters/dynamodb/application-items') as {
  getApplication: jest.Mock;
  updateApplication: jest.Mock;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- after the mocks
const engine = require('@shared/adapters/workflow-engine') as {
  isExecutionRunning: jest.Mock;
  startNamedWorkflow: jest.Mock;
};
const { resumeIfStalled, MAX_RESUMES_WITHOUT_PROGRESS } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the mocks
  require('@shared/use-cases/workflow-start') as typeof import('@shared/use-cases/workflow-start');

const resumed = (cause: string) =>
  ({
    stage: 'Workflow',
    result: 'RESUMED',
    at: '2023-09-01T10:00:00.000+08:00',
    detail: { cause },
  }) as ApplicationRecord['history'][number];
const app = (extra: Partial<ApplicationRecord> = {}) =>
  ({
    applicationId: 'a-1',
    status: 'FORMAL_CHECK_PASSED',
    marks: { receipt: 'x' },
    executionArn: 'arn:aws:states:us-east-1:0:execution:m:a-1',
    history: [{ stage: 'FormalCheck', result: 'PASSED', at: '2023-09-01T09:00:00.000+08:00' }],
    ...extra,
  }) as unknown as ApplicationRecord;

beforeEach(() => {
  jest.clearAllMocks();
  engine.isExecutionRunning.mockResolvedValue(false);
});

test('an unfinished application without a running execution is resumed at its stage, the cause on its history', async () => {
  items.getApplication.mockResolvedValue(app());
  expect(await resumeIfStalled('a-1', 'ABORTED', 'arn:aws:states:us-east-1:0:execution:m:a-1')).toMatchObject({
    kind: 'resumed',
    stage: 'StaffReview',
  });
  expect(items.updateApplication.mock.calls[0][1].entry).toMatchObject({
    stage: 'Workflow',
    result: 'RESUMED',
    detail: { stage: 'StaffReview', cause: 'ABORTED', ended: 'a-1' },
  });
});

test('left alone: finished, running, superseded, or failed with its recovery pending', async () => {
  items.getApplication.mockResolvedValue(app({ status: 'AWARDED' }));
  expect((await resumeIfStalled('a-1', 'FAILED')).kind).toBe('final');
  items.getApplication.mockResolvedValue(app({ executionArn: 'arn:aws:states:us-east-1:0:execution:m:a-1-s1' }));
  expect((await resumeIfStalled('a-1', 'ABORTED', 'arn:aws:states:us-east-1:0:execution:m:a-1')).kind).toBe(
    'superseded',
  );
  items.getApplication.mockResolvedValue(app({ failure: { stage: 'FormalCheck' } as never }));
  expect((await resumeIfStalled('a-1', 'FAILED')).kind).toBe('failure-recorded');
  engine.isExecutionRunning.mockResolvedValue(true);
  items.getApplication.mockResolvedValue(app());
  expect((await resumeIfStalled('a-1', 'RECONCILED')).kind).toBe('running');
  expect(engine.startNamedWorkflow).not.toHaveBeenCalled();
});

test(`after ${MAX_RESUMES_WITHOUT_PROGRESS} resumptions in a row with no step between them, an execution that ends again is left to people`, async () => {
  const looping = Array.from({ length: MAX_RESUMES_WITHOUT_PROGRESS }, () => resumed('FAILED'));
  items.getApplication.mockResolvedValue(app({ history: [...app().history, ...looping] }));
  expect((await resumeIfStalled('a-1', 'FAILED')).kind).toBe('given-up');
  expect(engine.startNamedWorkflow).not.toHaveBeenCalled();
  // One fewer, or a step recorded since: resumed.
  items.getApplication.mockResolvedValue(app({ history: [...app().history, ...looping.slice(1)] }));
  expect((await resumeIfStalled('a-1', 'FAILED')).kind).toBe('resumed');
  items.getApplication.mockResolvedValue(
    app({
      history: [...looping, { stage: 'StaffFormalReview', result: 'TASK_OPENED', at: '2023-09-01T11:00:00.000+08:00' }],
    }),
  );
  expect((await resumeIfStalled('a-1', 'ABORTED')).kind).toBe('resumed');
});

test('restarts of the local stack and answers never count as a loop', async () => {
  const restarts = Array.from({ length: MAX_RESUMES_WITHOUT_PROGRESS + 2 }, () => resumed('RESTARTED'));
  items.getApplication.mockResolvedValue(app({ history: [...app().history, ...restarts] }));
  expect((await resumeIfStalled('a-1', 'RESTARTED')).kind).toBe('resumed');
  expect((await resumeIfStalled('a-1', 'ABORTED')).kind).toBe('resumed');
  const looping = Array.from({ length: MAX_RESUMES_WITHOUT_PROGRESS }, () => resumed('ABORTED'));
  items.getApplication.mockResolvedValue(app({ history: [...app().history, ...looping] }));
  expect((await resumeIfStalled('a-1', 'ANSWERED')).kind).toBe('resumed');
  expect((await resumeIfStalled('a-1', 'RESTARTED')).kind).toBe('resumed');
});
