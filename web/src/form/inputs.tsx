import type { Call } from '@shared/domain/catalogue/call-schema';
import type { ProjectType } from '@shared/domain/catalogue/project-type';
import { useText } from '../i18n';
import type { Column, Options } from './spec';

/** One input of the form, whatever its kind; `id` ties it to its label and its messages. */
export interface InputProps {
  id: string;
  field: Column;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur: () => void;
  invalid: boolean;
  describedBy?: string;
  /** a table cell has no visible label of its own: the column and row name it */
  ariaLabel?: string;
  call: Call;
  type?: ProjectType;
}

function optionsOf(options: Options, type: ProjectType | undefined) {
  if (options !== 'type-objectives') return options;
  return (type?.objectives ?? []).map((objective) => ({ value: objective.id, label: objective.text }));
}

/** A number as typed; left as text when it is none, so the schema names the problem. */
const numberValue = (raw: string) => {
  if (raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : raw;
};

export function Input(props: InputProps) {
  const { b, t } = useText();
  const { field, id } = props;
  const common = {
    id,
    name: id,
    onBlur: props.onBlur,
    'aria-invalid': props.invalid ? ('true' as const) : undefined,
    'aria-describedby': props.describedBy,
    'aria-label': props.ariaLabel,
  };
  const text = typeof props.value === 'string' || typeof props.value === 'number' ? String(props.value) : '';
  switch (field.kind) {
    case 'checkbox':
      return (
        <input
          {...common}
          type="checkbox"
          checked={props.value === true}
          onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)}
        />
      );
    case 'select':
      return (
        <select
          {...common}
          value={text}
          onChange={(e) => props.onChange((e.target as HTMLSelectElement).value || undefined)}
        >
          <option value="">{t('请选择', 'Choose')}</option>
          {optionsOf(field.options, props.type).map((option) => (
            <option key={option.value} value={option.value}>
              {b(option.label)}
            </option>
          ))}
        </select>
      );
    case 'textarea':
      return (
        <textarea
          {...common}
          rows={6}
          value={text}
          onInput={(e) => props.onChange((e.target as HTMLTextAreaElement).value)}
        />
      );
    case 'int':
    case 'number':
      return (
        <input
          {...common}
          type="number"
          inputMode={field.kind === 'int' ? 'numeric' : 'decimal'}
          step={field.kind === 'int' ? 1 : 'any'}
          min={0}
          value={text}
          onInput={(e) => props.onChange(numberValue((e.target as HTMLInputElement).value))}
        />
      );
    case 'city':
      return (
        <>
          <input
            {...common}
            type="text"
            list={`${id}-cities`}
            value={text}
            onInput={(e) => props.onChange((e.target as HTMLInputElement).value)}
          />
          <datalist id={`${id}-cities`}>
            {props.call.guangdongCities.map((city) => (
              <option key={city} value={city} />
            ))}
          </datalist>
        </>
      );
    default:
      return (
        <input
          {...common}
          type={
            field.kind === 'date' ? 'date' : field.kind === 'email' ? 'email' : field.kind === 'tel' ? 'tel' : 'text'
          }
          autoComplete={field.kind === 'email' ? 'email' : field.kind === 'tel' ? 'tel' : undefined}
          value={text}
          onInput={(e) => props.onChange((e.target as HTMLInputElement).value)}
        />
      );
  }
}
