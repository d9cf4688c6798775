/**
 * The mailbox page: every email local mode has sent, newest first, bodies shown, in Beijing time on
 * the simulated clock. A readable replacement for aws-ses-v2-local's own page (which needs
 * JavaScript, hides bodies and has a "Clear" button): this one only reads. An email about an
 * application links to the application's page in the staff workspace, and to its other emails here
 * (the workspace lists an application's emails; only local mode keeps their bodies).
 *
 * aws-ses-v2-local stamps each email with the wall clock; `stampSimulatedSendTime` adds the
 * simulated clock's instant as it is stored (so it is kept in .local/emails.jsonl with it).
 */
import { now, toBeijingIso } from '@shared/domain/clock';
import { emailsOf, type ApplicationRecord } from '@shared/domain/application-record';
import { readApplications, type ConsoleStore, type MailboxEmail } from './data';
import {
  beijing,
  escapeHtml,
  href,
  htmlAnswer,
  linkedText,
  problem,
  workspaceHref,
  type Answer,
  type PageOptions,
} from './html';
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
function sentAt(email: MailboxEmail): string {
  if (email.simulatedAt) return escapeHtml(beijing(email.simulatedAt));
  if (typeof email.at === 'number')
    return `${escapeHtml(beijing(email.at))} <span class="muted">(墙钟 wall clock)</span>`;
  return '<span class="muted">—</span>';
}

const addresses = (list: unknown) => (Array.isArray(list) ? list.map(String).join(', ') : '');

/** One email, rendered: who, when, subject, and its body as text with clickable links; `extra` after the recipients. */
function renderEmail(email: MailboxEmail, extra = ''): string {
  const to = addresses(email.destination?.to);
  const cc = addresses(email.destination?.cc);
  const text = email.body?.text ?? (email.body?.html ? email.body.html.replace(/<[^>]*>/g, '') : undefined);
  const body =
    text !== undefined
      ? `<pre class="body">${linkedText(text)}</pre>`
      : `<p class="muted" style="padding:0 10px">此邮件没有正文 This email has no body.</p>`;
  return `<article class="mail">
<header><div class="subject">${escapeHtml(email.subject ?? '')}</div>
<div class="small">${sentAt(email)} · 收件人 To: ${escapeHtml(to)}${cc ? ` · 抄送 Cc: ${escapeHtml(cc)}` : ''}${extra}</div></header>
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

/** Which application each email was about, by message id, from the applications' email logs (one Query each). */
async function applicationsByMessage(store: ConsoleStore): Promise<Map<string, ApplicationRecord>> {
  const applications = await readApplications(store, {
    statuses: APPLICATION_STATUS_LIST,
    attributes: ['applicationId', 'emails', 'form'],
  }).catch(() => [] as ApplicationRecord[]);
  const about = new Map<string, ApplicationRecord>();
  await eachAtMost(LOG_READS_AT_ONCE, applications, async (app) => {
    const mail = await store.mailLog(app.applicationId).catch(() => ({ emails: [], events: [] }));
    for (const logged of emailsOf(app, mail)) if (logged.messageId) about.set(logged.messageId, app);
  });
  return about;
}

interface MailboxFilters {
  to?: string;
  application?: string;
  offset: number;
}

/** The emails the filters keep: to (or cc) a recipient containing `to`, about one application. */
function filtered(all: MailboxEmail[], filters: MailboxFilters, about: Map<string, ApplicationRecord>): MailboxEmail[] {
  const { to, application } = filters;
  return all.filter(
    (email) =>
      (!to ||
        (email.destination?.to ?? [])
          .concat(email.destination?.cc ?? [])
          .some((address) => address.toLowerCase().includes(to))) &&
      (!application || about.get(email.messageId)?.applicationId === application),
  );
}

/** The application an email was about: its page in the workspace, and its emails here. */
function aboutLink(app: ApplicationRecord | undefined): string {
  if (!app) return '';
  return ` · 申请 Application: <a href="${workspaceHref(app.applicationId)}">${escapeHtml(app.form?.title ?? app.applicationId)}</a> <a class="small" href="${href('/mailbox', { application: app.applicationId })}">此申请的邮件 its emails</a>`;
}

function pager(filters: MailboxFilters, total: number): string {
  const { to, application, offset } = filters;
  const more =
    offset + PAGE_SIZE < total
      ? `<a href="${href('/mailbox', { to, application, offset: offset + PAGE_SIZE })}">更早的邮件 Older emails →</a>`
      : '';
  const newer =
    offset > 0
      ? `<a href="${href('/mailbox', { to, application, offset: Math.max(0, offset - PAGE_SIZE) })}">← 较新的邮件 Newer emails</a>`
      : '';
  return `<p>${newer} ${more}</p>`;
}

function summary(filters: MailboxFilters, total: number, shown: number): string {
  const { to, application, offset } = filters;
  return `本地发出的全部邮件，最新的在前；时间为模拟时钟的北京时间。Every email local mode sent, newest first; times are Beijing time on the simulated clock. ${total} 封 email(s)${
    to ? ` 收件人含 to “${escapeHtml(to)}”` : ''
  }${application ? ` 关于申请 about application <span class="mono">${escapeHtml(application)}</span>` : ''}${
    total > PAGE_SIZE ? `, ${offset + 1}–${offset + shown} shown` : ''
  }.`;
}

/** GET /_local/console/mailbox[?to=…&application=…&offset=…]: every email, newest first. */
export async function mailboxPage(store: ConsoleStore, url: URL, options: PageOptions): Promise<Answer> {
  const offset = Number(url.searchParams.get('offset') ?? '0');
  if (!Number.isSafeInteger(offset) || offset < 0)
    return problem(400, '参数错误 Bad offset', 'offset must be a whole number ≥ 0', options);
  const filters: MailboxFilters = {
    to: url.searchParams.get('to')?.trim().toLowerCase() || undefined,
    application: url.searchParams.get('application')?.trim() || undefined,
    offset,
  };
  const about = await applicationsByMessage(store);
  const shown = filtered([...store.mailbox()].reverse(), filters, about);
  const slice = shown.slice(offset, offset + PAGE_SIZE);
  const items = slice.map((email) => renderEmail(email, aboutLink(about.get(email.messageId)))).join('\n');
  const content = `
<h1>邮件 Mailbox</h1>
<p class="muted">${summary(filters, shown.length, slice.length)}</p>
<form class="filter" method="get" action="${href('/mailbox')}">
<label>收件人 Recipient<input type="search" name="to" value="${escapeHtml(filters.to ?? '')}" placeholder="dengmei@…"></label>
<label>申请编号 Application id<input type="search" name="application" value="${escapeHtml(filters.application ?? '')}"></label>
<button type="submit">筛选 Filter</button> <a href="${href('/mailbox')}">全部 All</a>
</form>
${items || '<p class="muted">没有邮件 No emails.</p>'}
${pager(filters, shown.length)}`;
  return htmlAnswer(200, '邮件 Mailbox', content, { ...options, section: '/mailbox' });
}
