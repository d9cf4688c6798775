import { randomUUID } from 'node:crypto';
import type { ApplicationRecord } from '@shared/domain/application-record';
import { getProjectType, REPORT_KINDS, requireCall } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { reportReviewRequestEmail } from '@shared/domain/email-texts';
import { DomainError, notFound, type FieldDetail } from '@shared/domain/errors';
import type { Caller } from '@shared/domain/identity';
import { emailKeys } from '@shared/domain/ids';
import {
  ATTACHMENT_RULES,
  briefOf,
  fileKey,
  readFileKey,
  readReport,
  readUploadRequest,
  reportPathOf,
  type Attachment,
  type ObligationRecord,
  type ReportSubmission,
} from '@shared/domain/obligations';
import { PENDING_TOKEN, type TaskRecord } from '@shared/domain/tasks/record';
import { linkTaskId } from '@shared/domain/tasks/link-identity';
import {
  getObligation,
  getReportVersion,
  listApplicationObligations,
  recordReportVersion,
} from '@shared/adapters/dynamodb/obligation-items';
import { createTask } from '@shared/adapters/dynamodb/task-items';
import { getUnit } from '@shared/adapters/dynamodb/unit-items';
import { copyUpload, deleteFiles, headUpload, presignDownload, presignUpload } from '@shared/adapters/files';
import { linkKey } from '@shared/adapters/link-key';
import { logger } from '@shared/adapters/logger';
import { ownApplication } from '@shared/use-cases/application-access';
import { obligationView } from '@shared/use-cases/obligations';
import { notify } from '@shared/use-cases/steps/common';
import { linkOf } from '@shared/use-cases/tasks/open-link-task';

/**
 * Reports as units hand them in: each file uploaded straight to S3 with a presigned URL (its type
 * and size checked before the URL is signed, and again once uploaded), the report's fields checked
 * for its kind, and a staff task link to review it. (Kept apart from obligations.ts, so only the
 * Lambdas that touch report files are given the bucket.)
 */

const DAY_MS = 24 * 3600_000;
const reviewTaskName = (applicationId: string, obligationId: string, version: number) =>
  `${applicationId}#report-review#${obligationId}#v${version}`;

/** The obligation a report's route names: by its kind, or a duty's statement by the duty's id (reportPathOf). */
async function owedReport(applicationId: string, kind: string, caller: Caller) {
  const app = await ownApplication(applicationId, caller);
  if (kind === 'duty')
    throw notFound(`Report kind ${kind}: a duty's statement is handed in at …/reports/{the duty's id}`);
  const obligation = (await listApplicationObligations(applicationId)).find((o) => reportPathOf(o) === kind);
  if (!obligation)
    throw notFound(
      (REPORT_KINDS as readonly string[]).includes(kind)
        ? `A ${kind} report owed by application ${applicationId}`
        : `Report kind ${kind}`,
    );
  return { app, obligation };
}

const OPEN_TO_REPORTS = ['AWAITING_DATE', 'OPEN', 'RETURNED'] as const;

function requireOpenToReports(o: ObligationRecord): void {
  if (!(OPEN_TO_REPORTS as readonly string[]).includes(o.state)) {
    throw new DomainError(
      'ALREADY_DONE',
      o.state === 'ACCEPTED'
        ? 'This report was accepted'
        : 'This report is with staff for review; it can be handed in again if they return it',
    );
  }
}

/** Uploads wait under pending/ (removed after a day unless a report takes them), then move to reports/. */
const pendingPrefix = (o: ObligationRecord) => `pending/${o.applicationId}/${o.obligationId}/`;
/**
 * Each hand-in copies its files into a folder of its own (see recordWithFiles), named by the version
 * and an id of this many characters.
 */
const HAND_IN_ID_CHARS = 8;
const newHandInId = () => randomUUID().replace(/-/g, '').slice(0, HAND_IN_ID_CHARS);
/**
 * An upload's key (or folder) under pending/, as the hand-in `handInId` of a report's version keeps
 * it under reports/ (for a key's length, before the hand-in, any id of that length).
 */
const keptBy = (version: number, pending: string, handInId = '0'.repeat(HAND_IN_ID_CHARS)) =>
  pending.replace(/^pending\//, `reports/v${version}-${handInId}/`);
/**
 * Asking for an upload, the version it will be handed in with is not known: its name must fit the
 * key under reports/ for versions up to this (each version is a staff return away); the hand-in
 * checks the key against the version it actually is.
 */
const ROOM_FOR_VERSIONS = 9999;

/**
 * `POST /applications/{applicationId}/reports/{kind}/attachments` (its unit): `{fileName, contentType,
 * size}` → a presigned PUT for that one file. Type and size are checked first; nothing is recorded
 * until a report names the upload, so an upload never finished leaves nothing behind.
 */
export async function requestUpload(applicationId: string, kind: string, caller: Caller, body: unknown) {
  const { obligation } = await owedReport(applicationId, kind, caller);
  requireOpenToReports(obligation);
  const folder = `${pendingPrefix(obligation)}${randomUUID()}/`;
  const read = readUploadRequest(body, [folder, keptBy(ROOM_FOR_VERSIONS, folder)]);
  if (!read.ok)
    throw new DomainError('VALIDATION_FAILED', `The file has ${read.details.length} problem(s)`, read.details);
  const key = fileKey(folder, read.fileName);
  const upload = await presignUpload({ key, contentType: read.contentType, size: read.size });
  return {
    key,
    upload: {
      url: upload.url,
      method: upload.method,
      headers: upload.headers,
      expiresAt: toBeijingIso(upload.expiresAt),
    },
    fileName: read.fileName,
  };
}

/** Checks each uploaded file of a report (there, of an accepted type and size) and names every problem. */
async function uploadedFiles(obligation: ObligationRecord, keys: string[]): Promise<Attachment[]> {
  const details: FieldDetail[] = [];
  const files: Attachment[] = [];
  const version = obligation.versions + 1;
  for (const [i, key] of keys.entries()) {
    const path = `attachments.${i}.key`;
    // The rule the upload request applied, so a key no request could have given never reaches S3.
    const upload = readFileKey(key, pendingPrefix(obligation), (folder) => [keptBy(version, folder)]);
    if (!upload) {
      details.push({ path, code: 'INVALID_VALUE', message: 'not an upload made for this report' });
      continue;
    }
    const head = await headUpload(key);
    if (!head)
      details.push({
        path,
        code: 'NOT_UPLOADED',
        message: 'this file was never uploaded (or its upload expired): upload it again',
      });
    else if (head.size > ATTACHMENT_RULES.maxBytes)
      details.push({ path, code: 'TOO_LARGE', message: `the file has ${head.size} bytes` });
    else if (!ATTACHMENT_RULES.contentTypes.includes(head.contentType ?? ''))
      details.push({ path, code: 'UNSUPPORTED_TYPE', message: `the file is ${head.contentType}` });
    else files.push({ key, fileName: upload.fileName, contentType: head.contentType ?? '', size: head.size });
  }
  if (!files.some((f) => f.contentType === 'application/pdf'))
    details.push({ path: 'attachments', code: 'PDF_REQUIRED', message: 'attach the signed report as a PDF' });
  if (details.length)
    throw new DomainError('VALIDATION_FAILED', `The report's files have ${details.length} problem(s)`, details);
  return files;
}

/**
 * `POST /applications/{applicationId}/reports/{kind}` (its unit): `{fields, attachments: [{key}]}`.
 * Checked (every bad field named), the files copied from pending/ to reports/, the version recorded
 * as an item of its own, and staff asked to review it through a task link.
 */
export async function submitReport(applicationId: string, kind: string, caller: Caller, body: unknown) {
  const at = now();
  const { app, obligation } = await owedReport(applicationId, kind, caller);
  requireOpenToReports(obligation);
  const read = readReport(obligation, body);
  if (!read.ok)
    throw new DomainError('VALIDATION_FAILED', `The report has ${read.details.length} problem(s)`, read.details);
  const files = await uploadedFiles(obligation, read.attachmentKeys);
  const version = obligation.versions + 1;
  const handInId = newHandInId();
  const submittedAt = toBeijingIso(at);
  const submission: ReportSubmission = {
    fields: read.fields,
    attachments: files.map((file) => ({ ...file, key: keptBy(version, file.key, handInId) })),
    submittedAt,
    version,
  };
  const next: ObligationRecord = {
    ...obligation,
    state: 'SUBMITTED',
    versions: version,
    latest: briefOf(submission),
    firstSubmittedAt: obligation.firstSubmittedAt ?? at.toISOString(),
    // What was achieved stays in the version: for 180 targets it alone is some 270 KB.
    ...(obligation.targets ? { targets: obligation.targets.map(({ achieved: _, ...t }) => t) } : {}),
    updatedAt: submittedAt,
  };
  await recordWithFiles(files, next, submission, obligation.versions);
  await openReview(app, next, version, at);
  return obligationView(next, submission);
}

/**
 * Copies a version's files out of pending/ (which expires) and records the version. When either
 * fails, this hand-in's copies are removed (nothing expires under reports/) and the unit can hand
 * the report in again from the same uploads. A double submit racing it copies into a folder of its
 * own, so the loser removes only its own copies. An error need not mean nothing was written (a
 * timeout after the commit): the version is read back first, so a recorded one keeps its files.
 */
async function recordWithFiles(
  files: Attachment[],
  next: ObligationRecord,
  submission: ReportSubmission,
  versionsWere: number,
): Promise<void> {
  const copies = submission.attachments.map((a) => a.key);
  let recorded: boolean;
  try {
    for (const [i, file] of files.entries()) await copyUpload(file.key, copies[i]);
    recorded = await recordReportVersion(next, submission, OPEN_TO_REPORTS, versionsWere);
  } catch (error) {
    const stored = await getReportVersion(next.applicationId, next.obligationId, submission.version).then(
      (found) => found?.attachments[0]?.key === copies[0],
      () => undefined,
    );
    if (stored) return;
    // Unknown (the read failed too): the copies stay rather than risk a recorded version's files.
    if (stored === false) await removeCopies(copies);
    throw error;
  }
  if (!recorded) {
    await removeCopies(copies);
    throw new DomainError('ALREADY_DONE', 'This report was handed in a moment ago');
  }
}

async function removeCopies(keys: string[]): Promise<void> {
  const left = await deleteFiles(keys);
  if (left.length)
    logger.error('the copies of a failed hand-in could not all be removed: they stay under reports/', { keys: left });
}

/** The staff task that reviews one version of a report: to the type's contact, due in the target-review time. */
async function openReview(app: ApplicationRecord, o: ObligationRecord, version: number, at: Date): Promise<void> {
  const call = requireCall(app.callId);
  const type = getProjectType(call, app.projectTypeId);
  const contact = type?.contact ?? call.staffReview.departmentHead;
  const task: TaskRecord = {
    taskId: linkTaskId(await linkKey(), reviewTaskName(app.applicationId, o.obligationId, version)),
    kind: 'report-review',
    applicationId: app.applicationId,
    callId: app.callId,
    obligationId: o.obligationId,
    reportVersion: version,
    token: PENDING_TOKEN,
    state: 'OPEN',
    dueAt: new Date(at.getTime() + call.staffReview.targetReviewDays * DAY_MS).toISOString(),
    createdAt: toBeijingIso(at),
    assignee: {
      name: contact.name,
      email: contact.email,
      escalateTo: { name: call.staffReview.departmentHead.name, email: call.staffReview.departmentHead.email },
    },
  };
  await createTask(task);
  const unit = await getUnit(app.unitId);
  const email = reportReviewRequestEmail(
    contact,
    app,
    call,
    unit?.name?.zh ?? app.unitId,
    o,
    await linkOf(task),
    new Date(task.dueAt),
  );
  await notify(app.applicationId, emailKeys.staffTask(task.taskId), email, toBeijingIso(at), 'Obligations');
}

/** The report a review task looks at, with download links for its files (for its page). */
export async function reportUnderReview(task: TaskRecord) {
  if (task.kind !== 'report-review' || !task.obligationId) return undefined;
  const obligation = await getObligation(task.applicationId, task.obligationId);
  const version = task.reportVersion ?? obligation?.versions;
  const submission =
    obligation && version ? await getReportVersion(task.applicationId, task.obligationId, version) : undefined;
  if (!obligation || !submission) return undefined;
  const downloads = await Promise.all(
    submission.attachments.map(async (a) => ({
      fileName: a.fileName,
      contentType: a.contentType,
      size: a.size,
      url: await presignDownload(a.key, a.fileName),
    })),
  );
  return { obligation, submission, downloads };
}
