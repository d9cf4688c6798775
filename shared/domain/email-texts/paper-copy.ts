/** The paper copy: what the unit prints, stamps and sends, its receipt, and the reminders before its deadline. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { projectName } from './application';
import { copiesEn, dateTime, isoDate, numbered } from './format';
import { type Lines, lines, toUnit, unitPage } from './frame';

/** What the call asks of the paper copy; a call that says nothing asks one stamped copy, sent to the department. */
export function paperCopyTerms(call: Call): { copies: number; sealed: boolean; recipient: Bilingual; form: Bilingual } {
  const paper = call.paperCopy;
  const formName = call.applicationFormName;
  return {
    copies: paper?.copies ?? 1,
    sealed: paper?.sealRequired !== false,
    recipient: paper?.recipient ?? call.staffReview.department,
    form: formName
      ? { zh: `《${formName.zh}》`, en: `the ${formName.en}` }
      : { zh: '申请书', en: 'the application form' },
  };
}

/**
 * Exactly what to print, stamp and send, how many copies, where and by when: numbered steps. With the
 * web app, its print view (the submitted version, the application's number on every page) is linked.
 */
export function paperSteps(app: ApplicationRecord, call: Call, deadline: Date, unit?: UnitAddressee): Lines {
  const { copies, sealed, recipient, form } = paperCopyTerms(call);
  const address = call.paperCopy?.address;
  const by = dateTime(deadline);
  const printView = unitPage(unit, app, 'print');
  const zh = [
    printView
      ? `打印：登录申报系统打开打印页（与在线提交的版本一致，每页注明申报编号 ${app.applicationId}）：${printView}；`
      : `打印：${form.zh}（与在线提交的版本一致），请在封面注明申报编号 ${app.applicationId}，便于签收登记；`,
    ...(sealed ? ['盖章：在申请书上加盖单位公章；'] : []),
    `份数：一式${copies}份；`,
    `报送至：${recipient.zh}${address ? `（地址：${address.zh}）` : ''}；`,
    `截止时间：${by.zh}前送达（以签收日期为准），逾期不予受理。`,
  ];
  const en = [
    printView
      ? `Print it from the submission system's print view (the version submitted online, the application id ${app.applicationId} on every page): ${printView};`
      : `Print ${form.en} (the same as the version submitted online), with the application id ${app.applicationId} on its cover so it can be logged;`,
    ...(sealed ? ["stamp it with your unit's official seal (单位公章);"] : []),
    `copies: ${copiesEn(copies)};`,
    `send it to ${recipient.en}${address ? ` (${address.en})` : ''};`,
    `it must arrive by ${by.en} Beijing time (the date of receipt counts); late copies are not accepted.`,
  ];
  return { zh: numbered(zh), en: numbered(en) };
}

/** Staff recorded the paper copy. */
export function paperCopyReceivedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  receivedOn: string,
): Email {
  const department = call.staffReview.department;
  const project = projectName(app);
  return toUnit(
    app,
    call,
    unit,
    'paper-copy-received',
    `【纸质材料已签收】${app.form.title} / Paper copy received`,
    lines(
      {
        zh: `${department.zh}已于${isoDate(receivedOn).zh}签收贵单位${project.zh}的纸质申请材料，无需再次报送。`,
        en: `${department.en} received the paper copy of ${project.en} on ${isoDate(receivedOn).en}; there is no need to send it again.`,
      },
      {
        zh: '形式审查、绩效目标审核的结果将另行邮件通知。',
        en: 'You will be told the results of the formal review and the performance-target review by email.',
      },
    ),
  );
}

/** No paper copy recorded yet as the paper deadline nears (3 days and 1 day before). */
export function paperCopyReminderEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee, deadline: Date): Email {
  const department = call.staffReview.department;
  const project = projectName(app);
  const by = dateTime(deadline);
  return toUnit(
    app,
    call,
    unit,
    'paper-copy-reminder',
    `【纸质材料提醒】${app.form.title}（${by.zh}前送达）/ Reminder: paper copy due`,
    lines(
      {
        zh: `截至目前，${department.zh}尚未签收贵单位${project.zh}的纸质申请材料。请于${by.zh}前送达，逾期不予受理。`,
        en: `${department.en} has not yet received the paper copy of ${project.en}. It must arrive by ${by.en} Beijing time; late copies are not accepted.`,
      },
      { zh: '纸质材料报送要求：', en: 'Paper copy:' },
      paperSteps(app, call, deadline, unit),
      {
        zh: '如已寄出，请确认能在截止时间前送达；签收后将邮件通知。',
        en: 'If you have sent it already, make sure it arrives in time; you will be told by email once it is received.',
      },
    ),
  );
}
