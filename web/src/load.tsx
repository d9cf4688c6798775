import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError, type FieldDetail } from './api';
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

/** The API's refusals a person meets here, in Chinese; the English is the API's own message. */
const CODE_WORDS: Record<string, string> = {
  UNIT_LIMIT_REACHED: '本单位的申报名额已用完',
  TYPE_LIMIT_REACHED: '本单位该类型项目的申报名额已用完',
  DEADLINE_PASSED: '已过截止时间',
  CALL_NOT_OPEN: '申报尚未开始',
  NOT_AMENDABLE: '申请书当前不能修改',
  ALREADY_DONE: '此事项已办理',
  UNIT_BARRED: '本单位本年度不得申报',
  NOT_A_MEMBER: '本单位尚未登记为会员单位，请联系省科协',
  DRAFT_CHANGED: '草稿已在其他窗口或设备上保存，请刷新页面',
  IDEMPOTENCY_KEY_REUSED: '此草稿已在其他设备上提交',
  FORBIDDEN: '无权办理此事项',
  NOT_FOUND: '未找到',
  BUSY: '系统繁忙，请稍后重试',
};

/**
 * A refusal in words, with each field the API named. A page may word codes of its own (`words`) and
 * its details (`detail`); by default a detail is its path and the API's message.
 */
export function ErrorNote({
  error,
  words: pageWords = {},
  detail = (d) => (
    <>
      <code>{d.path || '—'}</code> {d.message}
    </>
  ),
}: {
  error: Error;
  words?: Readonly<Record<string, string>>;
  detail?: (detail: FieldDetail) => ComponentChildren;
}) {
  const { t } = useText();
  const details = error instanceof ApiError ? error.details : [];
  const words = error instanceof ApiError ? (pageWords[error.code] ?? CODE_WORDS[error.code]) : undefined;
  return (
    <div role="alert" class="error-note">
      <p>
        {t('操作未完成：', 'That did not work: ')}
        {words ? t(words, error.message) : error.message}
      </p>
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>{detail(d)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
