import type { Bilingual } from '@shared/domain/catalogue';
import type { LinkTaskAnswer, LinkTaskKind } from '@shared/domain/tasks/record';
import type { TaskPageView } from '../views';

/**
 * One entry for every link-task kind: a kind added to LINK_TASK_ANSWERS does not compile until each
 * of these tables says what its page shows.
 */
export type ForEachLinkTaskKind<T> = { readonly [K in LinkTaskKind]: T };
/** A label for every answer of every link-task kind. */
export type AnswerLabels = { readonly [K in LinkTaskKind]: { readonly [A in LinkTaskAnswer<K>]: Bilingual } };

/** What a task page shows for one kind of link task; each part is required, so a new kind cannot leave one out. */
export interface KindPage<K extends LinkTaskKind> {
  readonly title: Bilingual;
  readonly answers: AnswerLabels[K];
  /** what the person checks, shown above everything else they read ('' when nothing) */
  readonly checks: (view: TaskPageView) => string;
  /** what the kind judges besides the application: the targets and budget, a report ('' when nothing) */
  readonly material: (view: TaskPageView) => string;
  /** the form or forms taking the answer, shown only while the task is open */
  readonly form: (view: TaskPageView) => string;
}

export type KindPages = { readonly [K in LinkTaskKind]: KindPage<K> };
