/**
 * A report's files: what may be uploaded, and the one rule for a file's name and object key, so the
 * upload and the hand-in that names it refuse the same things.
 */
import type { FieldDetail } from '../errors';

/** What each report must be accompanied by: the signed PDF (and, for a forum's statistics, photos may follow). */
export const ATTACHMENT_RULES = {
  /** PDF for the signed report; photos as JPEG or PNG */
  contentTypes: ['application/pdf', 'image/jpeg', 'image/png'] as readonly string[],
  maxBytes: 20 * 1024 * 1024,
  maxFiles: 10,
} as const;

/** S3's limit on an object key: 1,024 bytes of UTF-8. */
export const OBJECT_KEY_MAX_BYTES = 1024;
/** A name longer than this is no file name a person gave (and pages show it whole). */
const FILE_NAME_MAX_CHARS = 200;
/**
 * Characters no file name needs and a key or a page must not carry: control characters (C0, DEL,
 * C1), line and paragraph separators, the bidirectional overrides and isolates (U+202E makes
 * `x<U+202E>fdp.exe` read as `xexe.pdf`), and lone surrogates (no UTF-8 form: encoding one throws).
 */
const ODD_CHARACTERS = /[\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** The key of the file `fileName` in `folder`: the name URL-encoded, so whatever it holds it stays one segment. */
export const fileKey = (folder: string, fileName: string) => `${folder}${encodeURIComponent(fileName)}`;

/**
 * The one rule for a report file's name, as the last segment of its object keys: checked when an
 * upload is asked for (so no URL is signed for a key S3 or the hand-in would refuse) and again
 * when a report names the upload's key (readFileKey), so both say the same. `folders` are every
 * folder the file will be kept under (its upload's, and the one a report moves it to): the whole
 * key under the longest counts against S3's 1,024 bytes, the name as encoded (a Chinese
 * character is 9 bytes: %E8%AF%B7). A path separator, `..` or an odd character is refused
 * however it would be encoded: nobody names a report that way, and it is what an attack on a
 * path looks like.
 */
export function fileNameProblem(
  fileName: string,
  folders: readonly string[],
): { code: 'REQUIRED' | 'INVALID_VALUE' | 'TOO_LONG'; message: string } | undefined {
  if (!fileName.trim()) return { code: 'REQUIRED', message: 'the file name (without folders)' };
  if (/[\\/]/.test(fileName) || fileName.includes('..') || fileName === '.' || ODD_CHARACTERS.test(fileName))
    return {
      code: 'INVALID_VALUE',
      message: 'a file name without folders: no / or \\, no "..", no control or direction characters',
    };
  const keyBytes = Math.max(...folders.map((folder) => utf8Bytes(fileKey(folder, fileName))));
  if ([...fileName].length > FILE_NAME_MAX_CHARS || keyBytes > OBJECT_KEY_MAX_BYTES)
    return {
      code: 'TOO_LONG',
      message:
        `the file name is too long: at most ${FILE_NAME_MAX_CHARS} characters, and its storage key (the name URL-encoded, a Chinese ` +
        `character as 9 bytes) within ${OBJECT_KEY_MAX_BYTES} bytes; this one would take ${keyBytes}`,
    };
  return undefined;
}

/**
 * The upload a key names, when it is a key fileKey made for a name the rule takes, in one upload
 * folder (`{parent}{upload id}/`) right under `parent`; undefined for any other key (another
 * report's, one with folders of its own, one not encoded as made here, or a name the rule refuses).
 * `alsoKeptUnder` gives the other folders the file will be kept under, for the rule's length.
 */
export function readFileKey(
  key: string,
  parent: string,
  alsoKeptUnder: (folder: string) => readonly string[] = () => [],
): { folder: string; fileName: string } | undefined {
  if (!key.startsWith(parent)) return undefined;
  const parts = /^([A-Za-z0-9-]{1,64})\/([^/]+)$/.exec(key.slice(parent.length));
  if (!parts) return undefined;
  let fileName: string;
  try {
    fileName = decodeURIComponent(parts[2]);
  } catch {
    return undefined; // not UTF-8 once decoded
  }
  const folder = `${parent}${parts[1]}/`;
  if (fileKey(folder, fileName) !== key || fileNameProblem(fileName, [folder, ...alsoKeptUnder(folder)]))
    return undefined;
  return { folder, fileName };
}

/**
 * Reads an attachment announced for upload (its name, type and size are checked before any URL is
 * signed). `folders`: where the file will be kept (see fileNameProblem).
 */
export function readUploadRequest(
  body: unknown,
  folders: readonly string[],
): { ok: true; fileName: string; contentType: string; size: number } | { ok: false; details: FieldDetail[] } {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const details: FieldDetail[] = [];
  const fileName = typeof input.fileName === 'string' ? input.fileName.trim() : '';
  const nameProblem = fileNameProblem(fileName, folders);
  if (nameProblem) details.push({ path: 'fileName', ...nameProblem });
  const contentType = typeof input.contentType === 'string' ? input.contentType.trim().toLowerCase() : '';
  if (!ATTACHMENT_RULES.contentTypes.includes(contentType))
    details.push({
      path: 'contentType',
      code: contentType ? 'UNSUPPORTED_TYPE' : 'REQUIRED',
      message: `a report's files are ${ATTACHMENT_RULES.contentTypes.join(', ')} (given ${JSON.stringify(contentType.slice(0, 50))})`,
    });
  const size = input.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1)
    details.push({
      path: 'size',
      code: size === undefined ? 'REQUIRED' : 'INVALID_VALUE',
      message: 'the file size in bytes, a whole number from 1',
    });
  else if (size > ATTACHMENT_RULES.maxBytes)
    details.push({
      path: 'size',
      code: 'TOO_LARGE',
      message: `a file may have at most ${ATTACHMENT_RULES.maxBytes / 1024 / 1024} MB (given ${size} bytes)`,
    });
  return details.length ? { ok: false, details } : { ok: true, fileName, contentType, size: size as number };
}
