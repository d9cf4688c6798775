import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const s3rverAccount = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The CORS rules of the report files bucket, read from the synthesized template (its access log bucket has none). */
export function corsRulesFromTemplate(template: CfnTemplate): CfnCorsRule[] {
  const buckets = resourcesOfType(template, 'AWS::S3::Bucket').filter(
    ([, bucket]) => bucket.Properties?.CorsConfiguration,
  );
  if (buckets.length !== 1)
    throw new Error(`expected one S3 bucket with CORS rules in the template, found ${buckets.length}`);
  const [[, bucket]] = buckets;
  return ((bucket.Properties?.CorsConfiguration as { CorsRules?: CfnCorsRule[] } | undefined)?.CorsRules ??
    []) as CfnCorsRule[];
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
 * s3rver keeps an object as files named by its key's segments, and a file name may have 255 bytes,
 * where S3 takes a segment as long as the whole 1,024-byte key (a Chinese file name URL-encoded is
 * 9 bytes a character). So, once its signature is checked, a request reaches s3rver with the
 * object's storage key (StoredKeys): every segment too long for a file name stored as a hash of it.
 * Nobody outside sees it: keys in s3rver's XML answers (listings, errors) are its original ones.
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
  const keys = new StoredKeys(path.join(directory, STORED_KEYS_FILE));
  const server = http.createServer((request, response) => {
    const check = options.verifyPresigned !== false && request.method !== 'OPTIONS'; // S3 does not authenticate preflights
    // The signature is of the request as sent: checked before its keys are turned into storage keys.
    const problem = check ? presignedSignatureProblem(request, (id) => secrets.get(id)) : undefined;
    if (!problem) {
      toStorageKeys(request, bucket, keys);
      answerOriginalKeys(response, keys);
      return s3Handler(request, response);
    }
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

/**
 * The longest key segment (bytes of UTF-8) s3rver is given as it is. It keeps an object as files
 * named by the key's last segment and a suffix (the longest `._S3rver_metadata.json`, 22 bytes), in
 * folders named by the others, and a file name may have 255 bytes: 200 leaves room to spare.
 */
export const STORED_SEGMENT_MAX_BYTES = 200;
/** How a stored segment that is a hash starts; no segment is stored as it is that holds it. */
const HASHED = '~sha256~';
const HASHED_SEGMENTS = /~sha256~[0-9a-f]{64}/g;
/** The hashed segments' originals, one JSON pair a line, beside the bucket folders (s3rver takes only folders for buckets). */
const STORED_KEYS_FILE = 'long-key-segments.jsonl';

/**
 * The key s3rver stores the object `key` under: each segment as it is when it fits a file name,
 * else `~sha256~` and its SHA-256 in hex. A segment that holds `~sha256~` itself is hashed too, so
 * no two keys are stored under one (a segment stored as it is never starts so, and a hashed one is
 * a hash of its whole original), and whatever `~sha256~…` an answer holds is a hashed segment. Deterministic, so objects kept in a data folder are found
 * again after a restart.
 */
export function storedKey(key: string): string {
  return key.split('/').map(storedSegment).join('/');
}

const storedSegment = (segment: string) =>
  Buffer.byteLength(segment, 'utf8') <= STORED_SEGMENT_MAX_BYTES && !segment.includes(HASHED)
    ? segment
    : `${HASHED}${createHash('sha256').update(segment, 'utf8').digest('hex')}`;

/** storedKey, with each hashed segment's original remembered (in memory and in `file`, across restarts) to map answers back. */
class StoredKeys {
  private readonly originals = new Map<string, string>();

  constructor(private readonly file: string) {
    let lines: string[] = [];
    try {
      lines = readFileSync(file, 'utf8').split('\n');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of lines) {
      try {
        const [stored, original] = JSON.parse(line) as [unknown, unknown];
        if (typeof stored === 'string' && typeof original === 'string') this.originals.set(stored, original);
      } catch {
        // an empty line, or one cut short by a crash while it was written: its key was not stored either
      }
    }
  }

  stored(key: string): string {
    const stored = storedKey(key);
    if (stored === key) return key;
    const segments = key.split('/');
    stored.split('/').forEach((segment, i) => {
      if (segment === segments[i] || this.originals.has(segment)) return;
      this.originals.set(segment, segments[i]);
      appendFileSync(this.file, `${JSON.stringify([segment, segments[i]])}\n`);
    });
    return stored;
  }

  /** `text` with each hashed segment it holds replaced by its original, through `escape`. */
  originalsIn(text: string, escape: (segment: string) => string): string {
    return text.replace(HASHED_SEGMENTS, (stored) => {
      const original = this.originals.get(stored);
      return original === undefined ? stored : escape(original);
    });
  }
}

/** The query parameters of a listing that hold (the start of) a key. */
const KEY_QUERY_PARAMETERS = new Set(['prefix', 'marker', 'start-after']);

/**
 * Puts the storage keys (storedKey) of a request to `bucket` in place of its keys, path-style as
 * local mode's endpoint is: the object's path, the source of a copy (x-amz-copy-source), and a
 * listing's prefix, marker and start-after. Anything it cannot read (not percent-encoding, another
 * bucket) goes on unchanged for s3rver to answer. (A listing's prefix that ends inside a segment
 * stored hashed does not find that segment's objects: nothing here lists that way.)
 */
function toStorageKeys(request: IncomingMessage, bucket: string, keys: StoredKeys): void {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const [rawPath, query] = queryAt < 0 ? [url, ''] : [url.slice(0, queryAt), url.slice(queryAt)];
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return undefined;
    }
  };
  const bucketPath = `/${bucket}`;
  if (rawPath.startsWith(`${bucketPath}/`) && rawPath.length > bucketPath.length + 1) {
    const key = decode(rawPath.slice(bucketPath.length + 1));
    const stored = key === undefined ? key : keys.stored(key);
    if (stored !== key) request.url = `${bucketPath}/${(stored as string).split('/').map(uriEncode).join('/')}${query}`;
  } else if ((rawPath === bucketPath || rawPath === `${bucketPath}/`) && query) {
    let changed = false;
    const pairs = query
      .slice(1)
      .split('&')
      .map((pair) => {
        const equals = pair.indexOf('=');
        if (equals < 0 || !KEY_QUERY_PARAMETERS.has(decode(pair.slice(0, equals)) ?? '')) return pair;
        const value = decode(pair.slice(equals + 1));
        const stored = value === undefined ? value : keys.stored(value);
        if (stored === value) return pair;
        changed = true;
        return `${pair.slice(0, equals)}=${uriEncode(stored as string)}`;
      });
    if (changed) request.url = `${rawPath}?${pairs.join('&')}`;
  }

  // x-amz-copy-source: `[/]bucket/key[?versionId=…]`, the key URL-encoded. s3rver reads it with
  // decodeURI (which leaves reserved characters encoded): the storage key is given so, when it differs.
  const copySource = request.headers['x-amz-copy-source'];
  if (typeof copySource === 'string') {
    const source = copySource.startsWith('/') ? copySource.slice(1) : copySource;
    const versionAt = source.indexOf('?');
    const [sourcePath, version] = versionAt < 0 ? [source, ''] : [source.slice(0, versionAt), source.slice(versionAt)];
    const slash = sourcePath.indexOf('/');
    const key =
      slash < 0 || decode(sourcePath.slice(0, slash)) !== bucket ? undefined : decode(sourcePath.slice(slash + 1));
    const stored = key === undefined ? key : keys.stored(key);
    if (stored !== key) request.headers['x-amz-copy-source'] = `/${bucket}/${encodeURI(stored as string)}${version}`;
  }
}

/** s3rver's XML answers (a listing's keys and prefixes, an error's key) with each hashed segment's original. */
function answerOriginalKeys(response: ServerResponse, keys: StoredKeys): void {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    const [body] = args;
    if (
      (typeof body === 'string' || Buffer.isBuffer(body)) &&
      !response.headersSent &&
      /xml/i.test(String(response.getHeader('content-type') ?? ''))
    ) {
      const text = body.toString();
      const answer = keys.originalsIn(text, escapeXml);
      if (answer !== text) {
        args[0] = answer;
        response.setHeader('content-length', Buffer.byteLength(answer, 'utf8'));
      }
    }
    return end(...args);
  }) as typeof response.end;
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
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
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
        return equals < 0
          ? [decodeURIComponent(pair), '']
          : [decodeURIComponent(pair.slice(0, equals)), decodeURIComponent(pair.slice(equals + 1))];
      });
  } catch {
    return 'the query string is not valid percent-encoding';
  }
  const param = (name: string) => params.find(([key]) => key === name)?.[1];
  if (param('X-Amz-Algorithm') === undefined) return undefined;
  const [signature, credential, amzDate, signedHeaderList] = [
    'X-Amz-Signature',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
  ].map(param);
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
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  const sent = signedHeaders
    .filter((name) => name !== 'host')
    .map((name) => `${name}: ${String(request.headers[name] ?? '(none)')}`);
  return `signed headers ${signedHeaderList}${sent.length ? `; sent ${sent.join(', ')}` : ''}`;
}
