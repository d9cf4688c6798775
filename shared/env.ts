/**
 * Environment variables are set by the CDK stack (see infra/grants.ts, which sets each one together
 * with the permission it implies) and, locally, by infra/local. A handler reads what it needs once,
 * when its module loads, so a missing variable fails the cold start loudly instead of a request later.
 */
export type EnvName = 'TABLE_NAME' | 'STATE_MACHINE_ARN' | 'SENDER_EMAIL' | 'PUBLIC_BASE_URL' | 'TASK_LINK_SECRET';

export function readEnv<const N extends EnvName>(names: readonly N[]): Record<N, string> {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`Missing environment variable(s): ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((name) => [name, process.env[name] as string])) as Record<N, string>;
}
