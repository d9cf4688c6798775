import { callSummary, listCalls } from '@shared/domain/catalogue';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async () => ({ body: { calls: listCalls().map(callSummary) } }));
