import type { FieldDetail } from '../api';
import type { Bilingual } from '../i18n';

/** One item of `POST /calls/{callId}/paper-copies`'s answer, by its place in the stack. */
export interface PaperAnswer {
  index: number;
  applicationId: string;
  status: number;
  state?: 'DONE';
  receivedOn?: string;
  error?: { code: string; message: string; details?: FieldDetail[] };
}

export interface Row {
  key: number;
  applicationId: string;
  /** its own received date, when the envelope came on another day than the rest */
  receivedOn: string;
  answer?: PaperAnswer;
}

/** A day in Beijing as YYYY-MM-DD. */
export const beijingDay = (iso: string) =>
  new Date(iso).toLocaleDateString('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });

/** What one row's answer means, in words: recorded, refused as late, unknown, or what the API said. */
export function answerWords(
  answer: PaperAnswer,
  lastDay: string,
): { kind: 'done' | 'late' | 'refused'; text: Bilingual } {
  if (answer.status === 200)
    return {
      kind: 'done',
      text: { zh: `已登记，收到日期 ${answer.receivedOn ?? ''}`, en: `Recorded, received ${answer.receivedOn ?? ''}` },
    };
  const code = answer.error?.code ?? '';
  const detail = answer.error?.details?.[0]?.code;
  if (detail === 'AFTER_PAPER_DEADLINE')
    return {
      kind: 'late',
      text: {
        zh: `逾期，不予受理：纸质材料须在 ${lastDay} 前收到`,
        en: `Late, refused: a paper copy counts only if received by ${lastDay}`,
      },
    };
  if (code === 'LINK_EXPIRED')
    return {
      kind: 'late',
      text: { zh: '逾期，不予受理：登记期限已过或申请已结束', en: 'Late, refused: recording has closed for it' },
    };
  if (code === 'NOT_FOUND')
    return {
      kind: 'refused',
      text: { zh: '未找到：本次申报中没有这个申请编号', en: 'Unknown: no such application number in this call' },
    };
  if (code === 'ALREADY_DONE')
    return { kind: 'refused', text: { zh: '此前已登记过，未改动', en: 'Already recorded before; nothing changed' } };
  if (detail === 'IN_THE_FUTURE')
    return { kind: 'refused', text: { zh: '收到日期不能晚于今天', en: 'The received date is after today' } };
  if (detail === 'REQUIRED' || detail === 'INVALID_DATE')
    return { kind: 'refused', text: { zh: '请填写收到日期', en: 'Give the received date' } };
  const message = answer.error?.message ?? String(answer.status);
  return { kind: 'refused', text: { zh: `未登记：${message}`, en: `Not recorded: ${message}` } };
}

let nextKey = 1;
export const newRow = (applicationId = ''): Row => ({ key: nextKey++, applicationId, receivedOn: '' });
