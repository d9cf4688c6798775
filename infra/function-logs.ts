import { Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** How long a function's logs are kept: as long as the workflow's execution logs. */
export const FUNCTION_LOG_RETENTION = RetentionDays.SIX_MONTHS;

/**
 * A Lambda's own log group, with a retention (the group Lambda creates on first write never
 * expires), and its execution role, which may write to that log group and to no other: in place of
 * the AWS managed AWSLambdaBasicExecutionRole (cdk-nag AwsSolutions-IAM4), whose
 * logs:CreateLogGroup, CreateLogStream and PutLogEvents apply to every log group of the account.
 * Give both to the function (`role`, `logGroup`); its grants are added to the role as before.
 */
export class FunctionLogging extends Construct {
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: { tracing: boolean }) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: FUNCTION_LOG_RETENTION });
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    // logs:CreateLogStream and logs:PutLogEvents on this group's ARN (which ends in :*, its streams).
    this.logGroup.grantWrite(this.role);
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions ' +
          '(the X-Ray service authorization reference lists no resource type for them), so their Resource must be *. ' +
          'test/infra/security.test.ts checks that no other action of a function role is granted on *.',
      });
    }
  }
}
