import { callResults, resultsCsv } from '@shared/use-cases/award';
import { httpHandler, wantsCsv } from './lib/http';

/**
 * `GET /calls/{callId}/results` (signed in; staff see every ranked application) and
 * `GET /results/{callId}` (public, once published: the awarded ones). JSON, or CSV with `Accept: text/csv`.
 */
export const handler = httpHandler(async ({ caller, path, headers, query }) => {
  const results = await callResults(path.callId ?? '', caller, query.page ?? '1');
  const part = results.pages && results.pages > 1 ? `-page-${results.page}-of-${results.pages}` : '';
  return wantsCsv(headers)
    ? { csv: { text: resultsCsv(results.rows), filename: `${results.callId}-results${part}.csv` } }
    : { body: results };
});
