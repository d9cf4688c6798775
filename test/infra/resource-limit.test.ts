import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FundingCallStack } from '@infra/stack';

/**
 * CloudFormation refuses a template of more than 500 resources, and only at deploy time. Each route
 * costs about ten (its function, role, policy, log group, permissions, method, resource…), so this
 * says how much room is left before the stack must be split again, while it is still cheap. (The
 * operators' alarms and dashboard were split off into a nested stack, its own template, for this.)
 */
const CLOUDFORMATION_LIMIT = 500;

const stack = new FundingCallStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'FundingCall', {
  senderEmail: 'x@example.org',
  alarmEmail: 'alarms@example.org',
});
const resourceCount = (template: Template) => Object.keys(template.toJSON().Resources as object).length;

test('the stack stays under CloudFormation’s 500 resources', () => {
  expect(resourceCount(Template.fromStack(stack))).toBeLessThan(CLOUDFORMATION_LIMIT);
});

// The operators' alarms, topic and dashboard are a nested stack (infra/observability.ts), a template of
// its own under the same limit: two alarms per Lambda, so it grows with the functions.
test('the nested observability stack stays under CloudFormation’s 500 resources too', () => {
  const count = resourceCount(Template.fromStack(stack.observability));
  expect(count).toBeGreaterThan(100);
  expect(count).toBeLessThan(CLOUDFORMATION_LIMIT);
});
