import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { appPath } from '../config';
import { useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { ReportForm } from '../report/form';
import { reportName, reportPath } from '../report/obligation';
import { AcceptedNote, ReportFacts, ReviewReasons, SentNote } from '../report/review';
import { forgetValues } from '../report/saved';
import { Link } from '../router';
import type { ApplicationView, ObligationView } from '../types';

export { dueText, OBLIGATION_STATE_WORDS, reportName, reportPath } from '../report/obligation';

/** The application, and the report of it at `report` that the signed-in unit owes. */
async function load(applicationId: string, report: string) {
  const [app, { obligations }] = await Promise.all([
    api<ApplicationView>('GET', `/applications/${applicationId}`),
    api<{ obligations: ObligationView[] }>('GET', '/units/me/obligations'),
  ]);
  const obligation = obligations.find((o) => o.applicationId === applicationId && reportPath(o) === report);
  if (!obligation) throw new ApiError(404, 'NOT_FOUND', `No report ${report} is owed by this application`);
  // Accepted: what was typed for a resubmission is no longer needed on this device.
  if (obligation.state === 'ACCEPTED') forgetValues(applicationId, obligation);
  return { app, obligation };
}

/** One report of an awarded project: what it asks, where it stands, the reviewer's reasons, and the form to hand it in. */
export function ReportPage({ applicationId, report }: { applicationId: string; report: string }) {
  const { b } = useText();
  const loaded = useLoad(() => load(applicationId, report), [applicationId, report]);
  const [sent, setSent] = useState(false);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const { app, obligation } = loaded.data;
  const open = obligation.state === 'OPEN' || obligation.state === 'AWAITING_DATE' || obligation.state === 'RETURNED';
  return (
    <>
      <p class="hint">
        <Link href={appPath(`applications/${applicationId}`)}>{String(app.form.title ?? applicationId)}</Link>
      </p>
      <h1>{b(reportName(obligation))}</h1>
      <p>{b(obligation.text)}</p>
      <ReportFacts obligation={obligation} />
      {sent && obligation.state === 'SUBMITTED' && <SentNote />}
      <ReviewReasons obligation={obligation} />
      <AcceptedNote obligation={obligation} />
      {open && app.status === 'AWARDED' && (
        <ReportForm
          key={`${obligation.obligationId}-${obligation.submissions ?? 0}`}
          applicationId={applicationId}
          obligation={obligation}
          onSent={() => {
            setSent(true);
            loaded.reload();
          }}
        />
      )}
    </>
  );
}
