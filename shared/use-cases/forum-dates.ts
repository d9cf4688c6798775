import { getProjectType, requireCall } from '@shared/domain/catalogue';
import { now, toBeijingIso } from '@shared/domain/clock';
import { DomainError, notFound } from '@shared/domain/errors';
import type { Caller } from '@shared/domain/identity';
import { readForumDates, redatedFromForum, type ObligationRecord } from '@shared/domain/obligations';
import { updateApplication } from '@shared/adapters/dynamodb/application-items';
import { listApplicationObligations, updateObligation } from '@shared/adapters/dynamodb/obligation-items';
import { getTask, moveTaskDue } from '@shared/adapters/dynamodb/task-items';
import { ownApplication } from '@shared/use-cases/application-access';
import { obligationView, openReminders, reminderTaskId } from '@shared/use-cases/obligations';

/**
 * A forum's real dates, recorded by its unit after the award: the form's dates are a plan, and a
 * forum that moves moves the reports due from its end (their reminders with them).
 */

/**
 * `PUT /applications/{applicationId}/forum-dates` (its unit) `{startDate, endDate}`: the forum's
 * reports due again from its real end, until its statistics report (which reports the dates) is
 * accepted. Each bad field named; the same dates again change nothing.
 */
export async function recordForumDates(applicationId: string, caller: Caller, body: unknown) {
  const at = now();
  const when = toBeijingIso(at);
  const app = await ownApplication(applicationId, caller);
  const type = getProjectType(requireCall(app.callId), app.projectTypeId);
  const fromForum = (type?.obligations ?? []).filter((o) => o.report && o.due?.after === 'forum-end');
  if (!fromForum.length) throw notFound(`A forum held by application ${applicationId}`);
  const read = readForumDates(body);
  if (!read.ok)
    throw new DomainError(
      'VALIDATION_FAILED',
      `The forum's dates have ${read.details.length} problem(s)`,
      read.details,
    );
  const owed = (await listApplicationObligations(applicationId)).filter((o) =>
    fromForum.some((f) => f.id === o.obligationId),
  );
  if (!owed.length)
    throw new DomainError(
      'STAGE_NOT_READY',
      "A forum's real dates are recorded after its award; before it, amend the application's form",
    );
  if (owed.some((o) => o.report === 'forum-statistics' && o.state === 'ACCEPTED'))
    throw new DomainError('ALREADY_DONE', "The forum's statistics report was accepted: its dates are settled");

  const redated: ObligationRecord[] = [];
  for (const o of owed) {
    const obligation = fromForum.find((f) => f.id === o.obligationId);
    const same = o.forumDates?.startDate === read.dates.startDate && o.forumDates?.endDate === read.dates.endDate;
    const next =
      obligation && o.state !== 'ACCEPTED' && !same ? redatedFromForum(o, obligation, read.dates, when) : undefined;
    if (!next) {
      redated.push(o);
      continue;
    }
    if (!(await updateObligation(next, [o.state], o.versions)))
      throw new DomainError('BUSY', 'The report changed meanwhile: send the dates again');
    redated.push(next);
    // The sweep's reminders follow the new due date (a report waiting for its date gets them now).
    const task = await getTask(reminderTaskId(o.applicationId, o.obligationId));
    if (!task) await openReminders(next, at);
    else if (task.state === 'OPEN' && next.dueAt && task.dueAt !== next.dueAt)
      await moveTaskDue(task, new Date(next.dueAt), at);
  }
  if (redated.some((o) => o.updatedAt === when && o.forumDates))
    await updateApplication(applicationId, {
      entry: { stage: 'Obligations', result: 'FORUM_DATES_RECORDED', at: when, detail: { ...read.dates } },
    });
  return { applicationId, forumDates: read.dates, obligations: redated.map((o) => obligationView(o)) };
}
