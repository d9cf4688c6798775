import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resourcesOfType, type CfnTemplate } from './synth';

/** The local stand-in of the stack's report-files bucket (the FILES_BUCKET the handlers are given). */
export const LOCAL_FILES_BUCKET = 'funding-call-files';

/** The credentials local mode gives the handlers (and s3rver is told to accept). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** A CORS rule as CloudFormation spells it (AWS::S3::Bucket CorsConfiguration.CorsRules). */
export interface CfnCorsRule {
  AllowedMethods: string[];
  AllowedOrigins: string[];
  AllowedHeaders?: string[];
  ExposedHeaders?: string[];
  MaxAge?: number;
}

export interface LocalFiles {
  /** s3rver's endpoint (path-style: `${url}/${bucket}/${key}`). */
  url: string;
  bucket: string;
  stop(): Promise<void>;
}

// s3rver ships no types; what is used of it.
interface S3rverInstance {
  configureBuckets(): Promise<unknown>;
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  logger: { close(): void };
}
type S3rverClass = new (options: {
  directory: string;
  silent: boolean;
  configureBuckets: { name: string; configs: string[] }[];
  allowMismatchedSignatures?: boolean;
}) => S3rverInstance;
/* eslint-disable @typescript-eslint/no-require-imports -- s3rver is CommonJS without types */
const S3rver = require('s3rver') as S3rverClass;
// s3rver knows one access key (S3RVER) and refuses others as InvalidAccessKeyId: it is told ours.
const s3rverAccount = require('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
/* eslint-enable @typescript-eslint/no-require-imports */

/** The CORS rules of the report files bucket, read from the synthesized template (its access log bucket has none). */
export function corsRulesFromTemplate(template: CfnTemplate): CfnCorsRule[] {
  const buckets = resourcesOfType(template, 'AWS::S3::Bucket').filter(([, bucket]) => bucket.Properties?.CorsConfiguration);
  if (buckets.length !== 1) throw new Error(`expected one S3 bucket with CORS rules in the template, found ${buckets.length}`);
  const [[, bucket]] = buckets;
  return ((bucket.Properties?.CorsConfiguration as { CorsRules?: CfnCorsRule[] } | undefined)?.CorsRules ?? []) as CfnCorsRule[];
}

/**
 * s3rver on 127.0.0.1 with the bucket (and its CORS rules), behind a check of presigned URLs.
 *
 * s3rver 3.7.1 does not verify SigV4 signatures at all (only that the access key is known and that
 * a presigned URL has not expired), so on its own it would store a PUT of any type and size through
 * a URL signed for one PDF of 5 MB. S3 refuses those. So a presigned request's signature is checked
 * here first, as S3 checks it (presignedSignatureProblem): local mode refuses what S3 refuses.
 * Requests the SDK signs in headers (HeadObject, CopyObject) go to s3rver as they are.
 *
 * Objects are kept under `directory` (across restarts) or, without one, in a temporary folder
 * removed on stop.
 */
export async function startLocalFiles(options: {
  port: number;
  directory?: string;
  bucket?: string;
  corsRules?: CfnCorsRule[];
  /** false leaves presigned requests to s3rver alone (only a test of what s3rver checks wants that). */
  verifyPresigned?: boolean;
}): Promise<LocalFiles> {
  const bucket = options.bucket ?? LOCAL_FILES_BUCKET;
  const temporary = options.directory ? undefined : mkdtempSync(path.join(tmpdir(), 'funding-call-files-'));
  const directory = options.directory ?? (temporary as string);
  mkdirSync(directory, { recursive: true });
  s3rverAccount.DUMMY_ACCOUNT.createKeyPair(LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
  const secrets = new Map<string, string>([[LOCAL_CREDENTIALS.accessKeyId, LOCAL_CREDENTIALS.secretAccessKey]]);

  const s3rver = new S3rver({
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: options.corsRules?.length ? [corsXml(options.corsRules)] : [] }],
  });
  const removeTemporary = () => temporary && rmSync(temporary, { recursive: true, force: true });
  const s3Handler = s3rver.callback();
  const server = http.createServer((request, response) => {
    const check = options.verifyPresigned !== false && request.method !== 'OPTIONS'; // S3 does not authenticate preflights
    const problem = check ? presignedSignatureProblem(request, (id) => secrets.get(id)) : undefined;
    if (!problem) return s3Handler(request, response);
    request.resume();
    response.writeHead(403, {
      'content-type': 'application/xml',
      ...(request.headers.origin ? { 'access-control-allow-origin': '*' } : {}),
    });
    response.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method. (${escapeXml(problem)})</Message></Error>`,
    );
  });
  try {
    await s3rver.configureBuckets();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    s3rver.logger.close();
    removeTemporary();
    throw error;
  }
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`,
    bucket,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          s3rver.logger.close();
          removeTemporary();
          resolve();
        });
      }),
  };
}

/** S3's own XML form of the CORS rules, as PutBucketCors takes it. */
function corsXml(rules: CfnCorsRule[]): string {
  const tags = (name: string, values: (string | number)[] | undefined) =>
    (values ?? []).map((value) => `<${name}>${escapeXml(String(value))}</${name}>`).join('');
  const body = rules
    .map(
      (rule) =>
        `<CORSRule>${tags('AllowedOrigin', rule.AllowedOrigins)}${tags('AllowedMethod', rule.AllowedMethods)}${tags('AllowedHeader', rule.AllowedHeaders)}` +
        `${tags('ExposeHeader', rule.ExposedHeaders)}${tags('MaxAgeSeconds', rule.MaxAge === undefined ? undefined : [rule.MaxAge])}</CORSRule>`,
    )
    .join('');
  return `<CORSConfiguration>${body}</CORSConfiguration>`;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** RFC 3986 encoding, as SigV4 canonicalizes query names and values. */
const uriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * Why a presigned (query-string SigV4) request does not match its signature, or undefined when it
 * does or is not presigned. Follows AWS's SigV4 for S3: the canonical request is the method, the
 * path as sent, the query but the signature (names and values RFC 3986-encoded, sorted), every
 * header named in X-Amz-SignedHeaders with its value (a missing one counts as empty), and
 * UNSIGNED-PAYLOAD. Expiry is left to s3rver, which checks it.
 */
export function presignedSignatureProblem(
  request: { method?: string; url?: string; headers: IncomingHttpHeaders },
  secretFor: (accessKeyId: string) => string | undefined,
): string | undefined {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return undefined;
  const rawPath = url.slice(0, queryAt);
  let params: [string, string][];
  try {
    params = url
      .slice(queryAt + 1)
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const equals = pair.indexOf('=');
        return equals < 0 ? [decodeURIComponent(pair), ''] : [decodeURIComponent(pair.slice(0, equals)), decodeURIComponent(pair.slice(equals + 1))];
      });
  } catch {
    return 'the query string is not valid percent-encoding';
  }
  const param = (name: string) => params.find(([key]) => key === name)?.[1];
  if (param('X-Amz-Algorithm') === undefined) return undefined;
  const [signature, credential, amzDate, signedHeaderList] = ['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders'].map(param);
  if (!signature || !credential || !amzDate || !signedHeaderList)
    return 'a presigned URL needs X-Amz-Signature, X-Amz-Credential, X-Amz-Date and X-Amz-SignedHeaders';
  const [accessKeyId, ...scopeParts] = credential.split('/');
  const secret = secretFor(accessKeyId);
  if (secret === undefined) return `unknown access key ${accessKeyId}`;
  if (scopeParts.length !== 4 || scopeParts[3] !== 'aws4_request') return 'malformed X-Amz-Credential';
  const [date, region, service] = scopeParts;

  const canonicalQuery = params
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [uriEncode(key), uriEncode(value)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const signedHeaders = signedHeaderList.split(';');
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = request.headers[name];
      return `${name}:${(Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [
    request.method ?? 'GET',
    rawPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    param('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = scopeParts.join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  const sent = signedHeaders.filter((name) => name !== 'host').map((name) => `${name}: ${String(request.headers[name] ?? '(none)')}`);
  return `signed headers ${signedHeaderList}${sent.length ? `; sent ${sent.join(', ')}` : ''}`;
}
