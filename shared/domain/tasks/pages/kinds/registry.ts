import type { Bilingual } from '@shared/domain/catalogue';
import { type LinkTaskKind, isLinkTaskKind } from '@shared/domain/tasks/record';
import { AWARD_CONFIRMATION } from './award-confirmation';
import { EXPERT_REVIEW } from './expert-review';
import { FORMAL_REVIEW } from './formal-review';
import type { KindPages } from './kind-page';
import { PAPER_COPY } from './paper-copy';
import { REPORT_REVIEW } from './report-review';
import { TARGET_REVIEW } from './target-review';

/** Every link-task kind's page: a kind added to LINK_TASK_ANSWERS does not compile until it is here, whole. */
export const KIND_PAGES: KindPages = {
  'formal-review': FORMAL_REVIEW,
  'paper-copy': PAPER_COPY,
  'target-review': TARGET_REVIEW,
  'expert-review': EXPERT_REVIEW,
  'award-confirmation': AWARD_CONFIRMATION,
  'report-review': REPORT_REVIEW,
};

// A task's kind and answer are stored strings, which may name what this code does not know (a task
// from an older or newer version): such a kind has no page of its own, and such a name is shown as it is.
export const kindPage = (kind: string): KindPages[LinkTaskKind] | undefined =>
  isLinkTaskKind(kind) ? KIND_PAGES[kind] : undefined;

export const kindTitle = (kind: string): Bilingual => kindPage(kind)?.title ?? { zh: kind, en: kind };

export function answerLabel(kind: string, answer: string): Bilingual {
  const labels: Readonly<Record<string, Bilingual>> = kindPage(kind)?.answers ?? {};
  return Object.hasOwn(labels, answer) ? labels[answer] : { zh: answer, en: answer };
}
