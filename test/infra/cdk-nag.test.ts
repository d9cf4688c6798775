import { App, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FundingCallStack } from '@infra/stack';

/**
 * cdk-nag's AwsSolutions pack over the whole stack. cdk-nag 3 is a CDK policy validation plugin
 * (`Validations.of(app).addPlugins(...)`, as infra/app.ts registers it for `cdk synth` and `cdk
 * deploy`), no longer an Aspect. Every finding is either fixed or acknowledged next to the resource
 * it concerns (`Validations.of(construct).acknowledge({ id, reason })`, see infra/nag.ts), with its
 * reason; this test fails on any other error, and names each warning.
 */

// Bundling skipped: only asset hashes change, and no rule reads them.
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new FundingCallStack(app, 'FundingCall', {
  senderEmail: 'noreply@example.org',
  alarmEmail: 'alarms@example.org',
});
const pack = new AwsSolutionsChecks(app, { verbose: true });
Validations.of(app).addPlugins(pack);

// The same check as the plugin makes during synthesis, as a report this test can read.
const report = pack.validateScope(app);
const findings = (severity: string) =>
  report.violations
    .filter((violation) => violation.severity === severity)
    .flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
      ),
    );

/** Every acknowledgement in the construct tree: where, which rule, why. */
const acknowledgements = app.node.findAll().flatMap((construct) =>
  construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) =>
      Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
        path: construct.node.path,
        id,
        reason,
      })),
    ),
);

test('AwsSolutions finds no error that is not fixed or acknowledged', () => {
  expect(findings('error')).toEqual([]);
});

test('AwsSolutions warnings are listed (none today)', () => {
  const warnings = findings('warning');
  if (warnings.length) console.warn(`cdk-nag AwsSolutions warnings:\n${warnings.join('\n')}`);
  expect(warnings).toEqual([]);
});

test('every acknowledgement is of an AwsSolutions rule and says why, in a sentence a reviewer can check', () => {
  expect(acknowledgements.length).toBeGreaterThan(0);
  const weak = acknowledgements.filter(
    ({ id, reason }) => !/AwsSolutions-[A-Z]+\d+/.test(id) || reason.trim().length < 80,
  );
  expect(weak).toEqual([]);
});

test('no rule is acknowledged for the whole stack or app: each acknowledgement sits on the resource it concerns', () => {
  expect(acknowledgements.filter(({ path }) => !path.includes('/'))).toEqual([]);
});

test('synthesis with the pack registered succeeds (the plugin itself, as `cdk synth` runs it)', () => {
  expect(() => app.synth()).not.toThrow();
});

test("the pack checks the nested observability stack's resources too (it walks the whole construct tree)", () => {
  // The real nested stack is part of the app the pack is given…
  expect(stack.observability.node.root).toBe(app);
  // …and a finding inside a nested stack is reported, at its path there.
  const small = new App();
  const nested = new NestedStack(new Stack(small, 'Parent'), 'Child');
  new Topic(nested, 'Unencrypted');
  const smallReport = new AwsSolutionsChecks(small).validateScope(small);
  const paths = smallReport.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`),
  );
  expect(paths).toContainEqual(expect.stringMatching(/^AwsSolutions-SNS\d+ Parent\/Child\/Unencrypted\//));
});
