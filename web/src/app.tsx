import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { appPath } from './config';
import { currentPerson, signOut, startSignIn } from './auth/session';
import { LangContext, storedLang, useText, type Lang } from './i18n';
import { Link, useLocation } from './router';
import { LocalSignIn } from './pages/sign-in';
import { Callback } from './pages/callback';
import { Home } from './pages/home';
import { DraftPage } from './pages/draft';
import { PreviewPage } from './pages/preview';
import { ApplicationPage } from './pages/application';
import { AmendPage } from './pages/amend';
import { PrintPage } from './pages/print';
import { ReportPage } from './pages/report';
import type { PageEntry } from './staff/page-entry';
import { DESK_PAGES } from './staff/desk-pages';
import { ROUND_PAGES } from './staff/round-pages';
import { APPLICATION_PAGES } from './staff/application-pages';
import { StaffNav } from './staff/nav';

/** The app's pages by path under /app/; each needs a signed-in person unless it says otherwise. */
const PAGES: PageEntry[] = [
  { pattern: /^sign-in$/, page: () => <LocalSignIn />, open: true },
  { pattern: /^callback$/, page: () => <Callback />, open: true },
  { pattern: /^$/, page: () => <Home /> },
  { pattern: /^drafts\/(?<draftId>[\w-]+)$/, page: (p) => <DraftPage draftId={p.draftId} /> },
  { pattern: /^drafts\/(?<draftId>[\w-]+)\/preview$/, page: (p) => <PreviewPage draftId={p.draftId} /> },
  { pattern: /^applications\/(?<id>[\w-]+)$/, page: (p) => <ApplicationPage applicationId={p.id} /> },
  { pattern: /^applications\/(?<id>[\w-]+)\/amend$/, page: (p) => <AmendPage applicationId={p.id} /> },
  { pattern: /^applications\/(?<id>[\w-]+)\/print$/, page: (p) => <PrintPage applicationId={p.id} />, bare: true },
  {
    pattern: /^applications\/(?<id>[\w-]+)\/reports\/(?<report>[\w-]+)$/,
    page: (p) => <ReportPage applicationId={p.id} report={p.report} />,
  },
  ...DESK_PAGES,
  ...ROUND_PAGES,
  ...APPLICATION_PAGES,
];

export function App() {
  const [lang, setLangState] = useState<Lang>(storedLang());
  const setLang = (next: Lang) => {
    localStorage.setItem('gdast.lang', next);
    setLangState(next);
  };
  useEffect(() => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  }, [lang]);
  const url = useLocation();
  const route = url.pathname.startsWith(appPath('')) ? url.pathname.slice(appPath('').length).replace(/\/$/, '') : '';
  const found = PAGES.map((entry) => ({ entry, match: entry.pattern.exec(route) })).find(({ match }) => match);
  const person = currentPerson();
  const needsSignIn = found && !found.entry.open && !person;
  useEffect(() => {
    if (needsSignIn) void startSignIn(url.pathname + url.search);
  }, [needsSignIn]);
  const refused = found?.entry.staff && person && person.kind !== 'staff';
  const content = !found ? (
    <NotFound />
  ) : needsSignIn ? null : refused ? (
    <StaffOnly />
  ) : (
    found.entry.page(found.match?.groups ?? {})
  );
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      {found?.entry.bare ? content : <Frame>{content}</Frame>}
    </LangContext.Provider>
  );
}

function Frame({ children }: { children: ComponentChildren }) {
  const { t, lang } = useText();
  const person = currentPerson();
  return (
    <>
      <a class="skip" href="#main">
        {t('跳到正文', 'Skip to content')}
      </a>
      <header class="top">
        <Link href={appPath('')} class="brand">
          {t('广东省科协 · 学会项目申报', 'GDAST · society projects')}
        </Link>
        <nav aria-label={t('账户', 'Account')}>
          <LangSwitch />
          {person && (
            <span class="who">
              {person.kind === 'unit' ? person.unitId : (person.email ?? t('省科协工作人员', 'Association staff'))}
            </span>
          )}
          {person && (
            <button type="button" class="link" onClick={() => void signOut()}>
              {t('退出登录', 'Sign out')}
            </button>
          )}
        </nav>
      </header>
      {person?.kind === 'staff' && <StaffNav />}
      <main id="main" lang={lang === 'en' ? 'en' : undefined}>
        {children}
      </main>
    </>
  );
}

function LangSwitch() {
  const { lang } = useText();
  return (
    <LangContext.Consumer>
      {({ setLang }) => (
        <button
          type="button"
          class="link"
          lang={lang === 'en' ? 'zh-CN' : 'en'}
          onClick={() => setLang(lang === 'en' ? 'zh' : 'en')}
        >
          {lang === 'en' ? '中文' : 'English'}
        </button>
      )}
    </LangContext.Consumer>
  );
}

function StaffOnly() {
  const { t } = useText();
  return (
    <>
      <h1>{t('仅限省科协工作人员', 'For association staff only')}</h1>
      <p>
        {t(
          '此页面是省科协工作人员的工作台，学会账号无权使用。',
          "This page is the association staff's workspace; a society's account may not use it.",
        )}{' '}
        <Link href={appPath('')}>{t('返回首页', 'Back to the start')}</Link>
      </p>
    </>
  );
}

function NotFound() {
  const { t } = useText();
  return (
    <>
      <h1>{t('页面不存在', 'No such page')}</h1>
      <p>
        <Link href={appPath('')}>{t('返回首页', 'Back to the start')}</Link>
      </p>
    </>
  );
}
