/** How the emails write amounts, counts, dates and lists, in both languages. */
import type { Bilingual, ProjectType } from '@shared/domain/catalogue';
import { beijingDateTimeEn, beijingDateTimeZh, isoDateEn, isoDateZh } from '@shared/domain/beijing-dates';

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A subject is one line whatever the form's title holds. */
export const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

export const numbered = (items: string[]) => items.map((item, i) => `${i + 1}. ${item}`);

/** "1 file", "3 files": English counts agree with their noun. */
export const countEn = (n: number, noun: string, plural = `${noun}s`) => (n === 1 ? `1 ${noun}` : `${n} ${plural}`);

export const copiesEn = (n: number) => countEn(n, 'copy', 'copies');

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinalEn(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

/** "10万元" / "5.5万元" in Chinese, "CNY 100,000" in English: each the way its readers count money. */
export const money = (cny: number): Bilingual => ({
  zh: `${Number((cny / 10000).toFixed(4))}万元`,
  en: `CNY ${String(cny).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`,
});

export function funding(type: ProjectType): Bilingual {
  if (type.funding.kind === 'fixed') {
    const amount = money(type.funding.amountCny);
    return { zh: `${amount.zh}/项`, en: `${amount.en} per project` };
  }
  const [min, max] = [money(type.funding.minCny), money(type.funding.maxCny)];
  return { zh: `${min.zh}–${max.zh}/项`, en: `${min.en}–${max.en} per project` };
}

/** An instant in Beijing time; the English leaves "Beijing time" to the sentence, which words it variously. */
export const dateTime = (at: Date): Bilingual => ({ zh: beijingDateTimeZh(at), en: beijingDateTimeEn(at) });

/** A calendar date (YYYY-MM-DD). */
export const isoDate = (on: string): Bilingual => ({ zh: isoDateZh(on), en: isoDateEn(on) });
