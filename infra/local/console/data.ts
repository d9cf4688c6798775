/**
 * What the console reads, and from where: applications through the status index (one Query per
 * shard, once per call and status: never a Scan) to tell which application an email was about,
 * each application's email log, open tasks through the open-task index (what a workflow waits on),
 * and the emails of the local mailbox (aws-ses-v2-local's store, which local mode keeps in .local/).
 * The applications themselves are read in the staff workspace, not here.
 *
 * The product's modules are loaded on first use, not when this file is: local mode sets the
 * handlers' environment first (see local-stack.ts).
 */
import type { ApplicationRecord, MailLog } from '@shared/domain/application-record';
import type { Call } from '@shared/domain/catalogue';
import type { TaskRecord } from '@shared/domain/tasks/record';

/** One email as aws-ses-v2-local keeps it (and serves it on GET /store). */
export interface MailboxEmail {
  messageId: string;
  from?: string;
  replyTo?: string[];
  destination?: { to?: string[]; cc?: string[]; bcc?: string[] };
  subject?: string;
  body?: { text?: string; html?: string };
  /** wall-clock epoch seconds, set by aws-ses-v2-local */
  at?: number;
  /** the simulated clock when it was sent (Beijing ISO), stamped by local mode (mailbox.ts of the console) */
  simulatedAt?: string;
}

export interface ConsoleStore {
  calls(): Promise<Call[]>;
  /** Every application of one call in one status (the status index). */
  applicationsInStatus(
    callId: string,
    status: ApplicationRecord['status'],
    attributes?: readonly string[],
  ): Promise<ApplicationRecord[]>;
  /** The emails sent about an application and their bounces, kept apart from its item (one Query). */
  mailLog(applicationId: string): Promise<MailLog>;
  /** Every open (or claimed) task. */
  openTasks(): Promise<TaskRecord[]>;
  /** Every email of the local mailbox, oldest first. */
  mailbox(): MailboxEmail[];
}

interface SesStore {
  getStoreReadonly: () => { emails: MailboxEmail[] };
}

/** The product's own adapters, as local mode runs them. */
export const productStore: ConsoleStore = {
  async calls() {
    const { listCalls } = await import('@shared/domain/catalogue');
    return listCalls();
  },
  async applicationsInStatus(callId, status, attributes) {
    const { allApplicationsInStatus } = await import('@shared/adapters/dynamodb/application-items');
    return allApplicationsInStatus(callId, status, attributes);
  },
  async mailLog(applicationId) {
    const { applicationMailLog } = await import('@shared/adapters/dynamodb/email-items');
    return applicationMailLog(applicationId);
  },
  async openTasks() {
    const { listOpenTasks } = await import('@shared/adapters/dynamodb/task-items');
    return listOpenTasks();
  },
  mailbox() {
    // The package's store module: not in its exports map, but stable across 2.x (infra/local/mailbox.ts uses it too).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS internal of aws-ses-v2-local
    return (require('aws-ses-v2-local/dist/store') as SesStore).getStoreReadonly().emails;
  },
};

/** Reads every application of every call (or of one), across the statuses asked for. */
export async function readApplications(
  store: ConsoleStore,
  options: {
    callIds?: readonly string[];
    statuses: readonly ApplicationRecord['status'][];
    attributes?: readonly string[];
  },
): Promise<ApplicationRecord[]> {
  const callIds = options.callIds ?? (await store.calls()).map((call) => call.callId);
  const pages = await Promise.all(
    callIds.flatMap((callId) =>
      options.statuses.map((status) => store.applicationsInStatus(callId, status, options.attributes)),
    ),
  );
  return pages.flat();
}
