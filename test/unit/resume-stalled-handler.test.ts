import * as metrics from '@shared/adapters/metrics';
import { onExecutionEnded, reconcileStalled } from '@shared/use-cases/stalled-workflows';
import { handler } from '@functions/resume-stalled';
import { lambdaContext } from '../support/lambda-context';

/**
 * The resume-stalled handler alone (functions/resume-stalled.ts): which of its two EventBridge
 * events it was given, and what it hands the use cases (mocked here; the rule itself is tested
 * against the local services). The events are shaped as AWS sends them.
 */

jest.mock('@shared/use-cases/stalled-workflows', () => ({
  onExecutionEnded: jest.fn(async () => ({ kind: 'resumed', stage: 'StaffFormalReview', executionArn: 'arn:resumed' })),
  reconcileStalled: jest.fn(async () => ({ checked: 3, resumed: 1, failed: 1 })),
}));
const ended = jest.mocked(onExecutionEnded);
const reconciled = jest.mocked(reconcileStalled);

const context = lambdaContext('resume-stalled');

const APPLICATION_ID = 'app-2024-0001';
const STATE_MACHINE_ARN = 'arn:aws:states:ap-east-1:123456789012:stateMachine:FundingCall-application';
const EXECUTION_ARN = `arn:aws:states:ap-east-1:123456789012:execution:FundingCall-application:${APPLICATION_ID}-s1`;

/**
 * A "Step Functions Execution Status Change" event as EventBridge delivers it (the shape of the
 * example in the Step Functions developer guide, "EventBridge events for Step Functions execution
 * status changes"): the execution's input as a JSON string, its output null unless it succeeded.
 */
const statusChange = (status: string, detail: Record<string, unknown> = {}) => ({
  version: '0',
  id: '315c1398-40ff-a850-213b-158f73e60175',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '123456789012',
  time: '2024-05-06T07:42:21Z',
  region: 'ap-east-1',
  resources: [EXECUTION_ARN],
  detail: {
    executionArn: EXECUTION_ARN,
    stateMachineArn: STATE_MACHINE_ARN,
    name: `${APPLICATION_ID}-s1`,
    status,
    startDate: 1714980000000,
    stopDate: 1714981341000,
    input: JSON.stringify({ applicationId: APPLICATION_ID, resumeFrom: 'StaffFormalReview' }),
    output: null,
    inputDetails: { included: true },
    outputDetails: null,
    error: status === 'FAILED' ? 'States.TaskFailed' : null,
    cause: status === 'FAILED' ? '{"errorType":"Error","errorMessage":"The table is busy"}' : null,
    ...detail,
  },
});

/** A schedule's event (EventBridge's "Scheduled Event"). */
const scheduledEvent = {
  version: '0',
  id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2024-05-06T07:45:00Z',
  region: 'ap-east-1',
  resources: ['arn:aws:events:ap-east-1:123456789012:rule/FundingCall-StalledReconciliation872B3A0C-1A2B3C4D5E6F'],
  detail: {},
};

beforeEach(() => {
  ended.mockClear();
  reconciled.mockClear();
});
afterEach(() => jest.restoreAllMocks());

describe('an execution that ended', () => {
  test.each(['ABORTED', 'TIMED_OUT', 'FAILED'])(
    '%s: its application, status and execution go to the rule',
    async (status) => {
      const answer = await handler(statusChange(status), context);
      expect(ended).toHaveBeenCalledTimes(1);
      expect(ended).toHaveBeenCalledWith({ applicationId: APPLICATION_ID, status, executionArn: EXECUTION_ARN });
      expect(reconciled).not.toHaveBeenCalled();
      expect(answer).toEqual({ kind: 'resumed', stage: 'StaffFormalReview', executionArn: 'arn:resumed' });
    },
  );

  test.each([
    ['a status the rule does not match (SUCCEEDED)', statusChange('SUCCEEDED')],
    ['an input without an applicationId', statusChange('ABORTED', { input: '{"resumeFrom":"StaffFormalReview"}' })],
    [
      'an input left out of the event for its size (input null, inputDetails.included false)',
      statusChange('ABORTED', { input: null, inputDetails: { included: false } }),
    ],
    ['an input that is not JSON', statusChange('ABORTED', { input: '{not json' })],
    ['an event without detail', { ...statusChange('ABORTED'), detail: undefined }],
  ])(
    'is refused (the invocation fails, so Lambda retries it and then keeps it in the dead-letter queue): %s',
    async (_, event) => {
      await expect(handler(event, context)).rejects.toThrow();
      expect(ended).not.toHaveBeenCalled();
      expect(reconciled).not.toHaveBeenCalled();
    },
  );
});

describe('any other event', () => {
  test.each([
    [
      'another detail-type',
      { ...statusChange('ABORTED'), 'detail-type': 'Step Functions State Machine Status Change' },
    ],
    ['an API Gateway request', { httpMethod: 'POST', path: '/applications', body: '{}' }],
    ['nothing', {}],
    ['null', null],
  ])('is refused, and nothing is resumed: %s', async (_, event) => {
    await expect(handler(event, context)).rejects.toThrow();
    expect(ended).not.toHaveBeenCalled();
    expect(reconciled).not.toHaveBeenCalled();
  });
});

describe('a Scheduled Event', () => {
  test('runs the reconciliation, answers its counts and counts its failed items as ReconcileFailed', async () => {
    const counted = jest.spyOn(metrics, 'countMetric');
    const answer = await handler(scheduledEvent, context);
    expect(reconciled).toHaveBeenCalledTimes(1);
    expect(reconciled).toHaveBeenCalledWith();
    expect(ended).not.toHaveBeenCalled();
    expect(answer).toEqual({ checked: 3, resumed: 1, failed: 1 });
    expect(counted).toHaveBeenCalledWith('ReconcileFailed', 1);
  });

  test('counts ReconcileFailed even when nothing failed: each run is a sample, and the alarm on its silence counts them', async () => {
    reconciled.mockResolvedValueOnce({ checked: 0, resumed: 0, failed: 0 });
    const counted = jest.spyOn(metrics, 'countMetric');
    await handler(scheduledEvent, context);
    expect(counted).toHaveBeenCalledWith('ReconcileFailed', 0);
  });
});
