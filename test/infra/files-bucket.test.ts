import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ReportFilesBucket } from '@infra/files-bucket';
import { grantNeed } from '@infra/grants';
import type { Need } from '@infra/functions';
import { FundingCallStack } from '@infra/stack';

const ROOT = path.resolve(__dirname, '../..');

// The product stack, built once for the file (bundling skipped: only asset hashes change).
const template = Template.fromStack(
  new FundingCallStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'FundingCall', {
    senderEmail: 'x@example.org',
    alarmEmail: 'alarms@example.org',
  }),
);

describe('the report files bucket', () => {
  test('is private, encrypted, unversioned, TLS-only and kept when the stack is deleted', () => {
    // It and the bucket of its server access logs (test/infra/security.test.ts): both private, encrypted, TLS-only,
    // kept. (The web app's bucket holds only the built app, rebuilt on each deploy: test/infra/web-app.test.ts.)
    const reportBuckets = Object.entries(template.findResources('AWS::S3::Bucket')).filter(
      ([id]) => !id.startsWith('WebApp'),
    );
    expect(reportBuckets).toHaveLength(2);
    for (const [, bucket] of reportBuckets) {
      expect(bucket).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    }
    template.resourcePropertiesCountIs(
      'AWS::S3::BucketPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Principal: { AWS: '*' },
            }),
          ]),
        },
      },
      // the two report buckets, and the web app's (infra/web-app.ts)
      3,
    );
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: { AWS: '*' },
          }),
        ]),
      },
    });
  });

  test('deletes what is left under pending/ after a day, and nothing else', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Id: 'DeleteUnattachedUploads', Prefix: 'pending/', ExpirationInDays: 1, Status: 'Enabled' }],
      },
    });
  });

  test('lets a browser PUT and GET from any origin with Content-Type and Content-Length', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedOrigins: ['*'],
            AllowedMethods: ['PUT', 'GET'],
            AllowedHeaders: ['Content-Type', 'Content-Length'],
          }),
        ],
      },
    });
  });
});

describe('the files needs', () => {
  // A small stack of its own: no function of the product asks for these needs yet.
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Grants');
  const { bucket } = new ReportFilesBucket(stack, 'ReportFiles');
  const targets = {
    table: new Table(stack, 'Table', { partitionKey: { name: 'PK', type: AttributeType.STRING } }),
    linkKey: new Secret(stack, 'Key'),
    stateMachineName: 'machine',
    email: {
      senderEmail: 'x@example.org',
      identityArn: 'arn:aws:ses:us-east-1:123456789012:identity/x@example.org',
      configurationSetName: 'set',
      configurationSetArn: 'arn:aws:ses:us-east-1:123456789012:configuration-set/set',
      webAppUrl: 'https://app.example.org/app/',
      sendRate: 14,
    },
    publicBaseUrl: 'https://example.org/',
    filesBucket: bucket,
  };
  const fnWith = (need: Extract<Need, 'files:presign-upload' | 'files:upload' | 'files:read'>) => {
    const fn = new NodejsFunction(stack, need.replace(':', '-'), {
      entry: path.join(ROOT, 'functions', 'get-call.ts'),
      runtime: Runtime.NODEJS_22_X,
      projectRoot: ROOT,
      depsLockFilePath: path.join(ROOT, 'package-lock.json'),
    });
    grantNeed(fn, need, targets);
    return stack.getLogicalId(fn.node.defaultChild as never);
  };
  const ids = { presign: fnWith('files:presign-upload'), upload: fnWith('files:upload'), read: fnWith('files:read') };
  const grants = Template.fromStack(stack);
  const bucketId = stack.getLogicalId(bucket.node.defaultChild as never);
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] });

  const statementsOf = (functionId: string) => {
    const fn = grants.toJSON().Resources[functionId];
    const role = fn.Properties.Role['Fn::GetAtt'][0];
    const policies = Object.values(grants.toJSON().Resources as Record<string, any>).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${role}"`),
    );
    return {
      variables: fn.Properties.Environment.Variables,
      statements: policies.flatMap((p) => p.Properties.PolicyDocument.Statement),
    };
  };

  test('files:upload: the bucket name, get under pending/ (the upload), put and delete under reports/ (its copy), and list (a missing key is a 404)', () => {
    const { variables, statements } = statementsOf(ids.upload);
    expect(variables).toEqual({ FILES_BUCKET: { Ref: bucketId } });
    expect(statements.filter((s: { Action: string }) => String(s.Action).startsWith('s3:'))).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('pending/') },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objects('reports/') },
      { Effect: 'Allow', Action: 's3:DeleteObject', Resource: objects('reports/') },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] } },
    ]);
  });

  test('files:presign-upload: the bucket name and put under pending/ only', () => {
    const { variables, statements } = statementsOf(ids.presign);
    expect(variables).toEqual({ FILES_BUCKET: { Ref: bucketId } });
    expect(statements.filter((s: { Action: string }) => String(s.Action).startsWith('s3:'))).toEqual([
      { Effect: 'Allow', Action: 's3:PutObject', Resource: objects('pending/') },
    ]);
  });

  test('files:read: the bucket name and get under reports/ only', () => {
    const { variables, statements } = statementsOf(ids.read);
    expect(variables).toEqual({ FILES_BUCKET: { Ref: bucketId } });
    expect(statements.filter((s: { Action: string }) => String(s.Action).startsWith('s3:'))).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('reports/') },
    ]);
  });
});
