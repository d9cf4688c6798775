import { recordPaperCopies } from '@shared/use-cases/tasks/answer-by-link';
import { httpHandler, statusOf } from './lib/http';

/** `POST /calls/{callId}/paper-copies`: a stack of paper copies recorded at once, answered per item. */
export const handler = httpHandler(async ({ caller, path, body }) => {
  const results = await recordPaperCopies(path.callId ?? '', caller, body);
  const items = results.map((result) =>
    'error' in result
      ? {
          index: result.index,
          applicationId: result.applicationId,
          status: statusOf(result.error.code),
          error: { code: result.error.code, message: result.error.message, details: result.error.details },
        }
      : { ...result, status: 200 },
  );
  return { body: { recorded: items.filter((item) => item.status === 200).length, results: items } };
});
