import { App } from 'aws-cdk-lib';
import { FundingCallStack } from './stack';

const app = new App();
new FundingCallStack(app, 'FundingCall', {
  senderEmail: app.node.tryGetContext('senderEmail') ?? process.env.SENDER_EMAIL ?? 'noreply@example.org',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
