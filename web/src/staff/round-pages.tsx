import type { PageEntry } from './page-entry';

/** The staff pages of the call's later stages: the review round, the award, the reports. */
export const ROUND_PAGES: PageEntry[] = [];
