import type { PageEntry } from './page-entry';
import { LazyPage } from './lazy-page';

const paperCopies = () => import('./paper-copies').then((m) => m.PaperCopiesPage);
const units = () => import('./units').then((m) => m.UnitsPage);
const experts = () => import('./experts').then((m) => m.ExpertsPage);

/** The staff pages of the desk: paper copies, member units, the expert pool (fetched when opened). */
export const DESK_PAGES: PageEntry[] = [
  { pattern: /^staff\/paper-copies$/, page: () => <LazyPage load={paperCopies} />, staff: true },
  { pattern: /^staff\/units$/, page: () => <LazyPage load={units} />, staff: true },
  { pattern: /^staff\/experts$/, page: () => <LazyPage load={experts} />, staff: true },
];
