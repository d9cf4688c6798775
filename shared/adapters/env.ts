/**
 * Environment variables are set by the CDK stack (infra/grants.ts sets each one together with the
 * permission it implies) and, locally, by infra/local. Each module reads what it needs once, on
 * first use, and keeps it; a missing variable throws naming it. That every variable a function's
 * bundled code can read is set on that function is checked by test/infra/function-env.test.ts.
 */
export type EnvName =
  | 'TABLE_NAME'
  | 'STATE_MACHINE_ARN'
  | 'SENDER_EMAIL'
  /** the SES configuration set every send names (its events: bounces and complaints), set with SENDER_EMAIL */
  | 'SES_CONFIGURATION_SET'
  /** the account's SES sending quota, emails a second (the sweep's workers share it), set with SENDER_EMAIL */
  | 'SES_SEND_RATE'
  | 'PUBLIC_BASE_URL'
  /** the societies' web app (https://…/app/), whose pages the units' emails link; set with SENDER_EMAIL */
  | 'WEB_APP_URL'
  | 'LINK_KEY_SECRET_ARN'
  | 'FILES_BUCKET'
  /** the sweep's worker Lambda (functions/sweep-shard.ts), invoked once per shard by the scheduled sweep */
  | 'SWEEP_SHARD_FUNCTION';

let apiBase: string | undefined;
/** The API's base URL (ending in /), for the links in emails and pages. */
export const publicBase = () => (apiBase ??= readEnv(['PUBLIC_BASE_URL']).PUBLIC_BASE_URL.replace(/\/?$/, '/'));

let appBase: string | undefined;
/** The web app's base URL (ending in /): a unit's emails link its pages. */
export const webAppBase = () => (appBase ??= readEnv(['WEB_APP_URL']).WEB_APP_URL.replace(/\/?$/, '/'));

export function readEnv<const N extends EnvName>(names: readonly N[]): Record<N, string> {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`Missing environment variable(s): ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((name) => [name, process.env[name] as string])) as Record<N, string>;
}
