import type { Bilingual, Call } from '@shared/domain/catalogue';
import { STYLE } from './style';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and for double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

export const esc = escapeHtml;

/** Chinese, with the English beside it (inline). */
export const bi = (zh: string, en: string) => `${esc(zh)} <span class="en" lang="en">${esc(en)}</span>`;
/** Chinese, with the English under it. */
export const biBlock = (zh: string, en: string) => `${esc(zh)}<span class="en block" lang="en">${esc(en)}</span>`;
export const para = (zh: string, en: string, cls = '') => `<p${cls ? ` class="${cls}"` : ''}>${biBlock(zh, en)}</p>`;
export const b = (text: Bilingual) => bi(text.zh, text.en);

/** One term and its value in a `dl.kv`; the value is HTML already. */
export const row = (zh: string, en: string, value: string) => `<dt>${bi(zh, en)}</dt><dd>${value}</dd>`;

export function checklist(items: Array<[string, string]>): string {
  return `<ul>${items.map(([zh, en]) => `<li>${biBlock(zh, en)}</li>`).join('')}</ul>`;
}

/** A whole document around `body`: each page stands alone, so it carries its own style and meta tags. */
export function page(title: string, body: string, header = ''): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    // The page's address carries the link's signature: never sent to another site. Its own origin
    // still gets it, so the form's POST names the page's origin (no-referrer would send Origin: null).
    '<meta name="referrer" content="same-origin">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    header,
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const callHeader = (call: Call) =>
  `<header>${bi(call.issuer.zh, call.issuer.en)} · ${esc(call.documentNo)}</header>`;
