import type { PageEntry } from './page-entry';
import { LazyPage } from './lazy-page';

const review = () => import('./review').then((m) => m.ReviewPage);
const award = () => import('./award').then((m) => m.AwardPage);
const reports = () => import('./reports').then((m) => m.ReportsPage);

/** The staff pages of the call's later stages: the review round, the award, the reports (fetched when opened). */
export const ROUND_PAGES: PageEntry[] = [
  { pattern: /^staff\/review$/, page: () => <LazyPage load={review} />, staff: true },
  { pattern: /^staff\/award$/, page: () => <LazyPage load={award} />, staff: true },
  { pattern: /^staff\/reports$/, page: () => <LazyPage load={reports} />, staff: true },
];
