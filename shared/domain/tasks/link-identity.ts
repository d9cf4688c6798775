/**
 * The identity of a task link (the task-link contract, docs/design.md#the-task-link-contract): an
 * email carries `{API base}/tasks/{taskId}?sig={sig}`, never the Step Functions task token.
 *
 * - The task id is derived, not random: an HMAC of the task's internal name (for example
 *   `${applicationId}#formal-review#r1`) under the link key, cut to 22 base64url characters
 *   (132 bits). Without the key it cannot be guessed; with it, a retried workflow step opens the
 *   same task again, and a link already mailed keeps working after a restart.
 * - The signature binds the id to the assignee's address, so a link works only as it was sent.
 *
 * Pure functions over a key the caller supplies (Secrets Manager/SSM on AWS, `.local/` locally).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Length of a task id: 22 base64url characters = 132 bits. */
export const TASK_ID_LENGTH = 22;
/** Length of a link signature: 32 base64url characters = 192 bits. */
export const LINK_SIGNATURE_LENGTH = 32;
/** A shorter key is a misconfiguration (an empty secret would make every link forgeable). */
export const MIN_LINK_KEY_BYTES = 16;

const TASK_ID_RE = /^[A-Za-z0-9_-]{22}$/;

function hmac(key: Buffer, data: string): string {
  if (!Buffer.isBuffer(key) || key.length < MIN_LINK_KEY_BYTES) {
    throw new RangeError(`task-link key must be a Buffer of at least ${MIN_LINK_KEY_BYTES} bytes`);
  }
  return createHmac('sha256', key).update(data, 'utf8').digest('base64url');
}

/** The task id of the task named `name` (deterministic: the same name and key give the same id). */
export function linkTaskId(key: Buffer, name: string): string {
  return hmac(key, `task-id\n${name}`).slice(0, TASK_ID_LENGTH);
}

/** The signature a link to `taskId` for `assigneeEmail` carries (the address is compared case-insensitively). */
export function linkSignature(key: Buffer, taskId: string, assigneeEmail: string): string {
  return hmac(key, `task-link\n${taskId}\n${assigneeEmail.toLowerCase()}`).slice(0, LINK_SIGNATURE_LENGTH);
}

/** Whether `sig` is the signature of `taskId` for `assigneeEmail`, compared in constant time. */
export function verifyLinkSignature(key: Buffer, taskId: string, assigneeEmail: string, sig: unknown): boolean {
  if (typeof sig !== 'string' || sig.length !== LINK_SIGNATURE_LENGTH) return false;
  const expected = Buffer.from(linkSignature(key, taskId, assigneeEmail), 'utf8');
  const given = Buffer.from(sig, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The link an email carries: `${apiBase}tasks/${taskId}?sig=${sig}`. */
export function taskLink(apiBase: string, taskId: string, sig: string): string {
  const base = apiBase.endsWith('/') ? apiBase : `${apiBase}/`;
  return `${base}tasks/${encodeURIComponent(taskId)}?sig=${encodeURIComponent(sig)}`;
}

/** Whether `id` has the shape of a task id (22 base64url characters), checked before it reaches a key. */
export function isTaskIdShaped(id: string): boolean {
  return typeof id === 'string' && TASK_ID_RE.test(id);
}
