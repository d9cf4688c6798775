/** The pieces every answer form is made of: one POST to the task link, radio answers, reasons, a submit button. */
import type { Bilingual } from '@shared/domain/catalogue';
import { LINK_TASK_ANSWERS, type LinkTaskAnswer, type LinkTaskKind } from '@shared/domain/tasks/record';
import { bi, biBlock, esc, para } from '../frame';
import type { AnswerLabels } from './kind-page';

// Browsers without a date picker show a text box: the pattern and placeholder say what to type.
export const DATE_INPUT_ATTRS = 'pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" placeholder="YYYY-MM-DD"';

export const formOpen = (postUrl: string) =>
  `<form method="post" action="${esc(postUrl)}" enctype="application/x-www-form-urlencoded" accept-charset="utf-8">`;

export const SUBMIT_BUTTON = `<button type="submit">${bi('提交', 'Submit')}</button>`;

export const RECORDED_ON_SUBMISSION = para(
  '提交后即登记，此链接随即失效。',
  'Your answer is recorded on submission, and the link then stops working.',
);

export const radio = (value: string, label: Bilingual) =>
  `<label class="choice"><input type="radio" name="answer" value="${esc(value)}" required> <span>${bi(label.zh, label.en)}</span></label>`;

/** A radio button for each answer of the kind, in the order LINK_TASK_ANSWERS gives them. */
export function radios<K extends LinkTaskKind>(kind: K, labels: AnswerLabels[K]): string[] {
  const answers: readonly LinkTaskAnswer<K>[] = LINK_TASK_ANSWERS[kind];
  return answers.map((a) => radio(a, labels[a]));
}

export const reasonsField = (zh: string, en: string) =>
  [
    `<label class="field" for="reasons">${biBlock(zh, en)}</label>`,
    '<textarea id="reasons" name="reasons" rows="5" maxlength="4000"></textarea>',
  ].join('\n');

/** The section holding a kind's one form: `fields` inside a POST to the task link. */
export function answerSection(postUrl: string, fields: string): string {
  return [
    '<section>',
    `<h2>${biBlock('您的答复', 'Your answer')}</h2>`,
    formOpen(postUrl),
    fields,
    '</form>',
    RECORDED_ON_SUBMISSION,
    '</section>',
  ].join('\n');
}

/** Answers offered as they are, with reasons: for a kind whose page has no form of its own here. */
export function answerFields(choices: readonly string[]): string {
  return [
    `<fieldset><legend>${biBlock('答复', 'Answer')}</legend>`,
    ...choices,
    '</fieldset>',
    reasonsField('理由（每行一条）', 'Reasons, one per line'),
    SUBMIT_BUTTON,
  ].join('\n');
}
