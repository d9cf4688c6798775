/**
 * The mailbox page: every email local mode has sent, newest first, bodies shown, in Beijing time on
 * the simulated clock. A readable replacement for aws-ses-v2-local's own page (which needs
 * JavaScript, hides bodies and has a "Clear" button): this one only reads.
 *
 * aws-ses-v2-local stamps each email with the wall clock; `stampSimulatedSendTime` adds the
 * simulated clock's instant as it is stored (so it is kept in .local/emails.jsonl with it).
 */
import { now, toBeijingIso } from '@shared/domain/clock';
import { emailsOf, type ApplicationRecord } from '@shared/domain/application-record';
import { readApplications, type ConsoleStore, type MailboxEmail } from './data';
import { beijing, escapeHtml, href, htmlAnswer, linkedText, problem, type Answer, type PageOptions } from './html';
import { APPLICATION_STATUS_LIST } from './labels';

/**
 * Stamps an email with `simulatedAt`, the simulated clock's instant as it is stored (Beijing ISO),
 * before aws-ses-v2-local keeps it (infra/local/mailbox.ts calls it), so .local/emails.jsonl keeps
 * the stamp too.
 */
export function stampSimulatedSendTime(email: MailboxEmail): void {
  if (email && typeof email === 'object' && email.simulatedAt === undefined) email.simulatedAt = toBeijingIso(now());
}

/** When an email was sent: on the simulated clock when it was stamped, else the wall clock (labelled). */
export function sentAt(email: MailboxEmail | undefined, logged?: string): string {
  if (logged) return `${escapeHtml(beijing(logged))}`;
  if (email?.simulatedAt) return escapeHtml(beijing(email.simulatedAt));
  if (typeof email?.at === 'number')
    return `${escapeHtml(beijing(email.at))} <span class="muted">(墙钟 wall clock)</span>`;
  return '<span class="muted">—</span>';
}

const addresses = (list: unknown) => (Array.isArray(list) ? list.map(String).join(', ') : '');

/** One email, rendered: who, when, subject, and its body as text with clickable links. */
export function renderEmail(
  email: MailboxEmail | undefined,
  logged: { to?: string; cc?: string[]; subject?: string; template?: string; at?: string; messageId?: string } = {},
  extra = '',
): string {
  const to = addresses(email?.destination?.to) || logged.to || '';
  const cc = addresses(email?.destination?.cc) || (logged.cc ?? []).join(', ');
  const subject = email?.subject ?? logged.subject ?? '';
  const text = email?.body?.text ?? (email?.body?.html ? email.body.html.replace(/<[^>]*>/g, '') : undefined);
  const body =
    text !== undefined
      ? `<pre class="body">${linkedText(text)}</pre>`
      : `<p class="muted" style="padding:0 10px">本地邮箱中没有此邮件正文 The local mailbox does not hold this email's body${logged.messageId ? ` (${escapeHtml(logged.messageId)})` : ''}.</p>`;
  return `<article class="mail">
<header><div class="subject">${escapeHtml(subject)}</div>
<div class="small">${sentAt(email, logged.at)} · 收件人 To: ${escapeHtml(to)}${cc ? ` · 抄送 Cc: ${escapeHtml(cc)}` : ''}${
    logged.template ? ` · 模板 Template: <code>${escapeHtml(logged.template)}</code>` : ''
  }${extra}</div></header>
${body}
</article>`;
}

const PAGE_SIZE = 50;
/** How many applications' email logs the mailbox reads at a time. */
const LOG_READS_AT_ONCE = 16;

async function eachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** GET /_local/console/mailbox[?to=…&offset=…]: every email, newest first. */
export async function mailboxPage(store: ConsoleStore, url: URL, options: PageOptions): Promise<Answer> {
  const offset = Number(url.searchParams.get('offset') ?? '0');
  if (!Number.isSafeInteger(offset) || offset < 0)
    return problem(400, '参数错误 Bad offset', 'offset must be a whole number ≥ 0', options);
  const to = url.searchParams.get('to')?.trim().toLowerCase() || undefined;
  const all = [...store.mailbox()].reverse();
  const shown = to
    ? all.filter((email) =>
        (email.destination?.to ?? []).concat(email.destination?.cc ?? []).some((a) => a.toLowerCase().includes(to)),
      )
    : all;
  const slice = shown.slice(offset, offset + PAGE_SIZE);

  // Which application each email was about, from the applications' email logs (one Query each).
  const applications = await readApplications(store, {
    statuses: APPLICATION_STATUS_LIST,
    attributes: ['applicationId', 'emails', 'form'],
  }).catch(() => [] as ApplicationRecord[]);
  const about = new Map<string, ApplicationRecord>();
  await eachAtMost(LOG_READS_AT_ONCE, applications, async (app) => {
    const mail = await store.mailLog(app.applicationId).catch(() => ({ emails: [], events: [] }));
    for (const logged of emailsOf(app, mail)) if (logged.messageId) about.set(logged.messageId, app);
  });

  const items = slice
    .map((email) => {
      const app = about.get(email.messageId);
      const link = app
        ? ` · 申请 Application: <a href="${href(`/applications/${encodeURIComponent(app.applicationId)}`)}">${escapeHtml(app.form?.title ?? app.applicationId)}</a>`
        : '';
      return renderEmail(email, {}, link);
    })
    .join('\n');
  const more =
    offset + PAGE_SIZE < shown.length
      ? `<a href="${href('/mailbox', { to, offset: offset + PAGE_SIZE })}">更早的邮件 Older emails →</a>`
      : '';
  const newer =
    offset > 0
      ? `<a href="${href('/mailbox', { to, offset: Math.max(0, offset - PAGE_SIZE) })}">← 较新的邮件 Newer emails</a>`
      : '';
  const content = `
<h1>邮件 Mailbox</h1>
<p class="muted">本地发出的全部邮件，最新的在前；时间为模拟时钟的北京时间。Every email local mode sent, newest first; times are Beijing time on the simulated clock. ${
    shown.length
  } 封 email(s)${to ? ` 收件人含 to “${escapeHtml(to)}”` : ''}${shown.length > PAGE_SIZE ? `, ${offset + 1}–${offset + slice.length} shown` : ''}.</p>
<form class="filter" method="get" action="${href('/mailbox')}">
<label>收件人 Recipient<input type="search" name="to" value="${escapeHtml(to ?? '')}" placeholder="dengmei@…"></label>
<button type="submit">筛选 Filter</button> <a href="${href('/mailbox')}">全部 All</a>
</form>
${items || '<p class="muted">没有邮件 No emails.</p>'}
<p>${newer} ${more}</p>`;
  return htmlAnswer(200, '邮件 Mailbox', content, { ...options, section: '/mailbox' });
}
