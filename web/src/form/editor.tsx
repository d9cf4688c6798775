import type { Call } from '@shared/domain/catalogue/call-schema';
import type { Requirement } from '@shared/domain/catalogue/checks';
import { getProjectType } from '@shared/domain/catalogue/call-queries';
import type { ProjectType } from '@shared/domain/catalogue/project-type';
import { moneyText, useText, type Lang } from '../i18n';
import { problemsUnder, requirementsByPath, type Problem } from './checks';
import { Problems } from './problems';
import { Input } from './inputs';
import { COMMON_SECTIONS, detailsSection, type Field, type Section } from './spec';
import { getAt, rowsAt, setAt, type FormValue } from './values';

/**
 * The 申请书 as a form: the type first, then the common sections and the type's own. A field's
 * problems show once it has been left (or all at once after "check"), next to it; the notice's
 * thresholds for a field are written beside it before anything is typed.
 */
export interface EditorProps {
  call: Call;
  value: FormValue;
  onChange: (value: FormValue) => void;
  problems: readonly Problem[];
  /** paths the person has left (their problems show) */
  touched: ReadonlySet<string>;
  onTouch: (path: string) => void;
  showAll: boolean;
  /** an amendment keeps its type */
  typeLocked?: boolean;
}

function fundingText(type: ProjectType, lang: Lang): string {
  const f = type.funding;
  if (f.kind === 'fixed') return moneyText(f.amountCny, lang);
  return `${moneyText(f.minCny, lang)} – ${moneyText(f.maxCny, lang)}`;
}

const fieldId = (path: string) => `f-${path.replace(/\./g, '-')}`;

export function FormEditor(props: EditorProps) {
  const { t, b } = useText();
  const type =
    typeof props.value.projectTypeId === 'string' ? getProjectType(props.call, props.value.projectTypeId) : undefined;
  const requirements = requirementsByPath(props.call, props.value.projectTypeId);
  const sections = type ? [...COMMON_SECTIONS, detailsSection(type.form)] : [];
  return (
    <div class="form-editor">
      <TypePicker {...props} type={type} />
      {!type && (
        <p class="hint">{t('请先选择项目类型，再填写申请书。', 'Pick the project type first; the form follows.')}</p>
      )}
      {sections.map((section) => (
        <SectionView key={section.id} section={section} props={props} type={type} requirements={requirements} />
      ))}
      {type && (
        <section aria-labelledby="s-rules">
          <h2 id="s-rules">{t('申报要求', "The notice's requirements")}</h2>
          <ul class="rules">
            {type.requirements.map((r) => (
              <li key={r.id}>{b(r.text)}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function TypePicker(props: EditorProps & { type?: ProjectType }) {
  const { t, b } = useText();
  const shown = props.showAll || props.touched.has('projectTypeId');
  const problems = shown
    ? problemsUnder(props.problems, 'projectTypeId').filter((p) => p.path === 'projectTypeId')
    : [];
  return (
    <section aria-labelledby="s-type">
      <h2 id="s-type">{t('项目类型', 'Project type')}</h2>
      <div class="field">
        <label for="f-projectTypeId">{t('申报项目类型', 'The type applied for')}</label>
        <select
          id="f-projectTypeId"
          value={typeof props.value.projectTypeId === 'string' ? props.value.projectTypeId : ''}
          disabled={props.typeLocked}
          aria-invalid={problems.length ? 'true' : undefined}
          aria-describedby={problems.length ? 'f-projectTypeId-problems' : undefined}
          onChange={(e) =>
            props.onChange(setAt(props.value, 'projectTypeId', (e.target as HTMLSelectElement).value || undefined))
          }
          onBlur={() => props.onTouch('projectTypeId')}
        >
          <option value="">{t('请选择', 'Choose')}</option>
          {props.call.projectTypes.map((type) => (
            <option key={type.typeId} value={type.typeId}>
              {b(type.name)}
            </option>
          ))}
        </select>
        <Problems id="f-projectTypeId-problems" problems={problems} />
        {props.type && <TypeFacts type={props.type} />}
      </div>
    </section>
  );
}

/** What the notice says of the type: its aim, how many are awarded, the funding and the finish date. */
function TypeFacts({ type }: { type: ProjectType }) {
  const { t, b, lang } = useText();
  return (
    <dl class="facts">
      <dt>{t('目标', 'Aim')}</dt>
      <dd>{b(type.objective)}</dd>
      <dt>{t('立项数量', 'Awards')}</dt>
      <dd>{type.quota}</dd>
      <dt>{t('资助标准', 'Funding')}</dt>
      <dd>{fundingText(type, lang)}</dd>
      <dt>{t('完成时间', 'Finish by')}</dt>
      <dd>{type.finishBy}</dd>
    </dl>
  );
}

interface SectionProps {
  section: Section;
  props: EditorProps;
  type?: ProjectType;
  requirements: Map<string, Requirement[]>;
}

function SectionView({ section, props, type, requirements }: SectionProps) {
  const { b } = useText();
  return (
    <section aria-labelledby={`s-${section.id}`}>
      <h2 id={`s-${section.id}`}>{b(section.title)}</h2>
      {section.fields.length === 0 && <p class="hint">—</p>}
      {section.fields.map((field) => (
        <FieldView
          key={field.path}
          field={field}
          props={props}
          type={type}
          requirements={requirements.get(field.path) ?? []}
        />
      ))}
    </section>
  );
}

function Thresholds({ id, requirements }: { id: string; requirements: Requirement[] }) {
  const { b } = useText();
  if (!requirements.length) return null;
  return (
    <ul class="thresholds" id={id}>
      {requirements.map((r) => (
        <li key={r.id}>{b(r.text)}</li>
      ))}
    </ul>
  );
}

interface FieldProps {
  field: Field;
  props: EditorProps;
  type?: ProjectType;
  requirements: Requirement[];
}

function FieldView({ field, props, type, requirements }: FieldProps) {
  const { b } = useText();
  const id = fieldId(field.path);
  const shown = props.showAll || props.touched.has(field.path);
  const problems = shown ? problemsUnder(props.problems, field.path) : [];
  const describedBy = [requirements.length ? `${id}-rules` : '', problems.length ? `${id}-problems` : '']
    .filter(Boolean)
    .join(' ');
  if (field.kind === 'table' || field.kind === 'list')
    return <TableView field={field} props={props} type={type} requirements={requirements} problems={problems} />;
  return (
    <div class={`field field-${field.kind}`}>
      <label for={id}>{b(field.label)}</label>
      <Thresholds id={`${id}-rules`} requirements={requirements} />
      <Input
        id={id}
        field={field}
        value={getAt(props.value, field.path)}
        onChange={(value) => props.onChange(setAt(props.value, field.path, value))}
        onBlur={() => props.onTouch(field.path)}
        invalid={problems.length > 0}
        describedBy={describedBy || undefined}
        call={props.call}
        type={type}
      />
      <Problems id={`${id}-problems`} problems={problems} />
    </div>
  );
}

function TableView({ field, props, type, requirements, problems }: FieldProps & { problems: readonly Problem[] }) {
  const { t, b } = useText();
  if (field.kind !== 'table' && field.kind !== 'list') return null;
  const id = fieldId(field.path);
  const rows =
    field.kind === 'list'
      ? ((getAt(props.value, field.path) as unknown[] | undefined) ?? [])
      : rowsAt(props.value, field.path);
  const columns = field.kind === 'table' ? field.columns : [{ kind: 'text' as const, path: '', label: field.label }];
  const setRows = (next: unknown[]) =>
    props.onChange(setAt(props.value, field.path, next.length || !field.optional ? next : undefined));
  const cellPath = (i: number, column: string) => (column ? `${field.path}.${i}.${column}` : `${field.path}.${i}`);
  return (
    <fieldset class="table-field" aria-describedby={problems.length ? `${id}-problems` : undefined}>
      <legend>{b(field.label)}</legend>
      <Thresholds id={`${id}-rules`} requirements={requirements} />
      {rows.map((_, i) => (
        <div class="row" key={i} role="group" aria-label={`${b(field.label)} ${t(`第${i + 1}行`, `row ${i + 1}`)}`}>
          {columns.map((column) => {
            const path = cellPath(i, column.path);
            const cellProblems = problemsUnder(problems, path);
            return (
              <div class="cell" key={column.path}>
                <label for={fieldId(path)}>{b(column.label)}</label>
                <Input
                  id={fieldId(path)}
                  field={column}
                  value={getAt(props.value, path)}
                  onChange={(value) => props.onChange(setAt(props.value, path, value))}
                  onBlur={() => props.onTouch(field.path)}
                  invalid={cellProblems.length > 0}
                  call={props.call}
                  type={type}
                />
              </div>
            );
          })}
          <button type="button" class="secondary" onClick={() => setRows(rows.filter((__, j) => j !== i))}>
            {t('删除此行', 'Remove row')}
            <span class="visually-hidden"> {i + 1}</span>
          </button>
        </div>
      ))}
      {rows.length < field.max && (
        <button type="button" class="secondary" onClick={() => setRows([...rows, field.kind === 'list' ? '' : {}])}>
          {t('添加一行', 'Add a row')}：{b(field.label)}
        </button>
      )}
      <Problems id={`${id}-problems`} problems={problems} />
    </fieldset>
  );
}
