import { listCallObligations, obligationsCsv } from '@shared/use-cases/obligations';
import { httpHandler, wantsCsv } from './lib/http';

/** `GET /calls/{callId}/obligations?state=overdue` (staff): the reports past due and not accepted, JSON or CSV. */
export const handler = httpHandler(async ({ caller, path, query, headers }) => {
  const listed = await listCallObligations(path.callId ?? '', caller, query.state);
  return wantsCsv(headers)
    ? { csv: { text: obligationsCsv(listed.rows), filename: `${listed.callId}-overdue-reports.csv` } }
    : { body: listed };
});
