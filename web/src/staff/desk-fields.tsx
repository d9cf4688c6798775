import type { ComponentChildren } from 'preact';
import { ApiError, type FieldDetail } from '../api';
import { useText } from '../i18n';
import { ErrorNote } from '../load';

/** The API's field details that name `path` or a part of it (`disciplines` takes `disciplines.1`). */
export function detailsAt(error: Error | undefined, path: string): FieldDetail[] {
  if (!(error instanceof ApiError)) return [];
  return error.details.filter((d) => d.path === path || d.path.startsWith(`${path}.`));
}

/** The API's field codes in Chinese; its own message (English) follows them. */
const DETAIL_WORDS: Record<string, string> = {
  REQUIRED: '必填',
  INVALID_FORMAT: '格式不正确',
  INVALID_TYPE: '填写的内容类型不对',
  INVALID_VALUE: '填写的值不符合要求',
  NOT_INTEGER: '须为整数',
  TOO_FEW_ITEMS: '至少填写一项',
  TOO_MANY_ITEMS: '项目过多',
  TOO_LONG: '内容过长',
  TOO_SHORT: '内容过短',
  TOO_SMALL: '数值过小',
  TOO_LARGE: '数值过大',
};

/** What is left of a refusal once its fields have shown theirs: said in words above the form. */
export function RestOfError({ error, fields }: { error: Error | undefined; fields: string[] }) {
  const { t } = useText();
  if (!error) return null;
  if (!(error instanceof ApiError)) return <ErrorNote error={error} />;
  const rest = error.details.filter((d) => !fields.some((f) => d.path === f || d.path.startsWith(`${f}.`)));
  if (error.details.length > 0 && rest.length === 0)
    return (
      <p role="alert" class="error-note">
        {t(
          `有 ${error.details.length} 处需要修改，已在对应项下标出。`,
          `${error.details.length} thing${error.details.length > 1 ? 's' : ''} to fix, marked below.`,
        )}
      </p>
    );
  return <ErrorNote error={new ApiError(error.status, error.code, error.message, rest)} />;
}

/** A labelled input with its hint and the API's problems with it, tied together for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  problems: FieldDetail[];
  children: (aria: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const { t } = useText();
  const described = [props.hint ? `${props.id}-hint` : '', props.problems.length ? `${props.id}-problems` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span id={`${props.id}-hint`} class="hint">
          {props.hint}
        </span>
      )}
      {props.children({
        id: props.id,
        'aria-invalid': props.problems.length ? 'true' : undefined,
        'aria-describedby': described || undefined,
      })}
      {props.problems.length > 0 && (
        <ul id={`${props.id}-problems`} class="problems">
          {props.problems.map((d, i) => (
            <li key={i}>{t(`需要修改：${DETAIL_WORDS[d.code] ?? ''}（${d.message}）`, `To fix: ${d.message}`)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The value an input event carries. */
export const valueOf = (event: Event) => (event.target as HTMLInputElement | HTMLTextAreaElement).value;
