import { example } from './fixtures';
import { eventually, type Api, type StoredEmail } from './local';

/** Every task link in an email's text, as a person would tap it. */
export function taskLinksIn(email: StoredEmail): string[] {
  // The Chinese and the English part give the same link.
  return [
    ...new Set(
      [...(email.body.text ?? '').matchAll(/https?:\/\/[^\s]+\/tasks\/[A-Za-z0-9_-]{22}\?sig=[A-Za-z0-9_%-]+/g)].map(
        (m) => m[0],
      ),
    ),
  ];
}

/** The one task link of an email (fails if there is not exactly one). */
export function taskLinkIn(email: StoredEmail): string {
  const links = taskLinksIn(email);
  if (links.length !== 1) throw new Error(`expected one task link in "${email.subject}", found ${links.length}`);
  return links[0];
}

export interface LinkAnswer<T = any> {
  status: number;
  body: T;
  contentType: string;
}

/** Follows a link as a client: GET (JSON unless `html`), or POST a JSON or form answer. */
export async function followLink<T = any>(
  link: string,
  options: { answer?: Record<string, unknown>; form?: Record<string, string>; html?: boolean } = {},
): Promise<LinkAnswer<T>> {
  const method = options.answer || options.form ? 'POST' : 'GET';
  const headers: Record<string, string> =
    options.html || options.form ? { accept: 'text/html' } : { accept: 'application/json' };
  let body: string | undefined;
  if (options.answer) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.answer);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(link, { method, headers, body });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, body: (contentType.includes('json') ? JSON.parse(text) : text) as T, contentType };
}

/**
 * Takes an application through the staff stages as the staff would, from the links in their
 * emails: formal review passed, paper copy received, targets passed. `emails` reads the mailbox.
 */
export async function passStaffStages(
  emails: () => Promise<StoredEmail[]>,
  applicationId: string,
  receivedOn = '2023-09-01',
): Promise<void> {
  const linkFor = (task: string) =>
    eventually(
      async () => {
        const email = (await emails()).find(
          (e) => e.subject.startsWith(`【待办：${task}`) && (e.body.text ?? '').includes(applicationId),
        );
        return email && taskLinkIn(email);
      },
      20_000,
      `the ${task} task email`,
    );
  const answer = async (task: string, body: Record<string, unknown>) => {
    const answered = await followLink(await linkFor(task), { answer: body });
    if (answered.status !== 200) throw new Error(`${task}: ${answered.status} ${JSON.stringify(answered.body)}`);
  };
  await answer('形式审查', { answer: 'pass' });
  await answer('纸质', { answer: 'received', receivedOn });
  await answer('绩效目标审核', { answer: 'pass' });
}

/** A unit's application of `typeId` submitted and taken through the staff stages: READY_FOR_EXPERT_REVIEW, waiting for the round. */
export async function readyForReview(
  stack: { api: Api; emails: () => Promise<StoredEmail[]> },
  callId: string,
  unitId: string,
  typeId = 'lingnan-forum',
): Promise<{ applicationId: string; token: string }> {
  const token = await stack.api.unitToken(unitId);
  const submitted = await stack.api.request('POST', `/calls/${callId}/applications`, { token, body: example(typeId) });
  const applicationId = submitted.body.applicationId as string;
  await passStaffStages(() => stack.emails(), applicationId);
  await stack.api.waitForStatus(token, applicationId, 'READY_FOR_EXPERT_REVIEW');
  return { applicationId, token };
}
