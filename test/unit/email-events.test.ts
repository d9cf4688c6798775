import {
  decodeTagValue,
  encodeTagValue,
  messageTags,
  parseEmailEvent,
  MalformedEmailEvent,
} from '@shared/domain/email-events';

const APP = '0b6c1f7e-4a8e-4c3b-9a55-2f0e7d1c9a10';

/** An SES event as a configuration set publishes it to SNS (the shape of SES's own examples). */
function sesEvent(eventType: string, extra: Record<string, unknown>, tags: Record<string, string[]> = {}) {
  return JSON.stringify({
    eventType,
    mail: {
      timestamp: '2024-09-01T02:00:00.000Z',
      source: 'projects@gdast.example.org',
      messageId: '0100018f-aaaa-bbbb-cccc-000000000000-000000',
      destination: ['office@unit.example.org'],
      tags: { 'ses:configuration-set': ['FundingCall-set'], 'ses:from-domain': ['gdast.example.org'], ...tags },
    },
    ...extra,
  });
}
const ourTags = (emailKey: string) => ({
  applicationId: [APP],
  emailKey: [encodeTagValue(emailKey)],
  stage: ['Receipt'],
});

describe('message tags', () => {
  test('carry any email key in the characters SES allows, and read back exactly', () => {
    for (const key of [
      'receipt',
      'returned#v2',
      'task-reminder#abc_DEF#overdue',
      'gdast-2024#expert-digest#E01',
      '专家#1',
      'a_5fb',
    ]) {
      const encoded = encodeTagValue(key);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeTagValue(encoded)).toBe(key);
    }
    expect(encodeTagValue('returned#v2')).toBe('returned_23v2');
  });

  test('name the application, the email and the stage; a value too long for SES is left out', () => {
    expect(messageTags({ applicationId: APP, emailKey: 'returned#v2', stage: 'Correction' })).toEqual([
      { Name: 'emailKey', Value: 'returned_23v2' },
      { Name: 'applicationId', Value: APP },
      { Name: 'stage', Value: 'Correction' },
    ]);
    expect(messageTags({ emailKey: 'x'.repeat(300), applicationId: APP })).toEqual([
      { Name: 'applicationId', Value: APP },
    ]);
  });
});

describe('parseEmailEvent', () => {
  test('a permanent bounce: its recipients, its type, its notice, and what the email was about', () => {
    const message = sesEvent(
      'Bounce',
      {
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            {
              emailAddress: 'office@unit.example.org',
              action: 'failed',
              status: '5.1.1',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
          timestamp: '2024-09-01T02:00:05.000Z',
          feedbackId: '0100018f-feed-0000',
        },
      },
      ourTags('returned#v2'),
    );
    expect(parseEmailEvent(message)).toEqual({
      kind: 'Bounce',
      messageId: '0100018f-aaaa-bbbb-cccc-000000000000-000000',
      recipients: ['office@unit.example.org'],
      type: 'Permanent/General',
      feedbackId: '0100018f-feed-0000',
      timestamp: '2024-09-01T02:00:05.000Z',
      tags: { applicationId: APP, emailKey: 'returned#v2', stage: 'Receipt' },
    });
  });

  test('a complaint, with the provider’s feedback type', () => {
    const message = sesEvent(
      'Complaint',
      {
        complaint: {
          complainedRecipients: [{ emailAddress: 'office@unit.example.org' }],
          complaintFeedbackType: 'abuse',
          timestamp: '2024-09-02T00:00:00.000Z',
          feedbackId: 'f1',
        },
      },
      ourTags('receipt'),
    );
    expect(parseEmailEvent(message)).toMatchObject({
      kind: 'Complaint',
      recipients: ['office@unit.example.org'],
      type: 'abuse',
      feedbackId: 'f1',
    });
  });

  test('a delivery; an identity notification (notificationType) reads alike', () => {
    expect(
      parseEmailEvent(
        sesEvent('Delivery', {
          delivery: { recipients: ['office@unit.example.org'], timestamp: '2024-09-01T02:00:01.000Z' },
        }),
      ),
    ).toMatchObject({
      kind: 'Delivery',
      recipients: ['office@unit.example.org'],
      tags: { emailKey: '' },
    });
    const notification = JSON.parse(
      sesEvent('Bounce', {
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'MailboxFull',
          bouncedRecipients: [{ emailAddress: 'a@b.org' }],
        },
      }),
    );
    delete notification.eventType;
    notification.notificationType = 'Bounce';
    expect(parseEmailEvent(JSON.stringify(notification))).toMatchObject({
      kind: 'Bounce',
      type: 'Transient/MailboxFull',
      timestamp: '2024-09-01T02:00:00.000Z',
    });
  });

  test('events the product does not act on are passed over; what is not an SES event is thrown', () => {
    expect(parseEmailEvent(sesEvent('Send', { send: {} }))).toBeUndefined();
    expect(parseEmailEvent(sesEvent('DeliveryDelay', { deliveryDelay: {} }))).toBeUndefined();
    expect(() => parseEmailEvent('not json')).toThrow(MalformedEmailEvent);
    expect(() => parseEmailEvent('{"Type":"SubscriptionConfirmation"}')).toThrow(/no eventType or mail.messageId/);
  });

  test('a stage tag that is no stage name is dropped', () => {
    const message = sesEvent(
      'Bounce',
      { bounce: { bouncedRecipients: [] } },
      { applicationId: [APP], emailKey: ['receipt'], stage: ['Re_3ceipt'] },
    );
    expect(parseEmailEvent(message)?.tags).toEqual({ applicationId: APP, emailKey: 'receipt' });
  });
});
