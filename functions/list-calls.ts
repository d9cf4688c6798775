import { listCalls } from '@shared/catalogue';
import { httpHandler } from './lib/http';

export const handler = httpHandler(async () => ({
  body: {
    calls: listCalls().map((call) => ({
      callId: call.callId,
      year: call.year,
      documentNo: call.documentNo,
      title: call.title,
      opensAt: call.opensAt,
      submissionDeadline: call.submissionDeadline,
      paperCopyDeadline: call.paperCopyDeadline,
      projectTypes: call.projectTypes.length,
      awards: call.projectTypes.reduce((sum, type) => sum + type.quota, 0),
    })),
  },
}));
