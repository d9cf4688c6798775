/** The award: the proposal the department head confirms, then each unit's outcome. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import { prioritiesByRanking } from '@shared/domain/award-ranking';
import type { Bilingual, Call, ProjectType } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { projectName } from './application';
import { countEn, dateTime, isoDate, money, ordinalEn } from './format';
import {
  ASK_CONTACT,
  callFooter,
  greeting,
  type Lines,
  lines,
  numberedLines,
  taskLink,
  toPerson,
  toUnit,
  typeOf,
} from './frame';

/**
 * What the ranking weighed beyond the score: the notice's priorities it could not read from the
 * form (per type, for the department head to weigh), and the further tie-breaks, as the
 * department's assumptions (call data: awardRanking).
 */
function rankingBasis(call: Call): Lines {
  const missed = call.projectTypes
    .map((t) => ({ t, notApplied: prioritiesByRanking(t).notApplied }))
    .filter((x) => x.notApplied.length);
  const tieBreaks = call.awardRanking.furtherTieBreaks;
  return lines(
    {
      zh: '同分排序：先按通知规定的“同等条件下优先”条件（仅限能从申请书核对的条件）。',
      en: "Ties are broken first by the notice's priority criteria (only those the form can show).",
    },
    missed.length > 0 &&
      lines(
        {
          zh: '以下优先条件无法从申请书核对，排名未采用，请您确认时自行斟酌：',
          en: 'These priority criteria cannot be checked from the form and were NOT applied by the ranking; weigh them yourself when you confirm:',
        },
        ...missed.flatMap(({ t, notApplied }) =>
          notApplied.map((p) => ({ zh: `- ${t.name.zh}：${p.text.zh}`, en: `- ${t.name.en}: ${p.text.en}` })),
        ),
      ),
    {
      zh: `其后依次：${tieBreaks.map((b) => b.text.zh).join('；')}。${call.awardRanking.assumptions.zh}`,
      en: `Then: ${tieBreaks.map((b) => b.text.en).join('; ')}. ${call.awardRanking.assumptions.en}`,
    },
  );
}

type AwardSummary = { version: number; types: number; awarded: number; totalCny: number; unfilled: number };

/**
 * To the department head: the award proposal waits for confirmation at `link`; summary counts, and
 * the notice's priorities the ranking did not apply.
 */
export function awardConfirmationEmail(
  head: { name: string; email: string },
  call: Call,
  link: string,
  summary: AwardSummary,
  dueAt: Date,
): Email {
  const total = money(summary.totalCny);
  return toPerson(
    head,
    'award-confirmation-request',
    `【待确认：立项建议】${call.year}年度学会学术项目（第${summary.version}版，${dateTime(dueAt).zh}前）/ Award proposal to confirm (version ${summary.version})`,
    lines(
      greeting(head.name),
      {
        zh: `《${call.title.zh}》（${call.documentNo}）的专家评审已完成，系统按评审得分生成了立项建议（第${summary.version}版），请审核确认：`,
        en: `The expert review of the ${call.title.en} (${call.documentNo}) is complete, and the system has drawn up an award proposal from the scores (version ${summary.version}) for you to confirm:`,
      },
      { zh: `项目类型：${summary.types}类`, en: `Project types: ${summary.types}` },
      { zh: `拟立项：${summary.awarded}项`, en: `Proposed awards: ${summary.awarded}` },
      { zh: `拟资助总额：${total.zh}`, en: `Total proposed funding: ${total.en}` },
      { zh: `未用满的立项名额：${summary.unfilled}个`, en: `Award places left unfilled: ${summary.unfilled}` },
      '',
      rankingBasis(call),
      '',
      {
        zh: '打开链接可查看各项目类型的排名、得分和拟资助金额，并选择：确认 / 退回修改（请写明意见，修改后将发送新版本）。立项结果经确认后方通知各申报单位。',
        en: "The link shows each type's ranking, scores and proposed amounts; answer: confirm / revise (write what to change; a new version follows). The units are told their outcomes only once it is confirmed.",
      },
      taskLink(link, dueAt),
      callFooter(call),
    ),
  );
}

type Outcome = { awarded: boolean; amountCny: number; score: number; rank: number; ofCount: number; quota: number };

/** The score (two decimals) and rank within the type, said to awarded and not awarded alike. */
function standing(app: ApplicationRecord, type: ProjectType | undefined, outcome: Outcome): Lines {
  const score = outcome.score.toFixed(2);
  const typeName: Bilingual = type?.name ?? { zh: app.projectTypeId, en: app.projectTypeId };
  return lines(
    {
      zh: `项目类型：${typeName.zh}（本类型立项${outcome.quota}项）`,
      en: `Project type: ${typeName.en} (${countEn(outcome.quota, 'award')} in this type)`,
    },
    {
      zh: `专家评审得分：${score}分（第${outcome.rank}名，共${outcome.ofCount}项）`,
      en: `Expert review score: ${score} (ranked ${ordinalEn(outcome.rank)} of ${outcome.ofCount})`,
    },
  );
}

/** Experts review in confidence; the unit is told so rather than left to ask. */
const ANONYMOUS: Bilingual = {
  zh: '评审专家名单及个人评分不予公开。',
  en: "The experts' names and their individual scores are not disclosed.",
};

function awardedBody(app: ApplicationRecord, type: ProjectType | undefined, outcome: Outcome): Lines {
  const project = projectName(app);
  const amount = money(outcome.amountCny);
  const finish = type
    ? { zh: `${isoDate(type.finishBy).zh}前`, en: `by ${isoDate(type.finishBy).en}` }
    : { zh: '通知要求的时间内', en: 'within the time the notice sets' };
  return lines(
    {
      zh: `经专家评审，贵单位申报的${project.zh}获立项资助。`,
      en: `After the expert review, ${project.en} is awarded funding.`,
    },
    standing(app, type, outcome),
    { zh: `资助金额：${amount.zh}`, en: `Amount awarded: ${amount.en}` },
    '',
    { zh: '接下来：', en: 'Next:' },
    numberedLines(
      lines(
        {
          zh: `请按申请书组织实施项目，于${finish.zh}完成；`,
          en: `carry out the project as the application describes and finish it ${finish.en};`,
        },
        {
          zh: '项目完结后，请按省科协项目总结通知要求及时提交项目总结报告（未提交总结报告的单位不得申报下一年度项目）。',
          en: "once it ends, file a project summary report in time, as the association's summary notice requires (a unit that files none may not apply next year).",
        },
      ),
    ),
    ANONYMOUS,
  );
}

function notAwardedBody(app: ApplicationRecord, type: ProjectType | undefined, outcome: Outcome): Lines {
  const project = projectName(app);
  return lines(
    {
      zh: `经专家评审，贵单位申报的${project.zh}未获立项资助。`,
      en: `After the expert review, ${project.en} is not awarded funding.`,
    },
    standing(app, type, outcome),
    {
      zh: `本类型按评审得分从高到低立项${outcome.quota}项，贵单位项目未进入立项范围。感谢贵单位的支持，欢迎继续申报省科协后续项目。`,
      en: `This type funds the ${outcome.quota === 1 ? 'highest-scoring application' : `${outcome.quota} highest-scoring applications`}; yours is not among them. Thank you for applying; we welcome your unit's applications to the association's future calls.`,
    },
    ANONYMOUS,
    ASK_CONTACT,
  );
}

/**
 * To the unit: its outcome, with its score (two decimals) and rank within the type, the amount when
 * awarded and what comes next (finish by the type's finish date, hand in a summary report). Never
 * names an expert.
 */
export function awardOutcomeEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee, outcome: Outcome): Email {
  const type = typeOf(app, call);
  return outcome.awarded
    ? toUnit(
        app,
        call,
        unit,
        'award-outcome',
        `【立项通知】${app.form.title} 获立项资助 / Awarded`,
        awardedBody(app, type, outcome),
      )
    : toUnit(
        app,
        call,
        unit,
        'award-outcome',
        `【评审结果】${app.form.title} 未获立项 / Not awarded`,
        notAwardedBody(app, type, outcome),
      );
}
