import type { Bilingual } from '@shared/domain/catalogue';
import { type AnswerLabels, type ForEachLinkTaskKind, renderStaffTaskList } from '@shared/domain/tasks/pages';
import { LINK_TASK_KINDS } from '@shared/domain/tasks/record';

// The task pages keep what they show per kind in tables typed like these: a kind added to
// LINK_TASK_ANSWERS, or an answer added to a kind, does not compile until each table has it.
// (Checked by `tsc --noEmit`, which covers test/; an unneeded @ts-expect-error fails it too.)
const title = (en: string): Bilingual => ({ zh: en, en });

// @ts-expect-error a kind left out (report-review)
const missingKind: ForEachLinkTaskKind<Bilingual> = {
  'formal-review': title('Formal review'),
  'paper-copy': title('Paper copy received'),
  'target-review': title('Performance-target review'),
  'expert-review': title('Expert review'),
  'award-confirmation': title('Award confirmation'),
};

const missingAnswer: AnswerLabels = {
  'formal-review': { pass: title('Pass'), return: title('Return'), reject: title('Reject') },
  'paper-copy': { received: title('Received') },
  // @ts-expect-error an answer left out (fail)
  'target-review': { pass: title('Pass') },
  'expert-review': { score: title('Scored'), conflict: title('Conflict'), decline: title('Declined') },
  'award-confirmation': { confirm: title('Confirm'), revise: title('Revise') },
  'report-review': { accept: title('Accept'), return: title('Return') },
};

describe('task pages: every link-task kind', () => {
  test('the type-level checks above are compiled in', () => {
    expect(Object.keys(missingKind)).not.toContain('report-review');
    expect(Object.keys(missingAnswer['target-review'])).toEqual(['pass']);
  });

  test('has a title of its own, not its bare name', () => {
    const due = new Date('2023-09-28T09:00:00Z');
    const tasks = LINK_TASK_KINDS.map((kind) => ({
      taskId: kind,
      kind,
      title: 'T',
      unitName: 'U',
      dueAt: due,
      link: 'http://x/',
      overdue: false,
    }));
    const headings = [
      ...renderStaffTaskList(tasks, due).matchAll(/<h2>([^<]*)<span class="en block" lang="en">([^<]*)<\/span><\/h2>/g),
    ];
    expect(headings).toHaveLength(LINK_TASK_KINDS.length);
    for (const [, zh, en] of headings) {
      expect(LINK_TASK_KINDS as readonly string[]).not.toContain(zh);
      expect(LINK_TASK_KINDS as readonly string[]).not.toContain(en);
    }
  });
});
