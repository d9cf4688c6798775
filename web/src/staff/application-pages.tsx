import type { PageEntry } from './page-entry';
import { LazyPage } from './lazy-page';

const application = () => import('./application').then((m) => m.StaffApplicationPage);
const applications = () => import('./applications').then((m) => m.ApplicationsPage);

/** The applications table, and one application as staff see it (fetched when opened). */
export const APPLICATION_PAGES: PageEntry[] = [
  { pattern: /^staff\/applications$/, page: () => <LazyPage load={applications} />, staff: true },
  {
    pattern: /^staff\/applications\/(?<id>[\w-]+)$/,
    page: (p) => <LazyPage load={application} props={{ applicationId: p.id }} />,
    staff: true,
  },
];
