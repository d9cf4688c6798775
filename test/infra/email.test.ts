import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { deploymentContext } from '@infra/context';
import { functionSpecs } from '@infra/functions';
import { FundingCallStack } from '@infra/stack';

const ROOT = path.resolve(__dirname, '../..');
const SENDER = 'projects@gdast.example.org';

// One synthesis for the file (bundling skipped: only asset hashes change).
const stack = new FundingCallStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'FundingCall', {
  senderEmail: SENDER,
  alarmEmail: 'ops@gdast.example.org',
});
const template = Template.fromStack(stack);
interface Resource {
  Type: string;
  Properties: Record<string, any>;
}
const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
// The stack's email resources by their logical ids (other topics and keys, the alarms', may exist beside them).
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const configurationSet = idOf(stack.email.configurationSet);
const topic = idOf(stack.email.events);
const identity = idOf(stack.email.identity);
const logicalIdOf = (name: (typeof functionSpecs)[number]['name']) =>
  stack.getLogicalId(stack.functions.get(name)!.node.defaultChild as CfnElement);
const arnOf = (resourceType: string, name: unknown) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:ses:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:${resourceType}/`,
      name,
    ],
  ],
});

describe('the sender', () => {
  test('is an SES email identity whose default configuration set is the stack’s', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: SENDER,
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSet } },
    });
  });
});

describe('the configuration set', () => {
  test('sends, and publishes its reputation metrics (the bounce and complaint rates the alarms watch)', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SendingOptions: { SendingEnabled: true },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
  });

  test('publishes bounces, complaints and deliveries to the email events topic', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSet },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint', 'delivery']),
        SnsDestination: { TopicARN: { Ref: topic } },
      },
    });
  });

  test('is named to every function that sends, with the sender', () => {
    const senders = functionSpecs.filter((spec) => spec.needs.includes('email:send'));
    expect(senders.length).toBeGreaterThan(10);
    for (const spec of senders) {
      const variables = resources[logicalIdOf(spec.name)].Properties.Environment.Variables;
      expect({
        fn: spec.name,
        SENDER_EMAIL: variables.SENDER_EMAIL,
        SES_CONFIGURATION_SET: variables.SES_CONFIGURATION_SET,
        // The units' emails link the web app's pages: the app's own URL, under /app/.
        WEB_APP_URL: JSON.stringify(variables.WEB_APP_URL),
      }).toEqual({
        fn: spec.name,
        SENDER_EMAIL: SENDER,
        SES_CONFIGURATION_SET: { Ref: configurationSet },
        WEB_APP_URL: expect.stringMatching(/WebAppDistribution.*\/app\//),
      });
    }
  });
});

describe('the email events topic', () => {
  test('only SES, for this configuration set, may publish to it, over TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                'AWS:SourceArn': arnOf('configuration-set', { Ref: configurationSet }),
              },
            },
          }),
        ]),
      },
    });
  });

  test('is encrypted with a rotated key SES may use for this topic only', () => {
    const key = (resources[topic].Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(resources[key].Type).toBe('AWS::KMS::Key');
    // This key alone (the alarms' topic may have a key of its own).
    Template.fromJSON({ Resources: { [key]: resources[key] } }).hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'ses.amazonaws.com' },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    const topicName = resources[topic].Properties.TopicName as string;
    const context = JSON.stringify(resources[key].Properties.KeyPolicy);
    expect(context).toContain(`:${topicName}"`);
  });

  test('invokes record-email-event, and nothing else', () => {
    const recorder = logicalIdOf('record-email-event');
    const subscriptions = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::SNS::Subscription' && JSON.stringify(r.Properties.TopicArn) === JSON.stringify({ Ref: topic }),
    );
    expect(subscriptions).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: { 'Fn::GetAtt': [recorder, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [recorder, 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topic },
    });
  });

  test('record-email-event writes to the table and sends nothing', () => {
    const spec = functionSpecs.find((s) => s.name === 'record-email-event');
    expect(spec?.needs).toEqual(['table:write']);
  });
});

describe('sending is scoped to the sender', () => {
  const statements = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap(
      (r) =>
        r.Properties.PolicyDocument.Statement as {
          Effect: string;
          Action: string | string[];
          Resource: unknown;
          Condition?: unknown;
        }[],
    );
  const sesStatements = statements.filter((s) => [s.Action].flat().some((action) => action.startsWith('ses:')));

  test('every SES statement allows SendEmail and SendRawEmail on the identity and the configuration set, from the sender address only', () => {
    expect(sesStatements.length).toBe(functionSpecs.filter((spec) => spec.needs.includes('email:send')).length);
    for (const statement of sesStatements) {
      expect(statement).toEqual({
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: [arnOf('identity', { Ref: identity }), arnOf('configuration-set', { Ref: configurationSet })],
        Condition: { StringEquals: { 'ses:FromAddress': SENDER } },
      });
    }
  });

  test('no statement anywhere grants SES on a wildcard', () => {
    const wildcard = sesStatements.filter(
      (s) => /\*/.test(JSON.stringify(s.Resource)) || [s.Action].flat().some((action) => action.includes('*')),
    );
    expect(wildcard).toEqual([]);
  });
});

describe('the deployment context', () => {
  const withContext = (context: Record<string, string>) => new App({ context });

  test('gives the sender and the alarm address', () => {
    expect(deploymentContext(withContext({ senderEmail: ` ${SENDER} `, alarmEmail: 'ops@gdast.example.org' }))).toEqual(
      {
        senderEmail: SENDER,
        alarmEmail: 'ops@gdast.example.org',
      },
    );
  });

  test('refuses to go on without senderEmail, saying so and how to pass it', () => {
    expect(() => deploymentContext(withContext({ alarmEmail: 'ops@gdast.example.org' }))).toThrow(
      /the CDK context value "senderEmail" is required.*-c senderEmail=/,
    );
  });

  test('refuses to go on without alarmEmail, or with something that is no address', () => {
    expect(() => deploymentContext(withContext({ senderEmail: SENDER }))).toThrow(
      /the CDK context value "alarmEmail" is required/,
    );
    expect(() =>
      deploymentContext(withContext({ senderEmail: 'noreply', alarmEmail: 'ops@gdast.example.org' })),
    ).toThrow(/"senderEmail" must be an email address, not "noreply"/);
  });

  test('the CDK app itself fails to synthesize without them, naming both', () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('CDK_') && name !== 'SENDER_EMAIL'),
    );
    const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['infra/app.ts'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/the CDK context value "senderEmail" is required/);
    expect(run.stderr).toMatch(/the CDK context value "alarmEmail" is required/);
  }, 60_000);
});
