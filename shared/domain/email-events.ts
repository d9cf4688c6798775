import type { Stage } from '@shared/domain/application-record';

/**
 * What SES tells about an email after accepting it. Every send names the stack's configuration set,
 * whose event destination publishes the bounces, complaints and deliveries of its messages to an SNS
 * topic; record-email-event reads them there. Each message carries tags saying what it was about,
 * and SES copies them into every event of the message (`mail.tags`), so an event finds its
 * application without a lookup by message id.
 */

/** What a message was about, carried in its SES message tags. */
export interface EmailTags {
  /** the email's key: per application (ids.ts emailKeys), or the whole dedupe key of a call-level email */
  emailKey: string;
  /** the application the email was about; absent for call-level emails (an expert's digest, the award confirmation) */
  applicationId?: string;
  /** the stage of the application that sent it (its history entry goes there) */
  stage?: Stage;
}

const TAG_NAMES = { emailKey: 'emailKey', applicationId: 'applicationId', stage: 'stage' } as const;
/** SES allows at most 255 characters in a tag's value. */
const MAX_TAG_VALUE = 255;

/**
 * SES allows only ASCII letters, digits, '_' and '-' in a tag's value; email keys hold '#'. Every
 * other character (and '_' itself) is written as '_' and the two hex digits of each of its UTF-8
 * bytes, so the value stays readable in the console and decodes back exactly.
 */
export function encodeTagValue(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `_${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

export function decodeTagValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '_' && /^[0-9a-f]{2}$/i.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(value.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The SES message tags of an email. A value too long for SES is left out rather than refused: the tags only describe the email. */
export function messageTags(tags: EmailTags): { Name: string; Value: string }[] {
  return (Object.keys(TAG_NAMES) as (keyof EmailTags)[]).flatMap((field) => {
    const value = tags[field];
    const encoded = value === undefined ? undefined : encodeTagValue(value);
    return encoded && encoded.length <= MAX_TAG_VALUE ? [{ Name: TAG_NAMES[field], Value: encoded }] : [];
  });
}

export type EmailEventKind = 'Bounce' | 'Complaint' | 'Delivery';

/** One event of one message, as the product needs it. */
export interface EmailEvent {
  kind: EmailEventKind;
  messageId: string;
  /** the recipients it concerns (those that bounced or complained; those delivered to) */
  recipients: string[];
  /** Bounce: 'Permanent/General', 'Transient/MailboxFull', …; Complaint: the feedback type ('abuse', …) when the provider gave one */
  type?: string;
  /** SES's id of a bounce or complaint notice (a message's recipients may bounce in separate notices) */
  feedbackId?: string;
  /** when it happened (UTC ISO), as SES says */
  timestamp: string;
  tags: EmailTags;
}

/** Why a message from the topic is not an SES event: it is thrown, so the failure shows (the function's errors alarm). */
export class MalformedEmailEvent extends Error {
  constructor(reason: string) {
    super(`Not an SES email event: ${reason}`);
    this.name = 'MalformedEmailEvent';
  }
}

interface RawRecipient {
  emailAddress?: unknown;
}

interface RawEvent {
  /** configuration-set event publishing says eventType; an identity's feedback notifications say notificationType */
  eventType?: unknown;
  notificationType?: unknown;
  mail?: { messageId?: unknown; timestamp?: unknown; tags?: Record<string, unknown> };
  bounce?: {
    bounceType?: unknown;
    bounceSubType?: unknown;
    bouncedRecipients?: RawRecipient[];
    timestamp?: unknown;
    feedbackId?: unknown;
  };
  complaint?: {
    complaintFeedbackType?: unknown;
    complainedRecipients?: RawRecipient[];
    timestamp?: unknown;
    feedbackId?: unknown;
  };
  delivery?: { recipients?: unknown[]; timestamp?: unknown };
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
const addresses = (list: RawRecipient[] | undefined) =>
  Array.isArray(list) ? list.flatMap((r) => (text(r?.emailAddress) ? [r.emailAddress as string] : [])) : [];
/** SES writes each tag as a list of values. */
const tagOf = (tags: Record<string, unknown> | undefined, name: string) => {
  const value = tags?.[name];
  const first = Array.isArray(value) ? text(value[0]) : text(value);
  return first === undefined ? undefined : decodeTagValue(first);
};

/** What every kind of event shares: the message, its tags, and when it was sent (the fallback time). */
interface EventBase {
  messageId: string;
  tags: EmailTags;
  mailAt: string;
}

function readBounce(raw: RawEvent, { messageId, tags, mailAt }: EventBase): EmailEvent {
  const bounce = raw.bounce ?? {};
  const type = [text(bounce.bounceType), text(bounce.bounceSubType)].filter(Boolean).join('/');
  const feedbackId = text(bounce.feedbackId);
  return {
    kind: 'Bounce',
    messageId,
    recipients: addresses(bounce.bouncedRecipients),
    ...(type ? { type } : {}),
    ...(feedbackId ? { feedbackId } : {}),
    timestamp: text(bounce.timestamp) ?? mailAt,
    tags,
  };
}

function readComplaint(raw: RawEvent, { messageId, tags, mailAt }: EventBase): EmailEvent {
  const complaint = raw.complaint ?? {};
  const type = text(complaint.complaintFeedbackType);
  const feedbackId = text(complaint.feedbackId);
  return {
    kind: 'Complaint',
    messageId,
    recipients: addresses(complaint.complainedRecipients),
    ...(type ? { type } : {}),
    ...(feedbackId ? { feedbackId } : {}),
    timestamp: text(complaint.timestamp) ?? mailAt,
    tags,
  };
}

function readDelivery(raw: RawEvent, { messageId, tags, mailAt }: EventBase): EmailEvent {
  const delivery = raw.delivery ?? {};
  const recipients = Array.isArray(delivery.recipients)
    ? delivery.recipients.flatMap((r) => (text(r) ? [r as string] : []))
    : [];
  return { kind: 'Delivery', messageId, recipients, timestamp: text(delivery.timestamp) ?? mailAt, tags };
}

const EVENT_READERS: Record<EmailEventKind, (raw: RawEvent, base: EventBase) => EmailEvent> = {
  Bounce: readBounce,
  Complaint: readComplaint,
  Delivery: readDelivery,
};

function rawEventOf(message: string): RawEvent {
  let raw: RawEvent;
  try {
    raw = JSON.parse(message) as RawEvent;
  } catch {
    throw new MalformedEmailEvent('the message is not JSON');
  }
  if (!raw || typeof raw !== 'object') throw new MalformedEmailEvent('the message is not an object');
  return raw;
}

/** The message's tags; a stage that is not a plain word is left out rather than trusted. */
function tagsOf(raw: RawEvent): EmailTags {
  const stage = tagOf(raw.mail?.tags, TAG_NAMES.stage);
  const applicationId = tagOf(raw.mail?.tags, TAG_NAMES.applicationId);
  return {
    emailKey: tagOf(raw.mail?.tags, TAG_NAMES.emailKey) ?? '',
    ...(applicationId ? { applicationId } : {}),
    ...(stage && /^[A-Za-z]+$/.test(stage) ? { stage: stage as Stage } : {}),
  };
}

/**
 * Reads one SNS message of the email events topic. Returns undefined for an event of a kind the
 * product does not act on (a send, an open, a delivery delay); throws MalformedEmailEvent for
 * anything that is not an SES event at all.
 */
export function parseEmailEvent(message: string): EmailEvent | undefined {
  const raw = rawEventOf(message);
  const kind = text(raw.eventType) ?? text(raw.notificationType);
  const messageId = text(raw.mail?.messageId);
  if (!kind || !messageId) throw new MalformedEmailEvent('no eventType or mail.messageId');
  const tags = tagsOf(raw);
  const mailAt = text(raw.mail?.timestamp) ?? '';
  // Own keys only: a kind such as "constructor" is just one the product does not act on.
  if (!Object.prototype.hasOwnProperty.call(EVENT_READERS, kind)) return undefined;
  return EVENT_READERS[kind as EmailEventKind](raw, { messageId, tags, mailAt });
}

/** The result a bounce or complaint is recorded with in the application's history. */
export const EMAIL_EVENT_RESULTS = { Bounce: 'EMAIL_BOUNCED', Complaint: 'EMAIL_COMPLAINED' } as const;
