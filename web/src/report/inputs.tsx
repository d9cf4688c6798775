import type { Problem } from '../form/checks';
import { useText } from '../i18n';
import type { ObligationView } from '../types';
import { achievedKey, type FieldSpec, type Values } from './fields';
import { Problems } from './problems';

/** One field of a report, as its spec says it is typed, with its hint and problems. */
export function Field(props: {
  spec: FieldSpec;
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  problems: readonly Problem[];
}) {
  const { b } = useText();
  const { spec, problems } = props;
  const id = `r-${spec.key}`;
  const describedBy = [spec.hint ? `${id}-hint` : '', problems.length ? `${id}-problems` : ''].filter(Boolean);
  const common = {
    id,
    name: spec.key,
    value: props.value,
    onBlur: props.onBlur,
    'aria-invalid': problems.length ? ('true' as const) : undefined,
    'aria-describedby': describedBy.length ? describedBy.join(' ') : undefined,
    onInput: (e: Event) => props.onChange((e.target as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{b(spec.label)}</label>
      {spec.hint && (
        <p class="hint" id={`${id}-hint`}>
          {b(spec.hint)}
        </p>
      )}
      {spec.kind === 'textarea' || spec.kind === 'lines' ? (
        <textarea {...common} rows={spec.kind === 'lines' ? 4 : 6} />
      ) : spec.kind === 'count' ? (
        <input {...common} type="number" inputMode="numeric" step={1} min={0} />
      ) : (
        <input {...common} type={spec.kind === 'date' ? 'date' : 'text'} />
      )}
      <Problems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

/** The project summary's table: what was achieved against each performance target of the award. */
export function AchievedTargets(props: {
  targets: NonNullable<ObligationView['targets']>;
  values: Values;
  set: (key: string, value: string) => void;
  touch: (path: string) => void;
  shown: (path: string) => Problem[];
}) {
  const { t } = useText();
  const { values, set, touch, shown } = props;
  return (
    <fieldset class="table-field">
      <legend>{t('绩效目标完成情况', 'What was achieved against each performance target')}</legend>
      {props.targets.map((target, i) => {
        const id = `r-achieved-${i}`;
        const own = shown(`fields.achieved.${i}`);
        return (
          <div class="field" key={target.path}>
            <label for={id}>
              {target.indicator}
              {t('（目标：', ' (target: ')}
              {target.target}
              {t('）', ')')}
            </label>
            <input
              id={id}
              type="text"
              value={values[achievedKey(target)] ?? ''}
              onInput={(e) => set(achievedKey(target), (e.target as HTMLInputElement).value)}
              onBlur={() => touch(`fields.achieved.${i}`)}
              aria-invalid={own.length ? 'true' : undefined}
              aria-describedby={own.length ? `${id}-problems` : undefined}
            />
            <Problems id={`${id}-problems`} problems={own} />
          </div>
        );
      })}
      <Problems
        id="r-achieved-problems"
        problems={shown('fields.achieved').filter((p) => p.path === 'fields.achieved')}
      />
    </fieldset>
  );
}
