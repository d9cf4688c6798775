import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FundingCallStack } from '@infra/stack';

/**
 * CloudFormation refuses a template of more than 500 resources, and only at deploy time. Each route
 * costs about ten (its function, role, policy, log group, permissions, method, resource…), so this
 * says how much room is left before the stack must be split (nested stacks), while it is still cheap.
 */
const CLOUDFORMATION_LIMIT = 500;

test('the stack stays under CloudFormation’s 500 resources', () => {
  const template = Template.fromStack(
    new FundingCallStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'FundingCall', {
      senderEmail: 'x@example.org',
      alarmEmail: 'alarms@example.org',
    }),
  );
  const count = Object.keys(template.toJSON().Resources).length;
  expect(count).toBeLessThan(CLOUDFORMATION_LIMIT);
});
