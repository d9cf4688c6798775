/**
 * The frame every email shares: a body kept in both languages side by side, the greeting by name,
 * the footer saying whom to ask, and the addressing rules.
 *
 * Unit emails go to the unit's registered address (UnitAddressee, from the units data) and to no
 * other: the form's contact is greeted by name, but its free-text address is never a recipient, or
 * a form could make the association's sender write to an address of its choosing.
 */
import type { ApplicationRecord } from '@shared/domain/application-record';
import { type Bilingual, type Call, getProjectType, type ProjectType } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { capitalise, dateTime, numbered, oneLine } from './format';

/** A body's lines in both languages, built together so that no line can lack its translation. */
export interface Lines {
  zh: string[];
  en: string[];
}

/** A piece of a body: lines, one line in both languages, a line the same in both (a blank, a link), or nothing. */
export type Part = Lines | Bilingual | string | false | undefined;

const isLine = (part: Lines | Bilingual): part is Bilingual => typeof part.zh === 'string';

export function lines(...parts: Part[]): Lines {
  const body: Lines = { zh: [], en: [] };
  for (const part of parts) {
    if (part === false || part === undefined) continue;
    if (typeof part === 'string') {
      body.zh.push(part);
      body.en.push(part);
    } else if (isLine(part)) {
      body.zh.push(part.zh);
      body.en.push(part.en);
    } else {
      body.zh.push(...part.zh);
      body.en.push(...part.en);
    }
  }
  return body;
}

/** The same lines in both languages: what people wrote (a reviewer's comments), ids, links. */
export const verbatim = (items: string[]): Lines => ({ zh: items, en: items });

export const numberedLines = (items: Lines): Lines => ({ zh: numbered(items.zh), en: numbered(items.en) });

/** Every email is bilingual, Chinese first: the units are Chinese societies; English serves reviewers and auditors. */
export const bilingualText = (body: Lines) => [...body.zh, '', '—— English ——', '', ...body.en].join('\n');

export const greeting = (name: string): Bilingual => ({ zh: `${name}同志：您好！`, en: `Dear ${name},` });

export const typeOf = (app: ApplicationRecord, call: Call): ProjectType | undefined =>
  getProjectType(call, app.projectTypeId);

function footer(call: Call, contacts: Lines): Lines {
  const support = call.technicalSupport;
  return lines(
    '',
    '——————————',
    { zh: call.staffReview.department.zh, en: `${capitalise(call.staffReview.department.en)}, ${call.issuer.en}` },
    contacts,
    {
      zh: `申报系统技术支持：${support.organisation.zh} ${support.contacts.map((c) => `${c.name} ${c.phone}`).join('、')}`,
      en: `Submission system technical support: ${support.organisation.en}, ${support.contacts.map((c) => `${c.name} ${c.phone}`).join(', ')}`,
    },
    { zh: '本邮件由系统自动发送，请勿直接回复。', en: 'This email was sent automatically; please do not reply to it.' },
  );
}

/** The footer of an email about one application: its type's contact, if the type is known. */
export function applicationFooter(app: ApplicationRecord, call: Call): Lines {
  const contact = typeOf(app, call)?.contact;
  return footer(
    call,
    lines(
      contact && {
        zh: `项目联系人：${contact.name}，电话 ${contact.phone}`,
        en: `Contact for this project type: ${contact.name}, tel. ${contact.phone}`,
      },
    ),
  );
}

/** The footer of an email about no one application: the types' contacts (if any), each once. */
export function callFooter(call: Call, types: ProjectType[] = []): Lines {
  const contacts = [...new Map(types.map((t) => [`${t.contact.name} ${t.contact.phone}`, t.contact])).values()];
  return footer(
    call,
    lines(
      ...contacts.map((c) => ({
        zh: `项目联系人：${c.name}，电话 ${c.phone}`,
        en: `Contact: ${c.name}, tel. ${c.phone}`,
      })),
    ),
  );
}

/** An email to one person (an expert, a staff member): no copies. */
export const toPerson = (to: { email: string }, template: string, subject: string, body: Lines): Email => ({
  to: to.email,
  subject: oneLine(subject),
  text: bilingualText(body),
  template,
});

/** An email to a unit about its application: to its registered address only (see the top of this file). */
export function toUnit(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  template: string,
  subject: string,
  body: Lines,
): Email {
  const text = bilingualText(lines(greeting(app.form.contact.name), body, applicationFooter(app, call)));
  return { to: unit.email, subject: oneLine(subject), text, template };
}

/** Closes an email whose next step is the association's: whom to call. */
export const ASK_CONTACT: Bilingual = {
  zh: '如有疑问，请联系下方项目联系人。',
  en: 'If you have questions, please call the contact below.',
};

/** The task link works once: said wherever one is sent. */
const LINK_ONCE: Bilingual = {
  zh: '此链接仅用于本项任务，提交一次即失效（任务到期或撤销后也会失效），请勿转发。',
  en: 'This link is for this one task only and works once: it stops working once answered (or when the task expires or is withdrawn). Please do not forward it.',
};

/** A task's due time and its one link, ending every email that asks someone to act through a link. */
export function taskLink(link: string, dueAt?: Date): Lines {
  const due = dueAt && dateTime(dueAt);
  return lines(
    due && { zh: `办理时限：${due.zh}前`, en: `Due: ${due.en} Beijing time` },
    { zh: `办理链接：${link}`, en: `Link: ${link}` },
    LINK_ONCE,
  );
}

/** The web app's page of an application (or a page under it) for the unit, when the unit has the app's address. */
export const unitPage = (unit: UnitAddressee | undefined, app: Pick<ApplicationRecord, 'applicationId'>, page = '') =>
  unit?.appUrl
    ? `${unit.appUrl.replace(/\/?$/, '/')}applications/${app.applicationId}${page ? `/${page}` : ''}`
    : undefined;
