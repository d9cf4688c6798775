import { type Call, getProjectType } from '@shared/domain/catalogue';
import {
  awardConfirmationEmail,
  awardOutcomeEmail,
  type Email,
  expertDigestEmail,
  expertInvitationEmail,
  expertReminderEmail,
  type ExpertReviewItem,
  expertRoundBlockedEmail,
  reviewShortEmail,
} from '@shared/domain/email-texts';
import { call as theCall } from '../support/fixtures';
import { forumApplication } from '../support/email-fixtures';

/** The real 2024 call, as getCall('gdast-2024') gives it. */
const call: Call = theCall();
const forum = getProjectType(call, 'lingnan-forum')!;
const salon =
  call.projectTypes.find((t) => t.typeId !== forum.typeId && t.contact.name !== forum.contact.name) ??
  call.projectTypes[1];

const { form, app } = forumApplication({ status: 'SCORED', updatedAt: '2023-10-31T10:30:05.000+08:00' });

const { unit } = forumApplication();
const expert = { name: '陈明远', email: 'chen.mingyuan@univ.example.edu.cn' };
const staff = { name: forum.contact.name, email: forum.contact.email };
const head = call.staffReview.departmentHead;
const dueAt = new Date(call.review.deadline); // 2023-10-31 23:59:59.999 Beijing
const linkOf = (i: number) => `https://api.example.org/tasks/t-expert-${i}?sig=s${i}`;

const item = (i: number, type = forum): ExpertReviewItem => ({
  title: `项目${i}：粤港澳大湾区物理前沿论坛`,
  typeName: type.name,
  unitName: `广东省第${i}学会`,
  link: linkOf(i),
});
const items = [item(1), item(2), item(3, salon)];

const zhPart = (email: Email) => email.text.split('—— English ——')[0];
const enPart = (email: Email) => email.text.split('—— English ——')[1];

const awarded = awardOutcomeEmail(app, call, unit, {
  awarded: true,
  amountCny: 100000,
  score: 87.456,
  rank: 3,
  ofCount: 12,
  quota: 5,
});
const notAwarded = awardOutcomeEmail(app, call, unit, {
  awarded: false,
  amountCny: 0,
  score: 71.5,
  rank: 8,
  ofCount: 12,
  quota: 5,
});
const confirmLink = 'https://api.example.org/tasks/t-award-1?sig=xyz';
const confirmDue = new Date('2023-11-07T17:00:00+08:00');
const summary = { version: 2, types: 11, awarded: 40, totalCny: 4250000, unfilled: 3 };

const allEmails: Array<[string, Email]> = [
  ['expert-review-request', expertDigestEmail(expert, call, items, dueAt)],
  ['expert-review-invitation', expertInvitationEmail(expert, call, items[0], dueAt)],
  ['expert-review-reminder', expertReminderEmail(expert, call, items[0], dueAt)],
  ['review-short-of-scores', reviewShortEmail(staff, app, call, unit.unitName, 2, 5, 3)],
  [
    'expert-round-blocked',
    expertRoundBlockedEmail(head, call, [{ applicationId: app.applicationId, reason: 'only 2 eligible experts' }]),
  ],
  ['award-confirmation-request', awardConfirmationEmail(head, call, confirmLink, summary, confirmDue)],
  ['award-outcome', awarded],
];
const expertEmails = allEmails.slice(0, 3);

describe('every expert and award email', () => {
  test.each(allEmails)('%s: template, Chinese first then English, one-line subject, footer', (id, email) => {
    expect(email.template).toBe(id);
    expect(email.text.indexOf('您好！')).toBeLessThan(email.text.indexOf('—— English ——'));
    expect(email.text.indexOf('Dear ')).toBeGreaterThan(email.text.indexOf('—— English ——'));
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(zhPart(email)).toContain(call.staffReview.department.zh);
    expect(zhPart(email)).toContain(call.technicalSupport.organisation.zh);
    expect(zhPart(email)).toContain('本邮件由系统自动发送，请勿直接回复');
    expect(email.text).toContain('please do not reply');
  });

  test.each(allEmails)('%s has no ISO timestamp or date', (_id, email) => {
    for (const s of [email.subject, email.text]) expect(s).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('emails to experts', () => {
  test.each(expertEmails)(
    '%s goes to the expert alone, greets them, the deadline in Beijing time, conflict, decline, anonymity',
    (_id, email) => {
      expect(email.to).toBe(expert.email);
      expect(email.cc).toBeUndefined();
      expect(email.text.startsWith(`${expert.name}同志：您好！\n`)).toBe(true);
      const zh = zhPart(email);
      expect(zh).toContain('2023年10月31日 24时前（北京时间）');
      expect(email.text).toContain('31 October 2023, 24:00 Beijing time');
      expect(zh).toContain('确认与该项目不存在利益冲突');
      expect(zh).toContain('通过同一链接声明利益冲突或婉拒评审');
      expect(zh).toContain('姓名不会向申报单位和申报人公开');
      expect(enPart(email)).toContain('conflict of interest');
      expect(enPart(email)).toContain('declare the conflict or decline through the same link');
      expect(enPart(email)).toContain('never shown to the applying units');
      expect(zh).toContain(items[0].link);
      expect(zh).toContain(items[0].title);
      expect(zh).toContain(items[0].unitName);
      expect(zh).toContain(forum.name.zh);
      expect(zh).toContain(forum.contact.phone);
    },
  );

  test('the digest lists every application, each with its own link once per language', () => {
    const email = expertDigestEmail(expert, call, items, dueAt);
    expect(email.subject).toContain('共3项');
    expect(email.subject).toContain('2023年10月31日 24时前');
    expect(email.subject).toContain('3 applications');
    for (const [i, it] of items.entries()) {
      expect(zhPart(email).split(it.link).length - 1).toBe(1);
      expect(enPart(email).split(it.link).length - 1).toBe(1);
      expect(zhPart(email)).toContain(`${i + 1}. 项目名称：${it.title}`);
      expect(zhPart(email)).toContain(`申报单位：${it.unitName}`);
    }
    expect(zhPart(email)).toContain(salon.name.zh);
    expect(enPart(email)).toContain(salon.name.en);
    expect(email.text.match(/https:\/\/api\.example\.org\/tasks\//g)).toHaveLength(6);
  });

  test('the invitation and the reminder name the one application in the subject', () => {
    const invitation = expertInvitationEmail(expert, call, items[1], dueAt);
    expect(invitation.subject).toContain(items[1].title);
    expect(invitation.text).toContain(items[1].link);
    expect(invitation.text).not.toContain(items[0].link);
    const reminder = expertReminderEmail(expert, call, items[1], new Date('2023-10-28T09:00:00+08:00'));
    expect(reminder.subject).toContain('【评审提醒】');
    expect(reminder.subject).toContain('2023年10月28日 9时前');
    expect(zhPart(reminder)).toContain('您尚未完成以下申报项目的评审');
  });
});

describe('emails to staff about the expert review', () => {
  test('short of scores: to the staff member, the counts, both actions with the application id, never below 3', () => {
    const email = reviewShortEmail(staff, app, call, unit.unitName, 2, 5, 3);
    expect(email.to).toBe(staff.email);
    expect(email.cc).toBeUndefined();
    expect(email.subject).toContain('有效评分2份，需5份');
    expect(email.subject).toContain(unit.unitName);
    const zh = zhPart(email);
    expect(zh).toContain('专家评审期限已过');
    expect(zh).toContain('只收到2份有效评分，需要5份；另有3位专家未返回评分');
    expect(zh).toContain(`POST /applications/${app.applicationId}/experts`);
    expect(zh).toContain(`POST /applications/${app.applicationId}/review-deadline`);
    expect(zh).toContain('有效评分不足3份的申报项目不会进入排名和立项');
    expect(zh).toContain(app.form.title);
    expect(zh).toContain(`申报单位：${unit.unitName}`);
    expect(enPart(email)).toContain('fewer than 3 valid scores is never ranked');
    expect(enPart(email)).toContain(`POST /applications/${app.applicationId}/experts`);
  });

  test('the round blocked: every unserved application with its reason, at most 50, then the rest counted', () => {
    const unserved = Array.from({ length: 53 }, (_, i) => ({
      applicationId: `app-${String(i).padStart(4, '0')}`,
      reason: `reason ${i}`,
    }));
    const email = expertRoundBlockedEmail(head, call, unserved);
    expect(email.to).toBe(head.email);
    expect(email.subject).toContain('53项');
    const zh = zhPart(email);
    expect(zh).toContain('1. app-0000：reason 0');
    expect(zh).toContain('50. app-0049：reason 49');
    expect(zh).not.toContain('app-0050');
    expect(zh).toContain('另有3项未列出');
    expect(enPart(email)).toContain('and 3 more.');
    expect(zh).toContain('2023年10月16日 9时');

    const few = expertRoundBlockedEmail(head, call, unserved.slice(0, 2));
    expect(few.text).toContain('2. app-0001：reason 1');
    expect(few.text).not.toContain('另有');
    expect(few.text).not.toContain('more.');
  });
});

describe('the award', () => {
  test('confirmation: to the department head, the summary, the link, the due date', () => {
    const email = awardConfirmationEmail(head, call, confirmLink, summary, confirmDue);
    expect(email.to).toBe(head.email);
    expect(email.subject).toContain('第2版');
    expect(email.subject).toContain('2023年11月7日 17时前');
    const zh = zhPart(email);
    expect(zh.split(confirmLink).length - 1).toBe(1);
    expect(zh).toContain('项目类型：11类');
    expect(zh).toContain('拟立项：40项');
    expect(zh).toContain('拟资助总额：425万元');
    expect(zh).toContain('未用满的立项名额：3个');
    expect(zh).toContain('办理时限：2023年11月7日 17时前');
    expect(enPart(email)).toContain('CNY 4,250,000');
    expect(enPart(email)).toContain('7 November 2023, 17:00 Beijing time');
  });

  test('confirmation: names the priorities the ranking did not apply (types 2 and 8), and the further tie-breaks as the department assumptions', () => {
    const email = awardConfirmationEmail(head, call, confirmLink, summary, confirmDue);
    const zh = zhPart(email);
    const en = enPart(email);
    expect(zh).toContain('以下优先条件无法从申请书核对，排名未采用，请您确认时自行斟酌：');
    expect(zh).toContain(
      `- ${getProjectType(call, 'communication-programme')!.name.zh}：与国家、省级主流媒体有良好合作关系，有相关项目实施经验者优先考虑`,
    );
    expect(zh).toContain(
      `- ${getProjectType(call, 'nanyue-platform')!.name.zh}：承担过省科协相关项目的同等条件下优先考虑`,
    );
    // applied ones are not listed as unapplied
    expect(zh).not.toContain('申请单位有配套资金支持的优先考虑');
    expect(zh).not.toContain('基础学科领域项目同等条件下优先考虑');
    expect(en).toContain('were NOT applied by the ranking');
    expect(en).toContain(
      `- ${getProjectType(call, 'nanyue-platform')!.name.en}: Has carried out related association projects before`,
    );
    // the tie-breaks after the priorities: the department's assumptions, never the notice's
    expect(zh).toContain('其后依次：专家评分离散度（标准差）小者在前；提交时间早者在前。');
    expect(zh).toContain('为学会学术部的工作假设，非通知规定');
    expect(en).toContain("working assumptions, not the notice's");
  });

  test('awarded: to the unit, score, rank, amount, finish date, summary report', () => {
    expect(awarded.to).toBe(unit.email);
    expect(awarded.cc).toBeUndefined();
    expect(awarded.subject).toContain('获立项资助');
    expect(awarded.text.startsWith(`${form.contact.name}同志：您好！\n`)).toBe(true);
    const zh = zhPart(awarded);
    expect(zh).toContain('专家评审得分：87.46分（第3名，共12项）');
    expect(zh).toContain('资助金额：10万元');
    expect(zh).toContain(`${forum.name.zh}（本类型立项5项）`);
    expect(zh).toContain('2024年12月31日前完成');
    expect(zh).toContain('项目总结报告');
    expect(zh).toContain(app.applicationId);
    const en = enPart(awarded);
    expect(en).toContain('Expert review score: 87.46 (ranked 3rd of 12)');
    expect(en).toContain('CNY 100,000');
    expect(en).toContain('by 31 December 2024');
    expect(en).toContain('summary report');
  });

  test('not awarded: score, rank, the quota, no amount', () => {
    expect(notAwarded.to).toBe(unit.email);
    expect(notAwarded.cc).toBeUndefined();
    expect(notAwarded.template).toBe('award-outcome');
    expect(notAwarded.subject).toContain('未获立项');
    expect(zhPart(notAwarded)).toContain('专家评审得分：71.50分（第8名，共12项）');
    expect(enPart(notAwarded)).toContain('ranked 8th of 12');
    expect(notAwarded.text).not.toContain('资助金额');
    expect(notAwarded.text).not.toContain('万元');
  });

  test('English ranks: 1st, 2nd, 11th, 12th, 13th, 21st, 22nd, 23rd, 101st, 111th', () => {
    const rank = (n: number) =>
      enPart(
        awardOutcomeEmail(app, call, unit, {
          awarded: false,
          amountCny: 0,
          score: 60,
          rank: n,
          ofCount: 200,
          quota: 5,
        }),
      );
    for (const [n, s] of [
      [1, '1st'],
      [2, '2nd'],
      [11, '11th'],
      [12, '12th'],
      [13, '13th'],
      [21, '21st'],
      [22, '22nd'],
      [23, '23rd'],
      [101, '101st'],
      [111, '111th'],
    ] as const) {
      expect(rank(n)).toContain(`ranked ${s} of 200`);
    }
  });

  test('an outcome never names an expert', () => {
    for (const email of [awarded, notAwarded]) {
      expect(email.text).not.toContain(expert.name);
      expect(email.text).not.toContain(expert.email);
      expect(email.text).toContain('评审专家名单及个人评分不予公开');
    }
  });
});
