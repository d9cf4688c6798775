import type { Call } from '@shared/domain/catalogue/call-schema';
import type { EmailLogEntry, ExpertReviewRecord } from '@shared/domain/application-record';
import { STATUS_WORDS } from '@shared/domain/unit-next-step';
import { api } from '../api';
import { appPath } from '../config';
import { ApplicationDocument } from '../form/document';
import { History, Obligations, Outcome } from '../pages/application';
import { instantText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { Link } from '../router';
import type { ApplicationView, ObligationView } from '../types';
import { OpenTasks, type OpenTask } from './open-tasks';

/** What staff read of an application beyond the unit's view (GET /applications/{id} as staff). */
interface StaffApplicationView extends ApplicationView {
  unitId: string;
  executionArn?: string;
  emails?: EmailLogEntry[];
  expertReview?: ExpertReviewRecord;
  openTasks?: OpenTask[];
  obligations?: ObligationView[];
}

async function load(applicationId: string) {
  const app = await api<StaffApplicationView>('GET', `/applications/${encodeURIComponent(applicationId)}`);
  return { app, call: await api<Call>('GET', `/calls/${encodeURIComponent(app.callId)}`) };
}

/**
 * One application as staff see it: where it stands and what the workflow waits on, its form (and print
 * view), its history, every email sent about it, the experts' scores with their comments, and its
 * execution.
 */
export function StaffApplicationPage({ applicationId }: { applicationId: string }) {
  const { t, b } = useText();
  const loaded = useLoad(() => load(applicationId), [applicationId]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { app, call } = loaded.data;
  return (
    <>
      <h1>{String(app.form.title ?? app.applicationId)}</h1>
      <dl class="facts">
        <dt>{t('申报编号', 'Application number')}</dt>
        <dd>{app.applicationId}</dd>
        <dt>{t('申报单位', 'Unit')}</dt>
        <dd>{app.unitId}</dd>
        <dt>{t('状态', 'Status')}</dt>
        <dd class="status">{b(STATUS_WORDS[app.status].status)}</dd>
        <dt>{t('当前环节', 'Waiting for')}</dt>
        <dd>{b(STATUS_WORDS[app.status].waitsOn) || '—'}</dd>
        <dt>{t('纸质材料', 'Paper copy')}</dt>
        <dd>
          {app.paperCopy
            ? t(`${app.paperCopy.receivedOn}收到`, `received ${app.paperCopy.receivedOn}`)
            : t('未收到', 'not received')}
        </dd>
        <dt>{t('工作流', 'Workflow')}</dt>
        <dd>
          <ExecutionLink arn={app.executionArn} />
        </dd>
      </dl>
      {(app.award || app.outcome) && <Outcome app={app} />}
      <OpenTasks tasks={app.openTasks ?? []} />
      {(app.obligations ?? []).length > 0 && (
        <Obligations applicationId={app.applicationId} obligations={app.obligations ?? []} handIn={false} />
      )}
      {app.expertReview && <Scores review={app.expertReview} />}
      <Emails emails={app.emails ?? []} />
      <History app={app} />
      <section aria-labelledby="staff-form">
        <h2 id="staff-form">{t('申请书', 'The application')}</h2>
        <p>
          <a href={appPath(`applications/${encodeURIComponent(app.applicationId)}/print`)}>
            {t('打印视图（与申报单位盖章的纸质版相同）', 'Print view (as the unit prints it for the seal)')}
          </a>
        </p>
        <ApplicationDocument call={call} form={app.form} />
      </section>
      <p>
        <Link href={appPath(`staff/applications?call=${encodeURIComponent(app.callId)}`)}>
          {t('返回申报一览', 'Back to the applications')}
        </Link>
      </p>
    </>
  );
}

/**
 * The execution in the Step Functions console on AWS (the region is in its ARN); locally, the local
 * console's page of it.
 */
function ExecutionLink({ arn }: { arn?: string }) {
  if (!arn) return <>—</>;
  const region = /^arn:aws[\w-]*:states:([a-z0-9-]+):\d{12}:/.exec(arn)?.[1];
  const href = region
    ? `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(arn)}`
    : `/_local/console/executions/${encodeURIComponent(arn.split(':').pop() ?? arn)}`;
  return <a href={href}>{arn.split(':').pop()}</a>;
}

function Scores({ review }: { review: ExpertReviewRecord }) {
  const { t } = useText();
  return (
    <section aria-labelledby="staff-scores">
      <h2 id="staff-scores">{t('专家评分（仅工作人员可见）', "Experts' scores (staff only)")}</h2>
      <p>
        {t('综合得分：', 'Score: ')}
        {review.score ?? '—'}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('专家', 'Expert')}</th>
            <th scope="col">{t('总分', 'Total')}</th>
            <th scope="col">{t('评语', 'Comment')}</th>
          </tr>
        </thead>
        <tbody>
          {(review.scores ?? []).map((score) => (
            <tr key={score.taskId}>
              <td>{score.expertId}</td>
              <td>{score.total}</td>
              <td>{score.comment}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Emails({ emails }: { emails: EmailLogEntry[] }) {
  const { t, lang } = useText();
  return (
    <section aria-labelledby="staff-emails">
      <h2 id="staff-emails">{t('已发送的邮件', 'Emails sent')}</h2>
      {emails.length === 0 ? (
        <p class="hint">—</p>
      ) : (
        <ol class="history">
          {emails.map((email, i) => (
            <li key={i}>
              {instantText(email.at, lang)} · {email.to} · {email.subject}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
