/** The association's reviews of an application, to its unit: passed, or excluded at one of the stages. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { Email, UnitAddressee } from '@shared/domain/email';
import { projectName } from './application';
import { copiesEn, dateTime, numbered } from './format';
import { ASK_CONTACT, type Lines, lines, toUnit, verbatim } from './frame';
import { paperCopyTerms } from './paper-copy';

/** The staff formal review passed; the paper copy is still due if not sent. */
export function formalReviewPassedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  const department = call.staffReview.department;
  const project = projectName(app);
  const { copies, recipient } = paperCopyTerms(call);
  const paperBy = dateTime(new Date(call.paperCopyDeadline));
  return toUnit(
    app,
    call,
    unit,
    'formal-review-passed',
    `【形式审查通过】${app.form.title} / Formal review passed`,
    lines(
      {
        zh: `贵单位申报的${project.zh}已通过${department.zh}形式审查，下一步将进行绩效目标审核，结果另行通知。`,
        en: `${project.en} has passed the formal review by ${department.en}. The performance-target review comes next; you will be told its result.`,
      },
      {
        zh: `纸质材料：如尚未报送，请将加盖单位公章的申请书一式${copies}份于${paperBy.zh}前送达${recipient.zh}，逾期不予受理；已报送的无需重复报送。`,
        en: `Paper copy: if you have not sent it yet, ${copiesEn(copies)} of the application stamped with your unit's seal must arrive at ${recipient.en} by ${paperBy.en} Beijing time; late copies are not accepted. If you have sent it, do not send it again.`,
      },
    ),
  );
}

/** The performance-target review passed: the application now waits for the expert review. */
export function targetReviewPassedEmail(app: ApplicationRecord, call: Call, unit: UnitAddressee): Email {
  const project = projectName(app);
  return toUnit(
    app,
    call,
    unit,
    'target-review-passed',
    `【绩效目标审核通过】${app.form.title} / Performance-target review passed`,
    lines(
      {
        zh: `贵单位申报的${project.zh}已通过绩效目标审核，进入专家评审阶段。`,
        en: `${project.en} has passed the performance-target review and goes on to the expert review.`,
      },
      {
        zh: '评审期间贵单位无需操作，评审结果将另行通知。',
        en: 'Nothing is needed from your unit meanwhile; you will be told the result.',
      },
    ),
  );
}

export type ExclusionStage = 'formal-review' | 'paper-copy' | 'target-review';

interface Exclusion {
  subject: Bilingual;
  /** What happened, as the unit reads it. */
  body: (app: ApplicationRecord, call: Call) => Bilingual;
  /** Heads the staff's own words, when they gave any. */
  reasonsHead: Bilingual;
}

/** Every stage that can exclude an application says why in its own words; a new stage must add its text here. */
const EXCLUSIONS: Record<ExclusionStage, Exclusion> = {
  'formal-review': {
    subject: { zh: '不予受理', en: 'Application not accepted' },
    body: (app, call) => ({
      zh: `经${call.staffReview.department.zh}形式审查，贵单位申报的${projectName(app).zh}不予受理。`,
      en: `After the formal review by ${call.staffReview.department.en}, ${projectName(app).en} is not accepted.`,
    }),
    reasonsHead: { zh: '理由：', en: 'Reasons (as written):' },
  },
  'paper-copy': {
    subject: { zh: '未收到纸质材料，不予受理', en: 'No paper copy received: not accepted' },
    body: (app, call) => {
      const [department, project] = [call.staffReview.department, projectName(app)];
      const paperBy = dateTime(new Date(call.paperCopyDeadline));
      return {
        zh: `截至纸质材料报送截止时间（${paperBy.zh}），${department.zh}未收到贵单位${project.zh}的纸质申请材料。按通知要求，逾期不予受理，该申报不进入后续评审。`,
        en: `By the paper-copy deadline (${paperBy.en} Beijing time) ${department.en} had not received the paper copy of ${project.en}. As the notice requires, it is not accepted and goes no further.`,
      };
    },
    reasonsHead: { zh: '说明：', en: 'Notes (as written):' },
  },
  'target-review': {
    subject: { zh: '绩效目标审核未通过', en: 'Performance-target review not passed' },
    body: (app) => ({
      zh: `贵单位申报的${projectName(app).zh}绩效目标审核未通过，按照省科协财务管理要求，不进入下一阶段评审。`,
      en: `${projectName(app).en} did not pass the performance-target review; under the association's financial management rules it does not go on to the next stage of review.`,
    }),
    reasonsHead: { zh: '审核意见：', en: "Reviewer's comments (as written):" },
  },
};

/** Excluded by the association: a staff reject, a paper copy never received, or a failed target review. */
export function excludedEmail(
  app: ApplicationRecord,
  call: Call,
  unit: UnitAddressee,
  stage: ExclusionStage,
  reasons: string[],
): Email {
  const exclusion = EXCLUSIONS[stage];
  const listed: Lines = reasons.length ? lines(exclusion.reasonsHead, verbatim(numbered(reasons))) : lines();
  return toUnit(
    app,
    call,
    unit,
    `excluded-${stage}`,
    `【${exclusion.subject.zh}】${app.form.title} / ${exclusion.subject.en}`,
    lines(exclusion.body(app, call), listed, ASK_CONTACT),
  );
}
