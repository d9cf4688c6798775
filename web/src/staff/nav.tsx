import { appPath } from '../config';
import { useText } from '../i18n';
import { Link } from '../router';

/** Where staff go in the workspace; each page is in application-pages.tsx, desk-pages.tsx or round-pages.tsx. */
const STAFF_LINKS = [
  { path: '', zh: '工作台', en: 'Workspace' },
  { path: 'staff/applications', zh: '申报一览', en: 'Applications' },
  { path: 'staff/paper-copies', zh: '纸质材料登记', en: 'Paper copies' },
  { path: 'staff/units', zh: '会员单位', en: 'Units' },
  { path: 'staff/experts', zh: '专家库', en: 'Experts' },
  { path: 'staff/review', zh: '专家评审', en: 'Review' },
  { path: 'staff/award', zh: '立项', en: 'Award' },
  { path: 'staff/reports', zh: '项目报告', en: 'Reports' },
] as const;

export function StaffNav() {
  const { t } = useText();
  return (
    <nav aria-label={t('工作台', 'Workspace')} class="staff-nav">
      <ul>
        {STAFF_LINKS.map((link) => (
          <li key={link.path}>
            <Link href={appPath(link.path)}>{t(link.zh, link.en)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
