/**
 * The local SES's mailbox, read as the tests read it (`GET {email}/store`), but incrementally: each
 * read asks only for what was stored since the last one (`?since=`, whole seconds of the wall
 * clock), so thousands of emails are not sent again at every poll. Every email is kept, by its
 * message id, for the checks at the end.
 */
import { eventually, type StoredEmail, taskLinkIn, taskLinksIn } from './support';
import type { RequestCounter } from './measure';

const APPLICATION_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

export class Mailbox {
  private readonly byId = new Map<string, StoredEmail>();
  private since = 0;

  constructor(
    private readonly emailUrl: string,
    private readonly requests: RequestCounter,
  ) {}

  /** Reads what was stored since the last read; answers the emails not seen before. */
  async refresh(): Promise<StoredEmail[]> {
    this.requests.add();
    const response = await fetch(`${this.emailUrl}/store?since=${this.since}`);
    if (!response.ok) throw new Error(`the mailbox: ${response.status}`);
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    const fresh: StoredEmail[] = [];
    for (const email of emails) {
      if (this.byId.has(email.messageId)) continue;
      this.byId.set(email.messageId, email);
      fresh.push(email);
      this.since = Math.max(this.since, email.at);
    }
    return fresh;
  }

  /** Reads until nothing new comes for `quietMs` (the emails that follow the last awaited one, such as an award's obligations). */
  async settle(quietMs = 3_000, maxMs = 60_000): Promise<void> {
    const giveUpAt = Date.now() + maxMs;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs && Date.now() < giveUpAt) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      if ((await this.refresh()).length) quietSince = Date.now();
    }
  }

  /** Every email read so far, oldest first. */
  all(): StoredEmail[] {
    return [...this.byId.values()];
  }

  /** Waits until `count(all emails)` reaches `expected` (polling the store), and answers the emails. */
  async until(what: string, expected: number, count: (emails: StoredEmail[]) => number, timeoutMs: number) {
    let seen = 0;
    await eventually(
      async () => {
        await this.refresh();
        seen = count(this.all());
        if (seen > expected) throw new Error(`${what}: ${seen} emails, more than the ${expected} expected`);
        return seen === expected ? true : undefined;
      },
      timeoutMs,
      `${what} (${expected} expected)`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; ${seen} seen`);
    });
    return this.all();
  }
}

/** The application an email is about (the first application id in its text), if any. */
export const applicationOf = (email: StoredEmail): string | undefined =>
  APPLICATION_ID.exec(email.body.text ?? '')?.[0];

/** The staff task emails of one kind (`形式审查`, `纸质材料签收`, `绩效目标审核`): the first request, not a reminder. */
export const isStaffTask = (kindZh: string) => (email: StoredEmail) => email.subject.startsWith(`【待办：${kindZh}】`);

/** Each application's task link of one staff kind, from the task emails (one link each). */
export function staffLinks(emails: StoredEmail[], kindZh: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const email of emails.filter(isStaffTask(kindZh))) {
    const applicationId = applicationOf(email);
    if (!applicationId) throw new Error(`no application id in "${email.subject}"`);
    if (links.has(applicationId)) throw new Error(`a second ${kindZh} task email for ${applicationId}`);
    links.set(applicationId, taskLinkIn(email));
  }
  return links;
}

/** An expert's digest (one per expert for the round, a link per application). */
export const isExpertDigest = (email: StoredEmail) => email.subject.startsWith('【专家评审邀请】');

/** Every expert link of the round's digests. */
export const expertLinks = (emails: StoredEmail[]): string[] => emails.filter(isExpertDigest).flatMap(taskLinksIn);
