/** The application as the emails name it: to its unit in a phrase, to staff as a short record. */
import type { ApplicationRecord } from '@shared/domain/application-record';
import type { Bilingual, Call } from '@shared/domain/catalogue';
import type { UnitAddressee } from '@shared/domain/email';
import { typeOf, type Lines, lines } from './frame';
import { funding, money } from './format';

/** The project, named as the unit knows it. */
export const projectName = (app: ApplicationRecord): Bilingual => ({
  zh: `项目“${app.form.title}”（申报编号 ${app.applicationId}）`,
  en: `"${app.form.title}" (application ${app.applicationId})`,
});

/** What staff need to recognise an application. `unit` names the applicant (falls back to its unit id). */
export function applicationSummary(app: ApplicationRecord, call: Call, unit: UnitAddressee | undefined): Lines {
  const type = typeOf(app, call);
  const unitName = unit?.unitName ?? app.unitId;
  const requested = money(app.form.budget.requestedCny);
  const contact = `${app.form.contact.name} ${app.form.contact.phone}`;
  return lines(
    type
      ? {
          zh: `项目类型：${type.name.zh}（资助额度${funding(type).zh}）`,
          en: `Project type: ${type.name.en} (funding ${funding(type).en})`,
        }
      : { zh: `项目类型：${app.projectTypeId}`, en: `Project type: ${app.projectTypeId}` },
    { zh: `项目名称：${app.form.title}`, en: `Title: ${app.form.title}` },
    { zh: `申报单位：${unitName}`, en: `Unit: ${unitName}` },
    { zh: `申请经费：${requested.zh}`, en: `Amount requested: ${requested.en}` },
    { zh: `申报编号：${app.applicationId}`, en: `Application id: ${app.applicationId}` },
    { zh: `单位联系人：${contact}`, en: `Unit contact: ${contact}` },
  );
}
