import type { App } from 'aws-cdk-lib';

/** A deliberately plain check: the addresses are typed on a command line, and SES verifies the sender. */
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

const USAGE =
  'npx cdk synth -c senderEmail=projects@your-domain.example -c alarmEmail=ops@your-domain.example (or cdk deploy with the same -c values)';

const WHAT = {
  senderEmail:
    'the address every email is sent from; the stack makes it an SES identity, which must be verified (and SES taken out of the sandbox) before email goes out',
  alarmEmail: "the address operators' alarms are sent to (it must confirm the SNS subscription)",
} as const;

/** SES's sending quota of a production account until a raise is granted (emails a second). */
export const SES_DEFAULT_SEND_RATE = 14;

/**
 * The account's SES sending quota in emails a second (`-c sesSendRate=600`), which the sweep's
 * workers share (shared/domain/sweep-plan.ts); without it, the quota SES gives a production account
 * at first. A national funder's call needs it raised (docs/operations.md).
 */
export function sesSendRateContext(app: App): number {
  const raw: unknown = app.node.tryGetContext('sesSendRate');
  if (raw === undefined) return SES_DEFAULT_SEND_RATE;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new Error(
      `Cannot synthesize the stack: the CDK context value "sesSendRate" must be emails a second, not "${String(raw)}"`,
    );
  return rate;
}

/**
 * The deployment's own values, from CDK context (`-c name=value`, or cdk.json). Each is required:
 * there is no default sender to fall back on, since an address that is not this deployment's would
 * have SES refuse every email. Throws naming every missing or malformed value and how to pass it.
 */
export function deploymentContext(app: App): { senderEmail: string; alarmEmail: string } {
  const problems: string[] = [];
  const read = (name: keyof typeof WHAT): string => {
    const raw: unknown = app.node.tryGetContext(name);
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!value) problems.push(`the CDK context value "${name}" is required: ${WHAT[name]}`);
    else if (!EMAIL.test(value))
      problems.push(`the CDK context value "${name}" must be an email address, not "${value}"`);
    return value;
  };
  const context = { senderEmail: read('senderEmail'), alarmEmail: read('alarmEmail') };
  if (problems.length) throw new Error(`Cannot synthesize the stack: ${problems.join('; ')}. Pass them as: ${USAGE}`);
  return context;
}
