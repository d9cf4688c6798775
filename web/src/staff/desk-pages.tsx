import type { PageEntry } from './page-entry';

/** The staff pages of the desk: paper copies, member units, the expert pool. */
export const DESK_PAGES: PageEntry[] = [];
