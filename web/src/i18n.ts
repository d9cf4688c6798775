import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** Chinese first, as the notice is written; English for the reader who asks for it. */
export type Lang = 'zh' | 'en';
export interface Bilingual {
  zh: string;
  en: string;
}

export const LangContext = createContext<{ lang: Lang; setLang: (lang: Lang) => void }>({
  lang: 'zh',
  setLang: () => undefined,
});

export function storedLang(): Lang {
  return localStorage.getItem('gdast.lang') === 'en' ? 'en' : 'zh';
}

/** `t(zh, en)` in the reader's language; `b({zh, en})` for the call data's bilingual texts. */
export function useText() {
  const { lang } = useContext(LangContext);
  const t = (zh: string, en: string) => (lang === 'en' ? en : zh);
  return { lang, t, b: (text: Bilingual | undefined) => (text ? t(text.zh, text.en) : '') };
}

const BEIJING = { timeZone: 'Asia/Shanghai' } as const;

/** A Beijing-time instant as a person reads it: 2023年9月25日 23:59 / 25 Sep 2023, 23:59. */
export function instantText(iso: string | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    ...BEIJING,
    year: 'numeric',
    month: lang === 'en' ? 'short' : 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** How long until `iso`, in days or hours, from `now`. */
export function timeLeftText(iso: string, now: number, lang: Lang): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return lang === 'en' ? 'passed' : '已截止';
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor(ms / 3_600_000);
  if (days >= 1) return lang === 'en' ? `${days} day${days > 1 ? 's' : ''} left` : `还剩${days}天`;
  return lang === 'en' ? `${hours} h left` : `还剩${hours}小时`;
}

export function moneyText(cny: number, lang: Lang): string {
  return lang === 'en' ? `CNY ${cny.toLocaleString('en-GB')}` : `${(cny / 10_000).toLocaleString('zh-CN')}万元`;
}
