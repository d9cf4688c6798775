import type { ApplicationRecord } from '@shared/domain/application-record';
import type { ExecutionsDeps } from '@infra/local/console/executions';
import { workflowState } from '@infra/local/console/workflow';

/**
 * What the console's execution page says of an unfinished application with no open task: what its execution says,
 * never assumed. "At work" only while the execution runs.
 */
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:FundingCall-application';
const depsWith = (status: string | undefined) =>
  ({
    stateMachineArn: MACHINE,
    stepFunctions: {
      handleAction: async (action: string, input: { executionArn: string }) => {
        expect(action).toBe('DescribeExecution');
        if (!status) throw Object.assign(new Error('gone'), { name: 'ExecutionDoesNotExist' });
        return { executionArn: input.executionArn, status };
      },
    },
  }) as unknown as ExecutionsDeps;

const record = (extra: Partial<ApplicationRecord> = {}) =>
  ({
    applicationId: 'a-1',
    status: 'FORMAL_CHECK_PASSED',
    executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:a-1-s1`,
    history: [
      { stage: 'FormalCheck', result: 'PASSED', at: '2023-09-01T09:00:00.000+08:00' },
      {
        stage: 'Workflow',
        result: 'RESUMED',
        at: '2023-09-01T09:05:00.000+08:00',
        detail: { stage: 'StaffReview', cause: 'ABORTED' },
      },
    ],
    ...extra,
  }) as unknown as ApplicationRecord;

test('a running execution: at work, named, with its last resumption', async () => {
  const html = await workflowState(depsWith('RUNNING'), record());
  expect(html).toContain('the workflow is at work (execution a-1-s1 is running)');
  expect(html).toContain('Last resumed');
  expect(html).toContain('ABORTED');
});

test('an ended or missing execution: stalled, being resumed; never "at work"', async () => {
  for (const status of ['ABORTED', 'TIMED_OUT', 'FAILED', 'SUCCEEDED', undefined]) {
    const html = await workflowState(depsWith(status), record());
    expect(html).toContain('Stalled, being resumed');
    expect(html).not.toContain('at work');
  }
});

test('a recorded failure: failed, left to its recovery', async () => {
  const html = await workflowState(depsWith('FAILED'), record({ failure: { stage: 'FormalCheck' } as never }));
  expect(html).toContain('The workflow failed and is recorded');
  expect(html).not.toContain('at work');
});
