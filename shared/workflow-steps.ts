import { randomUUID } from 'node:crypto';
import type { ApplicationRecord } from '@shared/application-record';
import { getCall, getProjectType, submissionOpen, type Call } from '@shared/catalogue';
import { now, toBeijingIso } from '@shared/clock';
import { sendEmailOnce } from '@shared/email';
import { formalCheckPassedEmail, receiptEmail, rejectedEmail, returnedForCorrectionEmail } from '@shared/email-texts';
import { readEnv } from '@shared/env';
import { formalCheck } from '@shared/formal-check';
import { getApplication, listPendingStarts, updateApplication } from '@shared/store/applications';
import { closeTask, listDueTasks, putTask } from '@shared/store/tasks';
import { ensureWorkflowStarted, failTask, isTokenGone } from '@shared/workflow';

/**
 * The automatic stages of an application's workflow. Each is safe to run twice (Step Functions
 * retries a Lambda that timed out after doing its work): writes are conditional and emails are sent
 * once per (application, stage, version).
 */

/** Thrown to the state machine, which catches it by name (Catch ErrorEquals: ['Withdrawn']). */
export class WorkflowSignal extends Error {
  constructor(name: 'Withdrawn' | 'DeadlinePassed' | 'ApplicationMissing', message: string) {
    super(message);
    this.name = name;
  }
}

let apiBase: string | undefined;
const publicBase = () => (apiBase ??= readEnv(['PUBLIC_BASE_URL']).PUBLIC_BASE_URL.replace(/\/?$/, '/'));

async function load(applicationId: string): Promise<{ app: ApplicationRecord; call: Call }> {
  const app = await getApplication(applicationId);
  if (!app) throw new WorkflowSignal('ApplicationMissing', `Application ${applicationId} does not exist`);
  if (app.status === 'WITHDRAWN') throw new WorkflowSignal('Withdrawn', `Application ${applicationId} was withdrawn`);
  const call = getCall(app.callId);
  if (!call) throw new Error(`Call ${app.callId} of application ${applicationId} is not in the catalogue`);
  return { app, call };
}

export async function sendReceipt(applicationId: string) {
  const { app, call } = await load(applicationId);
  const type = getProjectType(call, app.projectTypeId);
  if (!type) throw new Error(`Unknown project type ${app.projectTypeId}`);
  const at = toBeijingIso(now());
  const sent = await sendEmailOnce(`${applicationId}#receipt`, receiptEmail(app, call, type, publicBase()), at);
  // Recorded whether this attempt or an earlier one sent it: a retry after a failed write heals the history.
  await updateApplication(applicationId, {
    entry: { stage: 'Receipt', result: 'RECEIPT_SENT', at, detail: { to: app.form.contact.email } },
    once: 'receipt',
  });
  return { sent };
}

export async function runFormalCheck(applicationId: string) {
  const { app, call } = await load(applicationId);
  const result = formalCheck(call, app.form);
  const at = toBeijingIso(now());
  const once = `formal-check-v${app.version}`;
  const recorded = await updateApplication(applicationId, {
    set: {
      formalCheck: { ...result, checkedAt: at },
      ...(result.passed ? { status: 'FORMAL_CHECK_PASSED' as const } : {}),
    },
    entry: { stage: 'FormalCheck', result: result.passed ? 'PASSED' : 'FAILED', at, detail: { reasons: result.reasons.length, version: app.version } },
    whenStatusIn: ['SUBMITTED', 'RETURNED_FOR_CORRECTION'],
    once,
  });
  if (!recorded) {
    // Either a retry of this very check (already recorded: carry on) or the unit withdrew meanwhile.
    const current = await getApplication(applicationId);
    if (!current?.marks?.[once] || current.status === 'WITHDRAWN') {
      throw new WorkflowSignal('Withdrawn', `Application ${applicationId} left the formal check meanwhile`);
    }
  }
  if (result.passed) {
    await sendEmailOnce(`${applicationId}#formal-check-passed`, formalCheckPassedEmail(app, call), at);
  }
  return { passed: result.passed, reasons: result.reasons.length, version: app.version };
}

/**
 * Returns the application to its unit and parks the workflow on a task that the unit's amendment
 * completes, or that the deadline sweep fails with DeadlinePassed when the online deadline passes.
 */
export async function returnForCorrection(applicationId: string, taskToken: string) {
  const { app, call } = await load(applicationId);
  const at = now();
  if (submissionOpen(call, at) === 'closed') {
    throw new WorkflowSignal('DeadlinePassed', 'The online deadline passed before the application was corrected');
  }
  const taskId = randomUUID();
  await putTask({
    taskId,
    kind: 'amendment',
    applicationId,
    token: taskToken,
    state: 'OPEN',
    dueAt: new Date(call.submissionDeadline).toISOString(),
    createdAt: toBeijingIso(at),
  });
  const reasons = app.formalCheck?.reasons ?? [];
  const parked = await updateApplication(applicationId, {
    set: { status: 'RETURNED_FOR_CORRECTION', openTaskId: taskId },
    entry: { stage: 'Correction', result: 'RETURNED_FOR_CORRECTION', at: toBeijingIso(at), detail: { reasons } },
    whenStatusIn: ['SUBMITTED', 'RETURNED_FOR_CORRECTION'],
  });
  if (!parked) {
    await closeTask(taskId, 'CANCELLED', toBeijingIso(at));
    throw new WorkflowSignal('Withdrawn', `Application ${applicationId} was withdrawn before it could be returned`);
  }
  await sendEmailOnce(
    `${applicationId}#returned#v${app.version}`,
    returnedForCorrectionEmail(app, call, reasons, publicBase()),
    toBeijingIso(at),
  );
  return { taskId };
}

/** Why an application still short of the rules when the online deadline passed is not accepted. */
export const DEADLINE_REJECTION = {
  zh: '未在网上申报截止时间前按形式审查意见修改完成',
  en: 'not corrected as the formal check required before the online deadline',
} as const;

export async function recordRejection(applicationId: string, reason: { zh: string; en: string }) {
  const { app, call } = await load(applicationId);
  const at = toBeijingIso(now());
  const recorded = await updateApplication(applicationId, {
    set: { status: 'REJECTED', outcome: { result: 'REJECTED', reason: reason.en, at } },
    remove: ['openTaskId'],
    entry: { stage: 'Outcome', result: 'REJECTED', at, detail: reason },
    whenStatusIn: ['SUBMITTED', 'RETURNED_FOR_CORRECTION'],
  });
  if (recorded) await sendEmailOnce(`${applicationId}#rejected`, rejectedEmail(app, call, reason), at);
  return { rejected: recorded };
}

export async function recordFailure(applicationId: string, stage: string, error: { Error?: string; Cause?: string }) {
  const at = toBeijingIso(now());
  await updateApplication(applicationId, {
    set: { failure: { stage, error: error.Error ?? 'Unknown', cause: error.Cause?.slice(0, 2000), at } },
    entry: { stage: 'Workflow', result: 'FAILED', at, detail: { stage, error: error.Error } },
  });
  return { recorded: true };
}

/** How long a submission has to start its own workflow before the sweep does it instead. */
const START_GRACE_MS = 60_000;

/**
 * The scheduled sweep: starts the workflow of any application whose start was not confirmed, then
 * expires every open task whose deadline has passed on the given clock: the task is closed first
 * (so an answer racing the sweep cannot also win), then its workflow is told DeadlinePassed.
 */
export async function sweepDeadlines(at: Date = now()) {
  let started = 0;
  for (const applicationId of await listPendingStarts(new Date(at.getTime() - START_GRACE_MS))) {
    await ensureWorkflowStarted(applicationId);
    started++;
  }
  let expired = 0;
  for (const task of await listDueTasks(at)) {
    if (await closeTask(task.taskId, 'EXPIRED', toBeijingIso(at))) {
      await failTask(task.token, 'DeadlinePassed', `Task ${task.kind} was due at ${task.dueAt}`).catch(async (error: Error) => {
        if (!isTokenGone(error)) throw error;
        // Nothing waits on the token any more (the execution was lost): record the outcome here.
        if (task.kind === 'amendment') await recordRejection(task.applicationId, DEADLINE_REJECTION).catch(() => undefined);
      });
      expired++;
    }
  }
  return { expired, started };
}
