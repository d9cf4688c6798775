import type { PageEntry } from './page-entry';
import { ReviewPage } from './review';
import { AwardPage } from './award';
import { ReportsPage } from './reports';

/** The staff pages of the call's later stages: the review round, the award, the reports. */
export const ROUND_PAGES: PageEntry[] = [
  { pattern: /^staff\/review$/, page: () => <ReviewPage />, staff: true },
  { pattern: /^staff\/award$/, page: () => <AwardPage />, staff: true },
  { pattern: /^staff\/reports$/, page: () => <ReportsPage />, staff: true },
];
