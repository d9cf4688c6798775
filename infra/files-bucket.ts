import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where uploads wait until a report names them; what is left there is deleted after a day. */
export const PENDING_PREFIX = 'pending/';
/** Where a submitted report's files are kept. */
export const REPORTS_PREFIX = 'reports/';

/**
 * The bucket of report attachments (shared/adapters/files.ts). Private: the browser uploads straight
 * to it with a presigned PUT under pending/ (hence CORS for PUT and GET from any origin: the URL, not
 * the origin, is the authority), a submitted report's files are copied under reports/, and staff
 * download them with presigned GETs. Local mode gives s3rver's bucket the CORS rules of this same
 * definition, read back out of the synthesized template.
 */
export class ReportFilesBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
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
