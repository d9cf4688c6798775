import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { useText } from './i18n';

/** Data a page needs before it can show anything, and whether it failed. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function Loading() {
  const { t } = useText();
  return (
    <p role="status" class="hint">
      {t('正在加载…', 'Loading…')}
    </p>
  );
}

/** A refusal in words, with each field the API named. */
export function ErrorNote({ error }: { error: Error }) {
  const { t } = useText();
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div role="alert" class="error-note">
      <p>
        {t('操作未完成：', 'That did not work: ')}
        {error.message}
      </p>
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>
              <code>{d.path || '—'}</code> {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
