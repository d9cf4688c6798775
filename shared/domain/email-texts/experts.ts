/** To the experts: the review round's invitation (one email per expert), a single invitation, the reminder. */
import type { Bilingual, Call, ProjectType } from '@shared/domain/catalogue';
import type { Email } from '@shared/domain/email';
import { countEn, dateTime, numbered, oneLine } from './format';
import { callFooter, greeting, type Lines, lines, toPerson } from './frame';

/** One application as an expert is asked to review it: the name, the type, the unit, its own link. */
export interface ExpertReviewItem {
  title: string;
  typeName: Bilingual;
  unitName: string;
  link: string;
}

type Expert = { name: string; email: string };

/** The project types named by the items (an item carries only the type's name). */
const typesNamed = (call: Call, items: ExpertReviewItem[]): ProjectType[] =>
  call.projectTypes.filter((t) => items.some((item) => item.typeName.zh === t.name.zh));

/** One item; numbered (with its lines indented under the number) when the email lists several. */
function reviewItem(item: ExpertReviewItem, n?: number): Lines {
  const head = n === undefined ? '' : `${n}. `;
  const indent = n === undefined ? '' : '   ';
  return lines(
    { zh: `${head}项目名称：${oneLine(item.title)}`, en: `${head}Title: ${oneLine(item.title)}` },
    { zh: `${indent}项目类型：${item.typeName.zh}`, en: `${indent}Project type: ${item.typeName.en}` },
    { zh: `${indent}申报单位：${item.unitName}`, en: `${indent}Unit: ${item.unitName}` },
    { zh: `${indent}评审链接：${item.link}`, en: `${indent}Review link: ${item.link}` },
  );
}

/** What every expert email says: the deadline, the conflict check first, conflict or decline by the same link, anonymity. */
function expertNotes(call: Call, dueAt: Date, several: boolean): Lines {
  const department = call.staffReview.department;
  const link = several
    ? { zh: '该项目的评审链接', en: "an application's review link" }
    : { zh: '评审链接', en: 'the review link' };
  const notes = lines(
    {
      zh: `打开${link.zh}后，页面会先请您确认与该项目不存在利益冲突（例如您是申报单位的会员或在其任职、申请书中列有您本人，或申报单位申请您回避），确认后方可按评分表打分并提交。`,
      en: `When you open ${link.en}, the page first asks you to confirm that you have no conflict of interest with the application (for example, you are a member or officer of the applying unit, the application names you, or the unit asked that you not review it); only then can you score it on the scoring form and submit.`,
    },
    {
      zh: `如存在利益冲突，或无法在截止时间前完成评审，请通过同一链接声明利益冲突或婉拒评审，${department.zh}将另行安排其他专家。`,
      en: `If you have a conflict of interest, or cannot finish the review by the deadline, declare the conflict or decline through the same link; ${department.en} will ask another expert.`,
    },
    {
      zh: '评审专家的姓名不会向申报单位和申报人公开，请勿与申报单位联系或透露评审情况。',
      en: "Experts' names are never shown to the applying units or the applicants; please do not contact the units or discuss the review.",
    },
    several
      ? {
          zh: '每个链接仅用于对应项目的评审，提交一次即失效（评审截止或撤销后也会失效），请勿转发。',
          en: "Each link is for that one application's review and works once: it stops working once answered (or when the review closes or is withdrawn). Please do not forward them.",
        }
      : {
          zh: '此链接仅用于本项目的评审，提交一次即失效（评审截止或撤销后也会失效），请勿转发。',
          en: 'This link is for this one review and works once: it stops working once answered (or when the review closes or is withdrawn). Please do not forward it.',
        },
  );
  const due = dateTime(dueAt);
  return lines(
    { zh: `评审截止时间：${due.zh}前（北京时间）`, en: `Review due: ${due.en} Beijing time` },
    { zh: '评审须知：', en: 'Please note:' },
    { zh: numbered(notes.zh), en: numbered(notes.en) },
  );
}

/**
 * The one builder of the three expert emails: they differ only in subject and opening, and in
 * whether they list the round's items (numbered, each link its own) or hold a single one.
 */
function expertEmail(
  expert: Expert,
  call: Call,
  dueAt: Date,
  email: { template: string; subject: string; opening: Bilingual; items: ExpertReviewItem[]; digest: boolean },
): Email {
  const items = email.digest
    ? lines('', ...email.items.map((item, i) => reviewItem(item, i + 1)))
    : lines(...email.items.map((item) => reviewItem(item)));
  return toPerson(
    expert,
    email.template,
    email.subject,
    lines(
      greeting(expert.name),
      email.opening,
      items,
      '',
      expertNotes(call, dueAt, email.digest),
      callFooter(call, typesNamed(call, email.items)),
    ),
  );
}

/** One email per expert for the review round: every application assigned to them, each with its own link. */
export function expertDigestEmail(expert: Expert, call: Call, items: ExpertReviewItem[], dueAt: Date): Email {
  const n = items.length;
  return expertEmail(expert, call, dueAt, {
    template: 'expert-review-request',
    subject: `【专家评审邀请】${call.year}年度学会学术项目（共${n}项，${dateTime(dueAt).zh}前）/ Expert review: ${countEn(n, 'application')}`,
    opening: {
      zh: `${call.issuer.zh}诚邀您担任《${call.title.zh}》（${call.documentNo}）的评审专家。分配给您评审的申报项目共${n}项，每项有单独的评审链接：`,
      en: `You are invited by ${call.issuer.en} to review applications under the ${call.title.en} (${call.documentNo}). You are asked to review ${countEn(n, 'application')}, each with its own link:`,
    },
    items,
    digest: true,
  });
}

/** A single invitation (a replacement after a decline or conflict, or an expert staff added). */
export function expertInvitationEmail(expert: Expert, call: Call, item: ExpertReviewItem, dueAt: Date): Email {
  return expertEmail(expert, call, dueAt, {
    template: 'expert-review-invitation',
    subject: `【专家评审邀请】${item.title}（${dateTime(dueAt).zh}前）/ Expert review invitation`,
    opening: {
      zh: `${call.issuer.zh}诚邀您评审《${call.title.zh}》（${call.documentNo}）的以下申报项目：`,
      en: `You are invited by ${call.issuer.en} to review this application under the ${call.title.en} (${call.documentNo}):`,
    },
    items: [item],
    digest: false,
  });
}

/** Reminder before the review deadline (3 days, 1 day). */
export function expertReminderEmail(expert: Expert, call: Call, item: ExpertReviewItem, dueAt: Date): Email {
  const due = dateTime(dueAt);
  return expertEmail(expert, call, dueAt, {
    template: 'expert-review-reminder',
    subject: `【评审提醒】${item.title}（${due.zh}前）/ Reminder: expert review due`,
    opening: {
      zh: `您尚未完成以下申报项目的评审，评审将于${due.zh}（北京时间）截止，请及时评审：`,
      en: `Your review of this application is not done yet; the review closes ${due.en} Beijing time:`,
    },
    items: [item],
    digest: false,
  });
}
