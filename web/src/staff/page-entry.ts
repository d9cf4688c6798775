import type { ComponentChildren } from 'preact';

/** A page of the app by its path under /app/ (see app.tsx). */
export interface PageEntry {
  pattern: RegExp;
  page: (params: Record<string, string>) => ComponentChildren;
  /** reachable without signing in */
  open?: boolean;
  /** without the app's frame (the print view) */
  bare?: boolean;
  /** for association staff only: a unit gets a clear refusal (and the API refuses it too) */
  staff?: boolean;
}
