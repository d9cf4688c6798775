import { useState } from 'preact/hooks';
import { api } from '../api';
import { useText } from '../i18n';
import { useLoad } from '../load';

/**
 * A list the API gives a page at a time by `?limit=&after=` (the units, the expert pool): the
 * `after` of each page seen is kept, so a person can go back as well as on.
 */
export function usePagedList<T extends { next?: string }>(
  path: string,
  limit: number,
  extra: Record<string, string | undefined> = {},
  deps: unknown[] = [],
) {
  const [trail, setTrail] = useState<string[]>([]);
  const after = trail.at(-1);
  const page = useLoad(() => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (after) query.set('after', after);
    for (const [key, value] of Object.entries(extra)) if (value) query.set(key, value);
    return api<T>('GET', `${path}?${query.toString()}`);
  }, [after, ...deps]);
  return {
    page,
    /** 1 for the first page */
    number: trail.length + 1,
    back: trail.length > 0 ? () => setTrail((all) => all.slice(0, -1)) : undefined,
    forward: page.data?.next ? () => setTrail((all) => [...all, page.data!.next!]) : undefined,
  };
}

/** "（第N页）" after a list's heading, from the second page on. */
export function PageNumber({ number }: { number: number }) {
  const { t } = useText();
  return <>{number > 1 && t(`（第${number}页）`, ` (page ${number})`)}</>;
}

export function PageButtons({ back, forward }: { back?: () => void; forward?: () => void }) {
  const { t } = useText();
  return (
    <div class="actions">
      {back && (
        <button type="button" class="secondary" onClick={back}>
          {t('上一页', 'Previous page')}
        </button>
      )}
      {forward && (
        <button type="button" class="secondary" onClick={forward}>
          {t('下一页', 'Next page')}
        </button>
      )}
    </div>
  );
}
