import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where uploads wait until a report names them; what is left there is deleted after a day. */
export const PENDING_PREFIX = 'pending/';
/** Where a submitted report's files are kept. */
export const REPORTS_PREFIX = 'reports/';
/** How long the bucket's server access logs are kept: a call's reporting year and some. */
export const ACCESS_LOG_DAYS = 400;

/**
 * The bucket of report attachments (shared/adapters/files.ts). Private: the browser uploads straight
 * to it with a presigned PUT under pending/ (hence CORS for PUT and GET from any origin: the URL, not
 * the origin, is the authority), a submitted report's files are copied under reports/, and staff
 * download them with presigned GETs. Local mode gives s3rver's bucket the CORS rules of this same
 * definition, read back out of the synthesized template.
 *
 * Every request to it (each presigned upload and download included) is recorded in S3 server access
 * logs, in a bucket of their own.
 */
export class ReportFilesBucket extends Construct {
  readonly bucket: Bucket;
  /** The server access logs of `bucket`. */
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // S3 delivers the logs by the log bucket's policy (logging.s3.amazonaws.com, for this source bucket
    // and account only) rather than the legacy LogDeliveryWrite ACL: CDK's flag, for these buckets.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Log delivery writes with SSE-S3 only (not KMS).
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(ACCESS_LOG_DAYS) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log target of the report files bucket. Logging its own accesses would write logs into the ' +
        'bucket they describe (S3 advises against it: every delivery causes another); it holds only logs, is private, TLS-only and expires them.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'report-files/',
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: false,
      // Reports are records of the funded projects: deleting the stack keeps them.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // An upload never attached to a report leaves nothing behind (S3 expires at the first midnight
        // UTC a day after the upload, so within 48 hours).
        { id: 'DeleteUnattachedUploads', prefix: PENDING_PREFIX, expiration: Duration.days(1) },
      ],
      cors: [
        {
          allowedOrigins: ['*'],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedHeaders: ['Content-Type', 'Content-Length'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });
  }
}
