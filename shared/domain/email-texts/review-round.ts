/** To staff, when the expert review cannot go on by itself: an application short of scores, or a round the pool cannot serve. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { MIN_EXPERT_SCORES } from '@shared/domain/scoring';
import { applicationSummary } from './application';
import { countEn, dateTime } from './format';
import { applicationFooter, callFooter, greeting, type Lines, lines, numberedLines, toPerson } from './frame';

type Staff = { name: string; email: string };

/** Staff act through the API here: these steps are for the staff console, not for units. */
function shortOfScoresActions(app: ApplicationRecord, notReturned: number): Lines {
  const experts = `/applications/${app.applicationId}/experts`;
  const extend = `/applications/${app.applicationId}/review-deadline`;
  return lines(
    { zh: '可选择的处理方式：', en: 'What you can do:' },
    numberedLines(
      lines(
        {
          zh: `增补评审专家：POST ${experts}，新专家将收到评审邀请；`,
          en: `add an expert: POST ${experts} (the new expert is sent an invitation);`,
        },
        {
          zh: `延长该项目的评审期限：POST ${extend}${notReturned > 0 ? '，未返回评分的专家可在新期限前继续评审' : ''}。`,
          en: `extend this application's review: POST ${extend}${notReturned > 0 ? ' (the experts who have not returned a score may still score it by the new deadline)' : ''}.`,
        },
      ),
    ),
  );
}

/**
 * To staff: an application has fewer than `needed` valid scores after the deadline; what they can do
 * (add an expert, or extend the review), and that it never proceeds on fewer than 3.
 */
export function reviewShortEmail(
  to: Staff,
  app: ApplicationRecord,
  call: Call,
  unitName: string,
  valid: number,
  needed: number,
  notReturned: number,
): Email {
  const unit: UnitAddressee = { unitName, email: '' };
  const missing = notReturned > 0 && {
    zh: `；另有${notReturned}位专家未返回评分`,
    en: `; ${notReturned} ${notReturned === 1 ? 'expert has' : 'experts have'} not returned a score`,
  };
  return toPerson(
    to,
    'review-short-of-scores',
    `【评审评分不足】${unitName}：${app.form.title}（有效评分${valid}份，需${needed}份）/ Short of scores: ${valid} of ${needed}`,
    lines(
      greeting(to.name),
      {
        zh: `专家评审期限已过，以下申报项目只收到${valid}份有效评分，需要${needed}份${missing ? missing.zh : ''}。`,
        en: `The review deadline has passed and this application has only ${valid} valid ${valid === 1 ? 'score' : 'scores'} of the ${needed} needed${missing ? missing.en : ''}.`,
      },
      applicationSummary(app, call, unit),
      '',
      shortOfScoresActions(app, notReturned),
      {
        zh: `有效评分不足${MIN_EXPERT_SCORES}份的申报项目不会进入排名和立项，系统会一直等待处理。`,
        en: `An application with fewer than ${MIN_EXPERT_SCORES} valid scores is never ranked or awarded; it waits until you act.`,
      },
      applicationFooter(app, call),
    ),
  );
}

/** The most unserved applications an email lists; the rest are counted, so a huge shortfall stays readable. */
const UNSERVED_LISTED = 50;

function unservedList(unserved: { applicationId: string; reason: string }[]): Lines {
  const listed = unserved.slice(0, UNSERVED_LISTED);
  const more = unserved.length - listed.length;
  return lines(
    ...listed.map((u, i) => ({
      zh: `${i + 1}. ${u.applicationId}：${u.reason}`,
      en: `${i + 1}. ${u.applicationId}: ${u.reason}`,
    })),
    more > 0 && { zh: `另有${more}项未列出。`, en: `and ${more} more.` },
  );
}

/**
 * To staff: the pool could not serve every application when the review round opened by itself;
 * lists each unserved application id and why (at most 50 lines, then "and N more").
 */
export function expertRoundBlockedEmail(
  to: Staff,
  call: Call,
  unserved: { applicationId: string; reason: string }[],
): Email {
  const n = unserved.length;
  const opensAt = dateTime(new Date(call.review.opensAt));
  const perApplication = call.review.expertsPerApplication;
  return toPerson(
    to,
    'expert-round-blocked',
    `【专家评审未能开始】${n}项申报无法分配评审专家 / Expert review blocked: ${countEn(n, 'application')} cannot be served`,
    lines(
      greeting(to.name),
      {
        zh: `《${call.title.zh}》的专家评审按计划于${opensAt.zh}自动开始，但评审专家库无法为每项申报安排${perApplication}名无利益冲突且评审量未满的专家，评审未能开始。无法安排的申报项目共${n}项：`,
        en: `The expert review of the ${call.title.en} was due to open by itself at ${opensAt.en} Beijing time, but the expert pool cannot give every application ${perApplication} experts with no conflict of interest and capacity left, so the review has not started. ${n === 1 ? 'The application' : `The ${n} applications`} that cannot be served:`,
      },
      unservedList(unserved),
      '',
      {
        zh: `处理方式：在专家库中增加专家或调整现有专家的评审上限（PUT /experts/{expertId}，maxLoad），使上述申报各有${perApplication}名可安排的专家；专家库能够安排全部申报后，专家评审方可开始。`,
        en: `What to do: add experts to the pool or raise existing experts' load caps (PUT /experts/{expertId}, maxLoad) so that each of these applications has ${perApplication} experts available; the review can start only once the pool can serve every application.`,
      },
      callFooter(call),
    ),
  );
}
