import { ApiError } from '../api';
import type { Problem } from '../form/checks';
import { useText } from '../i18n';
import { ErrorNote } from '../load';
import type { ObligationView } from '../types';
import { FIELDS } from './fields';
import { FilesField, UploadList } from './files';
import { useReportForm } from './form-state';
import { AchievedTargets, Field } from './inputs';

/** The form that hands a report in (again, once it was returned): its fields, its files, and their problems. */
export function ReportForm(props: { applicationId: string; obligation: ObligationView; onSent: () => void }) {
  const { t } = useText();
  const { obligation } = props;
  const form = useReportForm(props.applicationId, obligation, props.onSent);
  const returned = obligation.state === 'RETURNED';
  return (
    <form onSubmit={(e) => (e.preventDefault(), void form.submit())} noValidate aria-labelledby="hand-in">
      <h2 id="hand-in">{returned ? t('修改后重新提交', 'Correct and hand in again') : t('提交报告', 'Hand in')}</h2>
      {form.showAll && form.count > 0 && <ProblemSummary count={form.count} unplaced={form.unplaced} />}
      {form.error && !(form.error instanceof ApiError && form.error.details.length) && <ErrorNote error={form.error} />}
      {(FIELDS[form.kind] ?? FIELDS.duty).map((spec) => (
        <Field
          key={spec.key}
          spec={spec}
          value={form.values[spec.key] ?? ''}
          onChange={(v) => form.set(spec.key, v)}
          onBlur={() => form.touch(`fields.${spec.key}`)}
          problems={form.shown(`fields.${spec.key}`)}
        />
      ))}
      {form.kind === 'summary' && (
        <AchievedTargets
          targets={obligation.targets ?? []}
          values={form.values}
          set={form.set}
          touch={form.touch}
          shown={form.shown}
        />
      )}
      <FilesField problems={form.shown('attachments')} onFile={(file) => void form.files.upload(file)} />
      <UploadList uploads={form.files.uploads} onRemove={form.files.remove} />
      <div class="actions">
        <button type="submit" disabled={form.sending}>
          {returned ? t('重新提交报告', 'Hand in again') : t('提交报告', 'Hand in the report')}
        </button>
      </div>
      <p class="hint">
        {t(
          '提交后由省科协工作人员审核，结果以邮件通知。',
          'Association staff review it once handed in, and email you the result.',
        )}
      </p>
    </form>
  );
}

/** How many problems the report has (said once it is handed in), with the API's that name no field. */
function ProblemSummary({ count, unplaced }: { count: number; unplaced: readonly Problem[] }) {
  const { t, b } = useText();
  return (
    <p role="alert" class="error-note">
      {t(`报告有${count}处需要修改，见各项下方说明。`, `The report has ${count} problem(s): see under each field.`)}
      {unplaced.map((p, i) => (
        <span key={i}> {b(p.text)}</span>
      ))}
    </p>
  );
}
