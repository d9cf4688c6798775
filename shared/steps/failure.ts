import { now, toBeijingIso } from '@shared/clock';
import { updateApplication } from '@shared/store/applications';

/** Records on the application that a stage failed after its retries, for staff and the console. */
export async function recordFailure(applicationId: string, stage: string, execution: string, error: { Error?: string; Cause?: string }) {
  const at = toBeijingIso(now());
  await updateApplication(applicationId, {
    set: { failure: { stage, error: error.Error ?? 'Unknown', cause: error.Cause?.slice(0, 2000), at } },
    entry: { stage: 'Workflow', result: 'FAILED', at, detail: { stage, error: error.Error } },
    // Once per execution and stage: a retry of this step after its write landed adds no second entry.
    once: `failed-${execution}-${stage}`,
  });
  return { recorded: true };
}
