import { useEffect, useState } from 'preact/hooks';
import type { JobView } from '@shared/domain/jobs';
import { api } from '../api';
import { instantText, useText } from '../i18n';
import { RoundError } from './round-common';

/** A call-level job as `GET /jobs/{jobId}` gives it (and the POST that starts one answers, 202). */
export type Job = JobView;

/** How often a running job is asked again: often enough to see it move, seldom enough to cost nothing. */
const POLL_MS = 1_500;

/**
 * A job followed until it ends: asked again while it runs, `onEnded` called once when it is done or
 * failed (the page then reads what the job made).
 */
export function useJob(started: Job | undefined, onEnded: () => void) {
  const [job, setJob] = useState<Job | undefined>(started);
  const [error, setError] = useState<Error>();
  useEffect(() => setJob(started), [started?.jobId]);
  useEffect(() => {
    if (!job || job.state !== 'RUNNING') return;
    const timer = setTimeout(() => {
      api<Job>('GET', `/jobs/${encodeURIComponent(job.jobId)}`).then(
        (next) => {
          setJob(next);
          if (next.state !== 'RUNNING') onEnded();
        },
        (failed: Error) => setError(failed),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job?.jobId, job?.updatedAt, job?.done, job?.state]);
  return { job, error };
}

/** A job's progress as a person reads it: a progress bar, done of total, and any item that failed. */
export function JobProgress({ job, error, label }: { job: Job; error?: Error; label: string }) {
  const { t, lang } = useText();
  const percent = job.total > 0 ? Math.round((job.done / job.total) * 100) : job.state === 'DONE' ? 100 : 0;
  return (
    <div class="job-progress" role="status">
      <label>
        {label}
        <progress max={job.total || 1} value={job.total ? job.done : job.state === 'DONE' ? 1 : 0} />
      </label>
      <p>
        {job.state === 'RUNNING' &&
          t(`进行中：${job.done}/${job.total}（${percent}%）`, `Running: ${job.done} of ${job.total} (${percent}%)`)}
        {job.state === 'DONE' &&
          t(
            `已完成：${job.done}/${job.total}（${instantText(job.finishedAt, lang)}）`,
            `Done: ${job.done} of ${job.total} (${instantText(job.finishedAt, lang)})`,
          )}
        {job.state === 'FAILED' && t('未能完成。', 'It did not complete.')}
      </p>
      {job.errors.length > 0 && (
        <ul class="todo">
          {job.errors.map((e, i) => (
            <li key={i}>
              {e.item && <code>{e.item}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
      {error && <RoundError error={error} />}
    </div>
  );
}
