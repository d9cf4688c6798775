import { call } from './fixtures';
import { Api, eventually, type StoredEmail } from './local';
import { accepted, jobEnded, proposeAward } from './jobs';
import { followLink, passStaffStages, taskLinkIn, taskLinksIn } from './task-links';

/** Every criterion of the 2024 scoring form at `points`, with the conflict confirmed: an expert's score. */
export const expertScore = (points: number) => ({
  answer: 'score',
  noConflict: true,
  scores: Object.fromEntries(
    call().review.scoringForm.criteria.map((c) => [c.id, Math.min(c.max, Math.max(c.min, points))]),
  ),
  comment: `评审意见：${points}分`,
});

/**
 * Takes applications through the staff stages and the expert review (every expert scores 80 from
 * the links in their email) as people would, through HTTP and email links only: each ends SCORED.
 */
export async function scoreThrough(
  api: Api,
  emails: () => Promise<StoredEmail[]>,
  apps: { token: string; applicationId: string }[],
): Promise<void> {
  const staff = await api.staffToken();
  for (const app of apps) await passStaffStages(emails, app.applicationId);
  for (const app of apps) await api.waitForStatus(app.token, app.applicationId, 'READY_FOR_EXPERT_REVIEW');
  const round = accepted(
    await api.request('POST', '/calls/gdast-2024/expert-assignments', { token: staff }),
    'the round',
  );
  if ((await jobEnded(api, staff, round.jobId)).state !== 'DONE') throw new Error('the round did not complete');
  const links = await eventually(
    async () => {
      const found = (await emails())
        .filter((e) => e.subject.startsWith('【专家评审邀请】'))
        .flatMap((e) => taskLinksIn(e));
      return found.length === apps.length * call().review.expertsPerApplication ? found : undefined;
    },
    30_000,
    'every expert link',
  );
  for (const link of links) {
    const answered = await followLink(link, { answer: expertScore(80) });
    if (answered.status !== 200) throw new Error(`a score: ${answered.status} ${JSON.stringify(answered.body)}`);
  }
  for (const app of apps) await api.waitForStatus(app.token, app.applicationId, 'SCORED', 30_000);
}

/**
 * Takes applications through the staff stages, the expert review and the award (proposed by staff,
 * confirmed by the department head from their link) as people would, through HTTP and email links
 * only; the clock ends at 2023-11-01.
 */
export async function awardThrough(
  api: Api,
  emails: () => Promise<StoredEmail[]>,
  apps: { token: string; applicationId: string }[],
): Promise<void> {
  await scoreThrough(api, emails, apps);
  const staff = await api.staffToken();
  await api.setClock('2023-11-01T09:00:00+08:00');
  await proposeAward(api, staff);
  const head = await eventually(
    async () => (await emails()).find((e) => e.subject.includes('立项建议')),
    20_000,
    'the confirmation email',
  );
  await followLink(taskLinkIn(head), { answer: { answer: 'confirm' } });
  for (const app of apps) await api.waitForStatus(app.token, app.applicationId, 'AWARDED', 30_000);
}
