import type { PageEntry } from './page-entry';
import { PaperCopiesPage } from './paper-copies';
import { UnitsPage } from './units';
import { ExpertsPage } from './experts';

/** The staff pages of the desk: paper copies, member units, the expert pool. */
export const DESK_PAGES: PageEntry[] = [
  { pattern: /^staff\/paper-copies$/, page: () => <PaperCopiesPage />, staff: true },
  { pattern: /^staff\/units$/, page: () => <UnitsPage />, staff: true },
  { pattern: /^staff\/experts$/, page: () => <ExpertsPage />, staff: true },
];
