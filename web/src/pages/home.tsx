import type { Call } from '@shared/domain/catalogue/call-schema';
import { STATUS_WORDS, unitActions } from '@shared/domain/unit-next-step';
import { api } from '../api';
import { currentPerson } from '../auth/session';
import { StaffHome } from './staff-home';
import { ActionWords } from './action-words';
import { appPath } from '../config';
import { instantText, timeLeftText, useText } from '../i18n';
import { ErrorNote, Loading, useLoad } from '../load';
import { Link, navigate } from '../router';
import type { ApplicationSummary, CallListing, DraftSummary, ObligationView } from '../types';

interface HomeData {
  /** the product's clock when the page was loaded: time left is counted from it */
  now: number;
  calls: Array<{ call: Call; submission: CallListing['calls'][number]['submission'] }>;
  applications: ApplicationSummary[];
  drafts: DraftSummary[];
  obligations: ObligationView[];
}

async function loadHome(): Promise<HomeData> {
  const [listing, { applications }, { drafts }, { obligations }] = await Promise.all([
    api<CallListing>('GET', '/calls'),
    api<{ applications: ApplicationSummary[] }>('GET', '/units/me/applications'),
    api<{ drafts: DraftSummary[] }>('GET', '/units/me/drafts'),
    api<{ obligations: ObligationView[] }>('GET', '/units/me/obligations'),
  ]);
  const calls = await Promise.all(
    listing.calls.map(async (c) => ({
      call: await api<Call>('GET', `/calls/${encodeURIComponent(c.callId)}`),
      submission: c.submission,
    })),
  );
  return { now: Date.parse(listing.now), calls, applications, drafts, obligations };
}

/** A society's start page: the open calls, its slots, its drafts and each application's next step. */
export function Home() {
  return currentPerson()?.kind === 'staff' ? <StaffHome /> : <UnitHome />;
}

function UnitHome() {
  const { t } = useText();
  const home = useLoad(loadHome, []);
  return (
    <>
      <h1>{t('我的申报', 'My applications')}</h1>
      {home.loading && !home.data && <Loading />}
      {home.error && <ErrorNote error={home.error} />}
      {home.data && (
        <>
          {home.data.calls.map(({ call, submission }) => (
            <CallCard key={call.callId} call={call} open={submission === 'open'} data={home.data!} />
          ))}
        </>
      )}
    </>
  );
}

function CallCard({ call, open, data }: { call: Call; open: boolean; data: HomeData }) {
  const { t, b, lang } = useText();
  const now = data.now;
  const applications = data.applications.filter((a) => a.callId === call.callId);
  const used = applications.filter((a) => a.status !== 'WITHDRAWN');
  const drafts = data.drafts.filter((d) => d.callId === call.callId);
  const limited = call.projectTypes.filter((type) => type.perUnitLimit !== null);
  const newDraft = () => navigate(appPath(`drafts/${crypto.randomUUID()}?call=${encodeURIComponent(call.callId)}`));
  return (
    <section class="card" aria-labelledby={`call-${call.callId}`}>
      <h2 id={`call-${call.callId}`}>{b(call.title)}</h2>
      {call.sample && <p class="hint">{b(call.sample.note)}</p>}
      <dl class="facts">
        <dt>{t('网上申报截止', 'Online submission closes')}</dt>
        <dd>
          {instantText(call.submissionDeadline, lang)}（{timeLeftText(call.submissionDeadline, now, lang)}）
        </dd>
        <dt>{t('纸质材料截止', 'Paper copy due')}</dt>
        <dd>
          {instantText(call.paperCopyDeadline, lang)}（{timeLeftText(call.paperCopyDeadline, now, lang)}）
        </dd>
        <dt>{t('申报名额', 'Applications')}</dt>
        <dd>
          {t(
            `已用${used.length}项，还可申报${Math.max(0, call.maxApplicationsPerUnit - used.length)}项（每单位限${call.maxApplicationsPerUnit}项）`,
            `${used.length} used, ${Math.max(0, call.maxApplicationsPerUnit - used.length)} left (at most ${call.maxApplicationsPerUnit} per unit)`,
          )}
        </dd>
        {limited.map((type) => {
          const ofType = used.filter((a) => a.projectTypeId === type.typeId).length;
          return [
            <dt key={`${type.typeId}-t`}>{b(type.name)}</dt>,
            <dd key={`${type.typeId}-d`}>
              {t(`已用${ofType}项，限${type.perUnitLimit}项`, `${ofType} used of ${type.perUnitLimit}`)}
            </dd>,
          ];
        })}
      </dl>
      {open && (
        <button type="button" onClick={newDraft}>
          {t('新建申请书', 'Start an application')}
        </button>
      )}
      {drafts.length > 0 && <DraftList drafts={drafts} call={call} />}
      <ApplicationList applications={applications} call={call} obligations={data.obligations} />
    </section>
  );
}

function DraftList({ drafts, call }: { drafts: DraftSummary[]; call: Call }) {
  const { t, b, lang } = useText();
  const typeName = (id?: string) =>
    b(call.projectTypes.find((type) => type.typeId === id)?.name) || t('未选类型', 'no type yet');
  return (
    <>
      <h3>{t('草稿（不占申报名额）', 'Drafts (they use no slot)')}</h3>
      <ul class="list">
        {drafts.map((draft) => (
          <li key={draft.draftId}>
            <Link href={appPath(`drafts/${draft.draftId}`)}>{draft.title || t('未命名草稿', 'Untitled draft')}</Link>
            <span class="hint">
              {' '}
              · {typeName(draft.projectTypeId)} · {t('保存于', 'saved')} {instantText(draft.savedAt, lang)}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function ApplicationList(props: { applications: ApplicationSummary[]; call: Call; obligations: ObligationView[] }) {
  const { t, b } = useText();
  if (!props.applications.length) return <p class="hint">{t('尚未提交申报。', 'Nothing submitted yet.')}</p>;
  return (
    <>
      <h3>{t('已提交的申报', 'Submitted')}</h3>
      <ul class="list">
        {props.applications.map((app) => {
          const words = STATUS_WORDS[app.status];
          const actions = unitActions(
            {
              ...app,
              obligations: props.obligations
                .filter((o) => o.applicationId === app.applicationId)
                .map((o) => ({ ...o, report: o.kind })),
            },
            props.call,
          );
          return (
            <li key={app.applicationId}>
              <Link href={appPath(`applications/${app.applicationId}`)}>{app.title}</Link>
              <span class="status"> · {b(words.status)}</span>
              {words.waitsOn && (
                <span class="hint">
                  {' '}
                  · {t('等待：', 'waiting for ')}
                  {b(words.waitsOn)}
                </span>
              )}
              {actions.map((action, i) => (
                <p key={i} class="todo">
                  <ActionWords action={action} call={props.call} />
                </p>
              ))}
            </li>
          );
        })}
      </ul>
    </>
  );
}
