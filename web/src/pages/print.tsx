import type { Call } from '@shared/domain/catalogue/call-schema';
import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { ApplicationDocument } from '../form/document';
import { useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import type { ApplicationView } from '../types';
import { appPath } from '../config';
import { Link } from '../router';

async function load(applicationId: string) {
  const app = await api<ApplicationView>('GET', `/applications/${applicationId}`);
  return { app, call: await api<Call>('GET', `/calls/${encodeURIComponent(app.callId)}`) };
}

/**
 * The submitted application on A4 for the seal (the notice: 打印纸质申请材料一式1份并加盖单位公章):
 * its number on every page, the sections in the form's order, a box for the seal and the date.
 */
export function PrintPage({ applicationId }: { applicationId: string }) {
  const { t, b } = useText();
  const loaded = useLoad(() => load(applicationId), [applicationId]);
  useEffect(() => {
    document.body.classList.add('print-page');
    return () => document.body.classList.remove('print-page');
  }, []);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { app, call } = loaded.data;
  return (
    <main id="main" class="print">
      <div class="print-number" aria-hidden="true">
        {t('申报编号', 'Application no.')} {app.applicationId}
      </div>
      <p class="no-print actions">
        <button type="button" onClick={() => print()}>
          {t('打印', 'Print')}
        </button>
        <Link href={appPath(`applications/${applicationId}`)} class="button secondary">
          {t('返回申报详情', 'Back to the application')}
        </Link>
      </p>
      <h1>{b(call.applicationFormName ?? { zh: '项目申请书', en: 'Application form' })}</h1>
      <p>
        {b(call.title)} · {call.documentNo}
      </p>
      <p>
        {t('申报编号：', 'Application number: ')}
        <strong>{app.applicationId}</strong> · {t('申报单位：', 'Unit: ')}
        {app.unitId}
      </p>
      <ApplicationDocument call={call} form={app.form} />
      <section class="seal" aria-labelledby="seal">
        <h2 id="seal">{t('申报单位意见', "The applicant unit's seal")}</h2>
        <div class="seal-box">
          <p>{t('（单位公章）', '(unit seal)')}</p>
          <p>{t('年　　月　　日', 'Date:')}</p>
        </div>
      </section>
    </main>
  );
}
