import type { Call } from '@shared/domain/catalogue/call-schema';
import { getProjectType } from '@shared/domain/catalogue/call-queries';
import type { ProjectType } from '@shared/domain/catalogue/project-type';
import { useText } from '../i18n';
import { COMMON_SECTIONS, detailsSection, type Column, type Field } from './spec';
import { getAt, rowsAt, type FormValue } from './values';

/**
 * The 申请书 as it reads on paper: the preview before submitting and the print view for the seal
 * both show exactly this, section by section in the form's order.
 */
export function ApplicationDocument({ call, form }: { call: Call; form: FormValue }) {
  const { t, b } = useText();
  const type = typeof form.projectTypeId === 'string' ? getProjectType(call, form.projectTypeId) : undefined;
  const sections = [...COMMON_SECTIONS, ...(type ? [detailsSection(type.form)] : [])];
  return (
    <div class="document">
      <section aria-labelledby="d-type">
        <h2 id="d-type">{t('项目类型', 'Project type')}</h2>
        <p>{type ? `${type.no}. ${b(type.name)}` : '—'}</p>
      </section>
      {sections.map((section) => (
        <section key={section.id} aria-labelledby={`d-${section.id}`}>
          <h2 id={`d-${section.id}`}>{b(section.title)}</h2>
          <dl>
            {section.fields.map((field) => (
              <FieldText key={field.path} field={field} form={form} type={type} />
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}

function valueText(
  column: Column,
  value: unknown,
  type: ProjectType | undefined,
  b: (x: { zh: string; en: string }) => string,
  t: (zh: string, en: string) => string,
) {
  if (value === undefined || value === null || value === '') return '—';
  if (column.kind === 'checkbox') return value === true ? t('是', 'Yes') : t('否', 'No');
  if (column.kind === 'select') {
    const options =
      column.options === 'type-objectives'
        ? (type?.objectives ?? []).map((o) => ({ value: o.id, label: o.text }))
        : column.options;
    const option = options.find((o) => o.value === value);
    return option ? b(option.label) : String(value);
  }
  return String(value);
}

function FieldText({ field, form, type }: { field: Field; form: FormValue; type?: ProjectType }) {
  const { t, b } = useText();
  if (field.kind === 'list') {
    const items = (getAt(form, field.path) as unknown[] | undefined) ?? [];
    return (
      <>
        <dt>{b(field.label)}</dt>
        <dd>{items.length ? items.map(String).join('；') : '—'}</dd>
      </>
    );
  }
  if (field.kind === 'table') {
    const rows = rowsAt(form, field.path);
    return (
      <>
        <dt>{b(field.label)}</dt>
        <dd>
          {rows.length === 0 ? (
            '—'
          ) : (
            <table>
              <thead>
                <tr>
                  {field.columns.map((c) => (
                    <th key={c.path} scope="col">
                      {b(c.label)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={i}>
                    {field.columns.map((c) => (
                      <td key={c.path}>{valueText(c, row[c.path], type, b, t)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </dd>
      </>
    );
  }
  return (
    <>
      <dt>{b(field.label)}</dt>
      <dd class={field.kind === 'textarea' ? 'long' : undefined}>
        {valueText(field, getAt(form, field.path), type, b, t)}
      </dd>
    </>
  );
}
