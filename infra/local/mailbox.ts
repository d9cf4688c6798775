import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * aws-ses-v2-local keeps its mailbox in memory; with a data directory every email it receives is
 * also appended to emails.jsonl there, and read back at the next start, so a restart of `npm start`
 * keeps every email (still served on the email port's /store for the tools that read it).
 */
interface SesStore {
  saveEmail: (email: unknown) => void;
  getStoreReadonly: () => { emails: unknown[] };
}

// The package's store module: not in its exports map, but its file is stable across 2.x.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS internal of aws-ses-v2-local
const store = require('aws-ses-v2-local/dist/store') as SesStore;
/** The store's own saveEmail, kept so that wrapping it twice (a restart in one process) is impossible. */
const originalSave = store.saveEmail;
let patched: { file: string } | undefined;

export function keepMailbox(
  dataDir: string | undefined,
  stamp: (email: never) => void = () => undefined,
): { kept: number } {
  // Stamped (the console's simulated send time) whether or not the mailbox is kept on disk.
  store.saveEmail = (email: unknown) => {
    stamp(email as never);
    originalSave(email);
    if (patched) appendFileSync(patched.file, `${JSON.stringify(email)}\n`);
  };
  if (!dataDir) return { kept: 0 };
  const file = path.join(dataDir, 'emails.jsonl');
  const emails = store.getStoreReadonly().emails;
  if (existsSync(file) && emails.length === 0) {
    for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) emails.push(JSON.parse(line));
  }
  // The server calls the store's export by name at each send, so wrapping the export is enough.
  patched = { file };
  return { kept: emails.length };
}

/** Forgets the mailbox in memory (a stack stopping in the same process, as tests restart it). */
export function forgetMailbox(): void {
  store.getStoreReadonly().emails.length = 0;
  store.saveEmail = originalSave;
  patched = undefined;
}
