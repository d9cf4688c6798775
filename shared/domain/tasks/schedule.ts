import type { TaskRecord } from './record';

/**
 * When the sweep must act on an open task, and what it does then. Each task carries the instant of
 * its next action in the sweep's index, so a sweep reads only the tasks that need it now, however
 * many wait (an overdue staff task does not come back every minute, only once a day).
 *
 * - amendment (the unit's correction): remind the unit 3 days and 1 day before it is due; expire it
 *   when due (the application is rejected);
 * - paper-copy: remind the unit 3 days and 1 day before the paper deadline; expire it when the grace
 *   period after the deadline ends (the application is rejected: no paper copy);
 * - formal-review, target-review (staff): remind the assignee 3 days and 1 day before due; once due,
 *   remind daily and copy the department head. A staff task never expires by itself: nothing is
 *   rejected because staff were busy;
 * - recovery: start the failed workflow again when due;
 * - expert-review: remind the expert 3 days and 1 day before the review deadline; expire when due
 *   (the slot counts as not returned: an application never waits on a silent expert);
 * - award-confirmation: as a staff task, reminded and never expired;
 * - expert-assignment: at the call's review opening, start the round (once for the call), and look
 *   again a day later if the pool could not serve every application;
 * - batch: run the slice of a call-level job (again, later, if it was cut short);
 * - review-top-up, award-decision: nothing (staff act on the report; the award answers);
 * - obligation (a report an awarded project owes): remind the unit 7 days and 1 day before it is
 *   due, and tell it on the day after a missed due date; then nothing (staff see it overdue);
 * - report-review (staff): as a staff task.
 */
export type TaskAction =
  | { kind: 'remind'; tier: 'before-72h' | 'before-24h' | 'before-7d' | 'before-1d' }
  | { kind: 'missed' }
  | { kind: 'overdue'; day: number }
  | { kind: 'expire' }
  | { kind: 'redrive' }
  | { kind: 'start-round' }
  | { kind: 'run' };

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface Point {
  at: number;
  action: TaskAction;
}

const remindersBefore = (due: number): Point[] => [
  { at: due - 72 * HOUR_MS, action: { kind: 'remind', tier: 'before-72h' } },
  { at: due - 24 * HOUR_MS, action: { kind: 'remind', tier: 'before-24h' } },
];

/** From `due` on, once a day: the latest such instant not after `now` (or `due`), and the one after it. */
function daily(due: number, now: number): number[] {
  const days = now < due ? 0 : Math.floor((now - due) / DAY_MS);
  return [due + days * DAY_MS, due + (days + 1) * DAY_MS];
}

type Scheduled = Pick<TaskRecord, 'kind' | 'dueAt' | 'answerableUntil' | 'createdAt'>;

/** The task's points in time up to and including the first one after `now`. */
function points(task: Scheduled, now: number): Point[] {
  const due = Date.parse(task.dueAt);
  // A link task's own email is its first notice: no reminder falls before it was opened.
  const opened = Date.parse(task.createdAt);
  const reminders = (until: number) => remindersBefore(until).filter((point) => point.at > opened);
  switch (task.kind) {
    case 'recovery':
      return [{ at: due, action: { kind: 'redrive' } }];
    case 'amendment':
      // The unit is reminded even when returned late in the window (the return email may be missed).
      return [...remindersBefore(due), { at: due, action: { kind: 'expire' } }];
    case 'paper-copy':
      return [...reminders(due), { at: Date.parse(task.answerableUntil ?? task.dueAt), action: { kind: 'expire' } }];
    case 'expert-review':
      return [...reminders(due), { at: due, action: { kind: 'expire' } }];
    case 'expert-assignment':
      return daily(due, now).map((at) => ({ at, action: { kind: 'start-round' } as TaskAction }));
    case 'batch':
      return [{ at: due, action: { kind: 'run' } }];
    case 'review-top-up':
    case 'award-decision':
      return [];
    case 'obligation':
      return [
        { at: due - 7 * DAY_MS, action: { kind: 'remind', tier: 'before-7d' } },
        { at: due - DAY_MS, action: { kind: 'remind', tier: 'before-1d' } },
        { at: due + 1, action: { kind: 'missed' } },
      ].filter((point) => point.at > opened || point.action.kind === 'missed') as Point[];
    case 'formal-review':
    case 'report-review':
    case 'award-confirmation':
    case 'target-review': {
      const overdue = daily(due, now).map((at) => ({
        at,
        action: { kind: 'overdue', day: Math.round((at - due) / DAY_MS) } as TaskAction,
      }));
      return [...reminders(due), ...overdue];
    }
  }
}

/**
 * What the sweep does with a task now: the latest action whose time has come (a sweep that missed an
 * earlier reminder sends only the latest one), and when to look at the task next (undefined: never,
 * because its last action ends it).
 */
export function taskSchedule(task: Scheduled, now: Date): { action?: TaskAction; nextAt?: Date } {
  const at = now.getTime();
  const all = points(task, at).sort((a, b) => a.at - b.at);
  const past = all.filter((point) => point.at <= at);
  const next = all.find((point) => point.at > at);
  return { action: past.at(-1)?.action, nextAt: next ? new Date(next.at) : undefined };
}

/** When a new task is first looked at by the sweep. */
export const firstActionAt = (task: Scheduled, now: Date): Date => {
  const { action, nextAt } = taskSchedule(task, now);
  // Opened inside a reminder window (or past due): act on it at once.
  return action ? now : (nextAt ?? now);
};

/** A stable key for an action, so each reminder is sent once however often the sweep runs. */
export const actionKey = (action: TaskAction): string =>
  action.kind === 'remind' ? action.tier : action.kind === 'overdue' ? `overdue-d${action.day}` : action.kind;
