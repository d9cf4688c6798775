import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '@shared/adapters/aws-clients';
import { readEnv } from '@shared/adapters/env';

/**
 * Report attachments in S3 (the FILES_BUCKET). The browser uploads a file straight to S3 with a
 * presigned PUT under `pending/…`; when the report is submitted the use case checks the upload
 * (headUpload) and copies it under `reports/…`, where staff download it with a presigned GET. What
 * is left under `pending/` is deleted by the bucket's lifecycle rule after a day; nothing expires
 * under `reports/`, so the copies of a hand-in that failed are deleted by the use case (deleteFiles).
 *
 * A presigned URL carries the authority of the role that signed it: on AWS the Lambda's role, so
 * the function that presigns needs the S3 permission the URL is used for (infra/grants.ts). Expiry
 * is wall-clock time (S3 checks it against its own clock), never the simulated clock of local mode.
 */

/** How long a presigned upload or download URL stays valid. */
export const URL_LIFETIME_SECONDS = 15 * 60;
/** The largest object one PUT may carry (S3's limit). */
const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

export interface PresignedUpload {
  url: string;
  method: 'PUT';
  /** Send exactly these with the body: both are signed, so S3 refuses another type or size. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface UploadedFile {
  size: number;
  contentType?: string;
}

let bucketName: string | undefined;
const bucket = () => (bucketName ??= readEnv(['FILES_BUCKET']).FILES_BUCKET);

/**
 * A presigned PUT of one object of exactly `size` bytes of `contentType` at `key`, valid for 15
 * minutes. Content-Type and Content-Length are signed headers: a request with another type or
 * another body length does not match the signature and S3 answers 403 SignatureDoesNotMatch. (A
 * browser sets Content-Length itself from the body; the header is listed for other clients.)
 */
export async function presignUpload(input: {
  key: string;
  contentType: string;
  size: number;
}): Promise<PresignedUpload> {
  const { key, contentType, size } = input;
  checkKey(key);
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_SINGLE_PUT_BYTES)
    throw new Error(`presignUpload: invalid size ${size}`);
  if (!/^[\w.+-]+\/[\w.+-]+$/.test(contentType))
    throw new Error(`presignUpload: invalid content type ${JSON.stringify(contentType)}`);
  const signingDate = new Date();
  const url = await getSignedUrl(
    s3(),
    new PutObjectCommand({ Bucket: bucket(), Key: key, ContentType: contentType, ContentLength: size }),
    {
      expiresIn: URL_LIFETIME_SECONDS,
      signingDate,
      // The presigner leaves Content-Type unsigned by default; these two are what bind the upload.
      signableHeaders: new Set(['content-type', 'content-length']),
    },
  );
  return {
    url,
    method: 'PUT',
    headers: { 'Content-Type': contentType, 'Content-Length': String(size) },
    expiresAt: new Date(signingDate.getTime() + URL_LIFETIME_SECONDS * 1000),
  };
}

/** The size and type of the object at `key`, or undefined when there is none. */
export async function headUpload(key: string): Promise<UploadedFile | undefined> {
  checkKey(key);
  try {
    const head = await s3().send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    return { size: head.ContentLength ?? 0, ...(head.ContentType ? { contentType: head.ContentType } : {}) };
  } catch (error) {
    // HEAD answers have no body: a missing object is a bare 404 (NotFound). On AWS it is a 404 only
    // to a role that may list the bucket; to others S3 answers 403, which stays an error here.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey' || status === 404)
      return undefined;
    throw error;
  }
}

/** Copies `fromKey` to `toKey` inside the bucket, on the S3 side (type and metadata kept). Throws NoSuchKey when `fromKey` is missing. */
export async function copyUpload(fromKey: string, toKey: string): Promise<void> {
  checkKey(fromKey);
  checkKey(toKey);
  // x-amz-copy-source is a URL path: the key is URL-encoded, its slashes kept.
  const source = `${bucket()}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
  await s3().send(new CopyObjectCommand({ Bucket: bucket(), Key: toKey, CopySource: source }));
}

/**
 * Deletes each object of `keys` (one that is not there is no error, as on S3), each on its own (a
 * hand-in has at most ten files); answers the keys whose deletion failed.
 */
export async function deleteFiles(keys: readonly string[]): Promise<string[]> {
  const results = await Promise.allSettled(
    keys.map(async (key) => {
      checkKey(key);
      await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
    }),
  );
  return keys.filter((_, i) => results[i].status === 'rejected');
}

/** A presigned GET of `key`, valid for 15 minutes, that the browser saves as `fileName`. */
export async function presignDownload(key: string, fileName: string): Promise<string> {
  checkKey(key);
  return getSignedUrl(
    s3(),
    new GetObjectCommand({ Bucket: bucket(), Key: key, ResponseContentDisposition: attachment(fileName) }),
    {
      expiresIn: URL_LIFETIME_SECONDS,
    },
  );
}

/**
 * `attachment` with the name twice (RFC 6266): an ASCII stand-in for old clients, and the exact
 * UTF-8 name (a Chinese file name survives). No quote, backslash or control character gets through.
 */
export function attachment(fileName: string): string {
  const name = withoutControls(fileName).trim() || 'download';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function checkKey(key: string): void {
  if (!key || Buffer.byteLength(key) > 1024 || key.startsWith('/') || withoutControls(key) !== key)
    throw new Error(`Invalid object key ${JSON.stringify(key)}`);
}

const withoutControls = (text: string) =>
  [...text].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
