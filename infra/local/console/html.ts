/**
 * What every console page shares: escaping, Beijing times, the page frame (header, navigation, the
 * simulated clock), badges and the style sheet. Plain HTML: no script, no external asset (the
 * Content-Security-Policy says so to the browser); every value that came from a user, a workflow or
 * an email goes through `escapeHtml`.
 */

import { WEB_APP_PATH } from '../web-app';

export type JsonObject = Record<string, unknown>;
export type Answer = { status: number; body: string; contentType: string; headers?: Record<string, string> };

export const HTML = 'text/html; charset=utf-8';
export const BASE = '/_local/console';
/** The staff workspace's applications table: the applications are read there, locally and on AWS alike. */
export const WORKSPACE_APPLICATIONS = `${WEB_APP_PATH}staff/applications`;
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** A path under the console with its query, escaped for an attribute (empty values left out). */
export function href(path: string, query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return escapeHtml(`${BASE}${path}${search ? `?${search}` : ''}`);
}

/** An application's page in the staff workspace (not the console's: the console keeps local mode's tools only). */
export function workspaceHref(applicationId: unknown): string {
  return escapeHtml(`${WORKSPACE_APPLICATIONS}/${encodeURIComponent(String(applicationId ?? ''))}`);
}

/** Milliseconds since the epoch of a Step Functions date (epoch seconds, or a Date), an ISO string or a number of ms. */
export function epochMs(value: unknown, numbersAreSeconds = true): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return numbersAreSeconds ? value * 1000 : value;
  if (typeof value === 'string' && value) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** An instant in Beijing time, `YYYY-MM-DD HH:mm:ss` (with milliseconds if asked). */
export function beijing(value: unknown, withMillis = false, numbersAreSeconds = true): string {
  const ms = epochMs(value, numbersAreSeconds);
  if (ms === undefined || Number.isNaN(ms)) return '';
  const iso = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withMillis ? 23 : 19)}`;
}

/** A <time> element in Beijing time, or a dash. */
export function timeCell(value: unknown, withMillis = false, numbersAreSeconds = true): string {
  const text = beijing(value, withMillis, numbersAreSeconds);
  if (!text) return '<span class="muted">—</span>';
  return `<time datetime="${escapeHtml(`${text.replace(' ', 'T')}+08:00`)}">${escapeHtml(text)}</time>`;
}

/** The duration between two Step Functions dates, as the execution pages show it. */
export function duration(start: unknown, stop: unknown): string {
  const a = epochMs(start);
  const b = epochMs(stop);
  if (a === undefined || b === undefined) return '';
  const total = Math.max(0, b - a);
  if (total < 1000) return `${total} ms`;
  const s = Math.round(total / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** JSON text pretty-printed when it parses, as-is otherwise; always escaped. */
export function pre(text: unknown): string {
  if (text === undefined || text === null) return '<span class="muted">—</span>';
  let shown = typeof text === 'string' ? text : JSON.stringify(text, null, 2);
  if (typeof text === 'string') {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: show the text itself
    }
  }
  return `<pre>${escapeHtml(shown)}</pre>`;
}

/** Plain text (an email body) with its web links made clickable; everything escaped. */
export function linkedText(text: string): string {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'）)]+/g)) {
    const start = match.index ?? 0;
    parts.push(escapeHtml(text.slice(last, start)));
    parts.push(`<a href="${escapeHtml(match[0])}">${escapeHtml(match[0])}</a>`);
    last = start + match[0].length;
  }
  parts.push(escapeHtml(text.slice(last)));
  return parts.join('');
}

/** A coloured badge; `tone` picks the colour (a class of the style sheet), the text is escaped. */
export function badge(text: string, tone: string, title?: string): string {
  return `<span class="badge tone-${escapeHtml(tone)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(text)}</span>`;
}

/** The clock the pages show: the simulated one of local mode. */
export interface ConsoleClock {
  now(): Date;
  readonly frozen?: boolean;
}

const NAV = [
  ['/', '首页 Home'],
  ['/executions', '工作流执行 Executions'],
  ['/mailbox', '邮件 Mailbox'],
  ['/sweep', '定时清扫 Sweep'],
] as const;

const STYLE = `
  :root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d0d7de; --bg: #f6f8fa; }
  * { box-sizing: border-box; }
  body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: var(--fg); margin: 0; }
  body > header { background: #24292f; color: #fff; padding: 10px 16px; }
  body > header a { color: #fff; }
  header .title { font-size: 17px; font-weight: 600; margin: 0 12px 0 0; display: inline; }
  header .clock { color: #d1d9e0; font-size: 13px; display: block; margin-top: 2px; }
  nav { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 14px; }
  nav a { color: #d1d9e0; text-decoration: none; border-bottom: 2px solid transparent; padding-bottom: 1px; }
  nav a.on { color: #fff; border-bottom-color: #fff; font-weight: 600; }
  main { padding: 12px 16px 40px; max-width: 1400px; }
  h1 { font-size: 20px; margin: 8px 0 4px; }
  h2 { font-size: 17px; margin: 26px 0 8px; }
  h3 { font-size: 15px; margin: 14px 0 6px; }
  a { color: #0969da; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
  th { background: var(--bg); font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
  .mono, pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
  pre { background: var(--bg); border: 1px solid var(--line); padding: 8px; margin: 4px 0; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-word; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12.5px; font-weight: 600; color: #fff; white-space: nowrap; }
  .tone-blue { background: #0969da; } .tone-green { background: #1a7f37; } .tone-red { background: #cf222e; }
  .tone-orange { background: #bc4c00; } .tone-grey { background: #6e7781; } .tone-purple { background: #8250df; }
  .tone-teal { background: #1b7c83; } .tone-dark { background: #424a53; }
  .tone-outline { background: #fff; color: var(--fg); border: 1px solid var(--line); }
  .st-running { background: #0969da; } .st-succeeded { background: #1a7f37; } .st-failed { background: #cf222e; }
  .st-timed-out { background: #bc4c00; } .st-aborted { background: #6e7781; } .st-unknown { background: #8250df; }
  .muted { color: var(--muted); }
  .small { font-size: 13px; }
  .plain { font-family: system-ui, "Noto Sans CJK SC", sans-serif; }
  .err { color: #cf222e; font-weight: 600; }
  .note { background: #fff8c5; border: 1px solid #d4a72c; padding: 6px 10px; border-radius: 6px; }
  .filters a, .filters strong { margin-right: 10px; }
  form.filter { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px; margin: 8px 0 12px; }
  form.filter label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
  form.filter select, form.filter input { font: inherit; padding: 4px; min-width: 12em; max-width: 22em; }
  form.filter button { font: inherit; padding: 5px 16px; }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
  .facts dt { color: var(--muted); }
  .facts dd { margin: 0; }
  article.mail { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; }
  article.mail header { background: var(--bg); color: var(--fg); padding: 6px 10px; border-bottom: 1px solid var(--line); }
  article.mail .subject { font-weight: 600; }
  article.mail .body { margin: 0; border: 0; max-height: none; background: #fff; font: 14px/1.55 system-ui, "Noto Sans CJK SC", sans-serif; }
  tr.ev-fail td { background: #ffebe9; }
  tr.ev-end td { background: #dafbe1; }
  details summary { cursor: pointer; color: #0969da; }
  .scroll { overflow-x: auto; }
  @media (max-width: 720px) {
    body { font-size: 15px; }
    main { padding: 10px 10px 32px; }
    form.filter label, form.filter select, form.filter input { width: 100%; max-width: 100%; }
    table.cards, table.cards tbody { display: block; width: 100%; }
    table.cards td, .facts dd, article.mail header { overflow-wrap: anywhere; }
    table.cards thead { display: none; }
    table.cards tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin: 0 0 10px; padding: 4px 0; }
    table.cards td { display: block; border: 0; padding: 3px 10px; }
    table.cards td[data-label]::before { content: attr(data-label); display: block; color: var(--muted); font-size: 12px; }
    td.num { text-align: left; }
    .facts { grid-template-columns: 1fr; gap: 0; }
    .facts dd { margin-bottom: 6px; }
  }
`;

export interface PageOptions {
  /** Seconds between refreshes (a meta refresh: no script needed). */
  refreshSeconds?: number;
  /** Which navigation entry is this page's ('/', '/executions', …). */
  section?: string;
  clock?: ConsoleClock;
}

/** The frame of every page: header with the navigation and the simulated clock, then the content. */
export function page(title: string, content: string, options: PageOptions = {}): string {
  const nav = NAV.map(
    ([path, label]) =>
      `<a href="${href(path === '/' ? '' : path)}"${options.section === path ? ' class="on"' : ''}>${escapeHtml(label)}</a>`,
  ).join('\n');
  // The applications are the workspace's: one link there, set apart from the console's own pages.
  const workspace = `<a href="${escapeHtml(WORKSPACE_APPLICATIONS)}">申请（工作台）Applications (workspace) ↗</a>`;
  const clock = options.clock
    ? `模拟时钟 Simulated clock: ${escapeHtml(beijing(options.clock.now()))} 北京时间 (UTC+08:00)${options.clock.frozen ? ' · 已冻结 frozen' : ''}`
    : '时间均为北京时间 (UTC+08:00) · Times in Beijing time';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'">
${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">\n` : ''}<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a class="title" href="${href('')}">广东省科协学会学术项目 · 本地控制台 Local console</a>
<span class="clock">${clock}</span>
<nav>
${nav}
${workspace}
</nav></header>
<main>
${content}
</main>
</body>
</html>
`;
}

export function htmlAnswer(status: number, title: string, content: string, options?: PageOptions): Answer {
  return { status, body: page(title, content, options), contentType: HTML };
}

export function problem(status: number, title: string, message: string, options?: PageOptions): Answer {
  return htmlAnswer(
    status,
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${href('')}">← 控制台首页 The console's home</a> · <a href="${href('/executions')}">工作流执行 All executions</a> · <a href="${escapeHtml(WORKSPACE_APPLICATIONS)}">申请（工作台）Applications (workspace)</a></p>`,
    options,
  );
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
