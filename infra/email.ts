import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, Identity } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** What the email:send need gives a function (infra/grants.ts). */
export interface EmailSendingTargets {
  /** the verified sender: the only From address the functions may send as */
  senderEmail: string;
  identityArn: string;
  configurationSetName: string;
  configurationSetArn: string;
}

/**
 * Email that cannot fail silently. The sender is an SES email identity of this stack (SES mails the
 * address a verification link when the stack is deployed; nothing is sent until it is followed),
 * and every send names one configuration set (also the identity's default) whose bounces,
 * complaints and deliveries are published to an SNS topic; `recordEventsWith` subscribes the
 * function that records them on the applications (record-email-event). The configuration set
 * publishes its own reputation metrics (bounce and complaint rates) for the alarms.
 */
export class EmailSending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** SES's events of every email sent, in SES's event publishing format */
  readonly events: Topic;
  readonly targets: EmailSendingTargets;

  constructor(scope: Construct, id: string, props: { senderEmail: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.identity = new EmailIdentity(this, 'Sender', {
      identity: Identity.email(props.senderEmail),
      configurationSet: this.configurationSet,
    });

    // The events name recipients and subjects: the topic is encrypted with a key of its own, which
    // SES may use (a customer managed key: the AWS managed SNS key admits no service publisher),
    // and only for this topic (SNS puts the topic's ARN in every encryption context). The ARN is
    // built from the topic's fixed name, as the topic's own ARN would make the key depend on it.
    const topicName = `${stack.stackName}-email-events`;
    const topicArn = stack.formatArn({ service: 'sns', resource: topicName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    const key = new Key(this, 'EventsKey', {
      description: 'Encrypts the SES email events topic',
      enableKeyRotation: true,
      // Messages stay in the topic only until delivered: nothing outlives the stack that needs the key.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesPublishesEmailEvents',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      }),
    );
    this.events = new Topic(this, 'Events', {
      topicName,
      displayName: 'SES email events (bounces, complaints, deliveries)',
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy lets SES publish for this configuration set only (added by the destination).
    this.configurationSet.addEventDestination('ToTopic', {
      destination: EventDestination.snsTopic(this.events),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.DELIVERY],
    });

    this.targets = {
      senderEmail: props.senderEmail,
      identityArn: this.identity.emailIdentityArn,
      configurationSetName: this.configurationSet.configurationSetName,
      configurationSetArn: stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: this.configurationSet.configurationSetName,
      }),
    };
  }

  /** Subscribes the function that records SES's events (SNS invokes it once per event). */
  recordEventsWith(fn: IFunction): void {
    this.events.addSubscription(new LambdaSubscription(fn));
  }
}
