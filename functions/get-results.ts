import { callResults, resultsCsv } from '@shared/use-cases/award';
import { httpHandler, wantsCsv } from './lib/http';

/**
 * `GET /calls/{callId}/results` (signed in; staff see every ranked application) and
 * `GET /results/{callId}` (public, once published: the awarded ones). JSON, or CSV with `Accept: text/csv`.
 */
export const handler = httpHandler(async ({ caller, path, headers }) => {
  const results = await callResults(path.callId ?? '', caller);
  return wantsCsv(headers) ? { csv: { text: resultsCsv(results.rows), filename: `${results.callId}-results.csv` } } : { body: results };
});
