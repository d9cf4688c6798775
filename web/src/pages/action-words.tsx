import type { Call } from '@shared/domain/catalogue/call-schema';
import type { UnitAction } from '@shared/domain/unit-next-step';
import { instantText, useText } from '../i18n';
import { reportName } from './report';

/** One thing the unit must do, in words, with its date (the paper copy as the call asks it). */
export function ActionWords({ action, call }: { action: UnitAction; call: Call }) {
  const { t, b, lang } = useText();
  const due = action.dueAt ? instantText(action.dueAt, lang) : undefined;
  if (action.kind === 'amend') return <>{t(`请在${due}前修改并重新提交。`, `Correct and resubmit by ${due}.`)}</>;
  if (action.kind === 'paper-copy') {
    const copies = call.paperCopy?.copies ?? 1;
    const sealed = call.paperCopy?.sealRequired !== false;
    return (
      <>
        {t(
          `请打印申请书一式${copies}份${sealed ? '、加盖单位公章' : ''}，于${due}前送达省科协。`,
          `Print ${copies} cop${copies > 1 ? 'ies' : 'y'}${sealed ? ', seal it' : ''} and send it to the association by ${due}.`,
        )}
      </>
    );
  }
  const name = b(reportName({ kind: action.report }));
  return due ? (
    <>{t(`请在${due}前提交${name}。`, `Hand in the ${name} by ${due}.`)}</>
  ) : (
    <>{t(`${name}的截止日期待省科协通知。`, `The ${name} is due on a date the association will announce.`)}</>
  );
}
