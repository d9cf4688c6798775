import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, api, type FieldDetail } from '../api';
import { currentPerson } from '../auth/session';
import { appConfig } from '../config';
import { useText } from '../i18n';
import { ErrorNote, useLoad } from '../load';
import { navigate, useLocation } from '../router';

/**
 * What the review, award and reports pages share: which call they act on, an irreversible action
 * asked for confirmation first, the API's refusal in words, a CSV download and a table that scrolls
 * on a phone.
 */

interface CallChoice {
  callId: string;
  sample?: boolean;
  documentNo?: string;
}

/** The calls staff may act on, and the one chosen (`?call=` in the address; the first real call by default). */
export function useCallChoice() {
  const url = useLocation();
  const listing = useLoad(() => api<{ now: string; calls: CallChoice[] }>('GET', '/calls'), []);
  const calls = listing.data?.calls ?? [];
  const asked = url.searchParams.get('call');
  const callId =
    (asked && calls.some((c) => c.callId === asked) ? asked : undefined) ??
    calls.find((c) => !c.sample)?.callId ??
    calls[0]?.callId;
  return { callId, calls, error: listing.error, now: listing.data?.now };
}

/** The call chooser, shown only when there is more than one call. */
export function CallPicker({ calls, callId }: { calls: CallChoice[]; callId?: string }) {
  const { t } = useText();
  if (calls.length < 2) return null;
  return (
    <div class="field round-call">
      <label for="round-call">{t('申报通知', 'Call')}</label>
      <select
        id="round-call"
        value={callId}
        onChange={(event) => {
          const next = new URL(location.href);
          next.searchParams.set('call', (event.target as HTMLSelectElement).value);
          navigate(next.pathname + next.search, { replace: true });
        }}
      >
        {calls.map((c) => (
          <option key={c.callId} value={c.callId}>
            {c.documentNo ? `${c.documentNo} (${c.callId})` : c.callId}
            {c.sample ? t('（示例）', ' (sample)') : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The refusals these pages meet, in Chinese; the English is the API's own message. */
const ROUND_WORDS: Record<string, string> = {
  POOL_INSUFFICIENT: '专家库不足以评审全部申报，未分配任何专家。请先处理以下各项，再开始评审',
  STAGE_NOT_READY: '尚未到这一步',
  NO_ELIGIBLE_EXPERT: '该专家不能评审这项申报，或没有可选的专家',
  AWARD_CONFIRMED: '立项已经确认，不能再提出新的建议',
  VALIDATION_FAILED: '填写有误',
  ALREADY_DONE: '此事项已办理',
  FORBIDDEN: '无权办理此事项',
  NOT_FOUND: '未找到',
  BUSY: '系统繁忙，请稍后重试',
};

/** One detail of a refusal as a sentence: which application or field, and what is wrong with it. */
function DetailText({ detail }: { detail: FieldDetail }) {
  const { t } = useText();
  const [head, ...rest] = detail.path.split('.');
  const name = rest.join('.');
  if (head === 'applications' && name)
    return (
      <>
        {t('申报', 'Application')} <code>{name}</code>：{detail.message}
      </>
    );
  if (head === 'statuses' && name)
    return (
      <>
        {t('仍在评审中：', 'Still in review: ')}
        {detail.message}
      </>
    );
  if (!detail.path) return <>{detail.message}</>;
  return (
    <>
      <code>{detail.path}</code>：{detail.message}
    </>
  );
}

/** A refusal in words, with each thing to fix the API named (the round's codes and details worded here). */
export function RoundError({ error }: { error: Error }) {
  return <ErrorNote error={error} words={ROUND_WORDS} detail={(d) => <DetailText detail={d} />} />;
}

/**
 * An action the API carries out, asked for confirmation first when it cannot be undone: its
 * refusal or its answer kept for the page to show.
 */
export function useAction<T>() {
  const [state, setState] = useState<{ busy: boolean; error?: Error; done?: T }>({ busy: false });
  const run = async (question: string | undefined, action: () => Promise<T>): Promise<T | undefined> => {
    if (question && !window.confirm(question)) return undefined;
    setState({ busy: true });
    try {
      const done = await action();
      setState({ busy: false, done });
      return done;
    } catch (error) {
      setState({ busy: false, error: error as Error });
      return undefined;
    }
  };
  return { ...state, run };
}

/** The file name the API gave (`Content-Disposition`), or `fallback`. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  return /filename="?([^";]+)"?/.exec(header)?.[1] ?? fallback;
}

/**
 * The API's CSV of `path`, saved by the browser as the API names it: fetched with the signed-in
 * person's token (a plain link could not send it), then handed over as a Blob link.
 */
export async function downloadCsv(path: string, fallback: string): Promise<void> {
  const { apiBase } = await appConfig();
  const person = currentPerson();
  const response = await fetch(`${apiBase}${path}`, {
    headers: { accept: 'text/csv', ...(person ? { authorization: `Bearer ${person.token}` } : {}) },
  });
  if (!response.ok) {
    const parsed = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string; details?: FieldDetail[] } } | undefined;
    throw new ApiError(
      response.status,
      parsed?.error?.code ?? `HTTP_${response.status}`,
      parsed?.error?.message ?? response.statusText,
      parsed?.error?.details ?? [],
    );
  }
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileNameOf(response, fallback);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** A wide table that scrolls sideways on a phone, reachable by keyboard. */
export function ScrollTable(props: { label: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <div class={props.wide ? 'round-table wide' : 'round-table'} role="region" aria-label={props.label} tabIndex={0}>
      <table>{props.children}</table>
    </div>
  );
}
