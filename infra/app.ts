import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { deploymentContext, sesSendRateContext } from './context';
import { FundingCallStack } from './stack';

const app = new App();
// cdk-nag's AwsSolutions pack: `cdk synth` and `cdk deploy` fail on a finding that is neither fixed nor
// acknowledged with its reason next to its resource (test/infra/cdk-nag.test.ts runs the same in npm test).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
// `-c stackName=…` deploys a second copy (e.g. staging) beside the first in one account and region.
new FundingCallStack(app, app.node.tryGetContext('stackName') ?? 'FundingCall', {
  // Required: `-c senderEmail=… -c alarmEmail=…` (synth fails saying so without them).
  ...deploymentContext(app),
  // Optional: `-c sesSendRate=…`, the account's SES quota in emails a second (14 unless raised).
  sesSendRate: sesSendRateContext(app),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
