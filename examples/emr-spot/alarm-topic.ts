import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** An encrypted, TLS-only SNS topic that CloudWatch alarms can publish to. */
export function alarmTopic(scope: Construct): sns.Topic {
  const key = new kms.Key(scope, 'AlarmKey', { enableKeyRotation: true, description: 'Encrypts the EMR alarm topic' });
  // CloudWatch publishes to an encrypted topic only if the key lets it.
  key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
  return new sns.Topic(scope, 'Alarms', { masterKey: key, enforceSSL: true });
}
