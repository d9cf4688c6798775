import type { PageEntry } from './page-entry';
import { LazyPage } from './lazy-page';

const application = () => import('./application').then((m) => m.StaffApplicationPage);

/** One application as staff see it (fetched when opened). */
export const APPLICATION_PAGES: PageEntry[] = [
  {
    pattern: /^staff\/applications\/(?<id>[\w-]+)$/,
    page: (p) => <LazyPage load={application} props={{ applicationId: p.id }} />,
    staff: true,
  },
];
