/** Values as the pages write them: instants and days in Beijing time, money in 万元 and yuan, people, plain values. */
import type { Person } from '@shared/domain/application-form';
import { beijingDateTimeEn, beijingDateTimeZh, isoDateEn, isoDateZh } from '@shared/domain/beijing-dates';
import type { ProjectType } from '@shared/domain/catalogue';
import { bi, esc } from './frame';

export const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** An instant, the Chinese way ("2023年9月28日 17时", an end of day "24时") then the English way, Beijing time. */
export function instantText(instant: Date): string {
  if (!isValidDate(instant)) return '—';
  return bi(`${beijingDateTimeZh(instant)}（北京时间）`, `${beijingDateTimeEn(instant)} (Beijing time)`);
}

/** An instant written as a string (an ISO instant); shown as given when it cannot be read. */
export function instantStringText(value: string | undefined): string {
  if (!value) return '—';
  const t = Date.parse(value);
  return Number.isNaN(t) ? esc(value) : instantText(new Date(t));
}

const ISO_DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date "YYYY-MM-DD": "2024年3月1日 1 March 2024"; shown as given when it is not one. */
export function dayText(value: string | undefined): string {
  const m = value ? ISO_DAY_RE.exec(value) : null;
  if (!value || !m) return value ? esc(value) : '—';
  const month = Number(m[2]);
  if (month < 1 || month > 12) return esc(value);
  return bi(isoDateZh(value), isoDateEn(value));
}

export const groupThousands = (n: number) => {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
};

/** 万元 with at most 4 decimals (whole yuan), trailing zeros dropped. */
export const wan = (cny: number) => {
  const w = cny / 10000;
  return Number.isInteger(w) ? String(w) : w.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
};

/** "10 万元（100,000 元）" beside "CNY 100,000". */
export function moneyText(cny: number): string {
  if (typeof cny !== 'number' || !Number.isFinite(cny)) return '—';
  return bi(`${wan(cny)} 万元（${groupThousands(cny)} 元）`, `CNY ${groupThousands(cny)}`);
}

export function fundingText(type: ProjectType): string {
  const f = type.funding;
  return f.kind === 'fixed'
    ? bi(
        `每项 ${wan(f.amountCny)} 万元（申请额不超过此数）`,
        `CNY ${groupThousands(f.amountCny)} per award (requests up to this amount)`,
      )
    : bi(
        `每项 ${wan(f.minCny)}–${wan(f.maxCny)} 万元`,
        `CNY ${groupThousands(f.minCny)}–${groupThousands(f.maxCny)} per award`,
      );
}

export const percent = (weight: number) => `${Math.round(weight * 1000) / 10}%`;

/** "1.5 MB", "820 KB", "512 B". */
export function sizeText(bytes: number): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** A person with a phone and a mail link, for staff, who may need to reach them. */
export function personText(p: Person | undefined): string {
  if (!p) return '—';
  const tel = p.phone.replace(/[^0-9+]/g, '');
  return [
    `${esc(p.name)}（${esc(p.title)}）`,
    `<br><a href="tel:${esc(tel)}">${esc(p.phone)}</a>`,
    ` · <a href="mailto:${esc(p.email)}">${esc(p.email)}</a>`,
  ].join('');
}

/** A person by name and title only: for an expert, who judges the application and never needs to reach its people. */
export const personNameText = (p: Person | undefined) => (p ? `${esc(p.name)}（${esc(p.title)}）` : '—');

/** A value of a form or a report whose meaning the page does not know: yes/no, a number, a day, or as given. */
export function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? bi('是', 'yes') : bi('否', 'no');
  if (typeof value === 'number') return esc(groupThousands(value));
  if (typeof value === 'string') return ISO_DAY_RE.test(value) ? dayText(value) : esc(value);
  if (value === null || value === undefined) return '—';
  return esc(JSON.stringify(value));
}
