import { z } from 'zod';
import { recordRejection } from '@shared/workflow-steps';
import { stepHandler } from './lib/step';

const REASONS = {
  DeadlinePassed: {
    zh: '未在网上申报截止时间前按形式审查意见修改完成',
    en: 'not corrected as the formal check required before the online deadline',
  },
} as const;

export const handler = stepHandler(z.object({ applicationId: z.string(), reason: z.enum(['DeadlinePassed']) }), ({ applicationId, reason }) =>
  recordRejection(applicationId, REASONS[reason]),
);
