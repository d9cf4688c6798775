import { App } from 'aws-cdk-lib';
import { FundingCallStack } from './stack';

const app = new App();
// `-c stackName=…` deploys a second copy (e.g. staging) beside the first in one account and region.
new FundingCallStack(app, app.node.tryGetContext('stackName') ?? 'FundingCall', {
  senderEmail: app.node.tryGetContext('senderEmail') ?? process.env.SENDER_EMAIL ?? 'noreply@example.org',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
