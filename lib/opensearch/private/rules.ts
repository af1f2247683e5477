import { Token } from 'aws-cdk-lib';

import { AnalyticsNetworkConfig } from '../../core/private/network-config';
import { PropsValidator } from '../../core/validation';
import { OpenSearchAlarmThresholds } from '../alarm-thresholds';
import type { OpenSearchClusterProps } from '../cluster-props';
import { OpenSearchIndexLifecycleProps } from '../index-lifecycle';
import { MasterUserConfig } from './config';
import { firstOverlap } from './index-patterns';
import { validateLifecycle } from './lifecycle';

// Moved to lib/core/validation.ts; re-exported so that code importing it from here still compiles.
export { validateAtSynthAndNow } from '../../core/validation';

/**
 * A domain name: 3 to 28 characters, lowercase letters, digits and hyphens, starting with a letter.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_CreateDomain.html (DomainName)
 */
export function validateDomainName(v: PropsValidator, domainName: string | undefined): void {
  v.matches('domainName', domainName, /^[a-z][a-z0-9-]{2,27}$/,
    '3 to 28 characters: lowercase letters, digits and hyphens, starting with a letter');
}

/**
 * Percentages are 0 to 100 and queue and shard thresholds are whole counts of at least 0, as the metrics are: an alarm
 * outside that range never (or always) fires.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-cloudwatchmetrics.html
 */
export function validateAlarmThresholds(v: PropsValidator, t: OpenSearchAlarmThresholds | undefined): void {
  if (!t) return;
  const percents: Array<keyof OpenSearchAlarmThresholds> = ['cpuUtilizationPercent', 'jvmMemoryPressurePercent', 'oldGenJvmMemoryPressurePercent',
    'masterCpuUtilizationPercent', 'masterJvmMemoryPressurePercent', 'masterOldGenJvmMemoryPressurePercent', 'freeStoragePercent', 'http5xxPercent'];
  for (const k of percents) v.inRange(`alarmThresholds.${k}`, t[k], 0, 100, 'percent');
  const counts: Array<keyof OpenSearchAlarmThresholds> = ['threadpoolWriteQueue', 'threadpoolSearchQueue', 'threadpoolSearchQueueMaximum', 'shardsActive'];
  for (const k of counts) v.wholeNumber(`alarmThresholds.${k}`, t[k], 0);
}

/** The rules of the configuration function, the service-linked role and the master user. */
export function validateClusterOptions(v: PropsValidator, props: OpenSearchClusterProps, network: AnalyticsNetworkConfig,
  masterUser: MasterUserConfig): void {
  // Lambda takes a whole number; the ceiling is the account's concurrency quota (adjustable), not a constant.
  v.wholeNumber('lifecycleFunctionReservedConcurrency', props.lifecycleFunctionReservedConcurrency, 1);
  v.requires('createServiceLinkedRole', props.createServiceLinkedRole === true, network.kind !== 'public',
    'a VPC network (the role lets OpenSearch Service manage network interfaces in your VPC)');
  // MasterUserName: 1 to 64 characters.
  // https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_MasterUserOptions.html
  if (masterUser.kind === 'internal') v.matches('masterUser.username', masterUser.username, /^.{1,64}$/, '1 to 64 characters');
}

/** What the lifecycles need to know of the cluster. */
export interface LifecycleSetContext {
  readonly warmEnabled: boolean;
  readonly coldEnabled: boolean;
}

/**
 * Each lifecycle's own rules, plus the rules between them: policy ids are unique in the cluster, and ISM
 * rejects a policy whose `ism_template` patterns overlap another policy's at the same priority (the default
 * priority is the same for every lifecycle, so two lifecycles over `logs-*` and `logs-app-*` need different
 * priorities).
 * @see https://github.com/opensearch-project/index-management (TransportIndexPolicyAction.kt, ISMTemplateService.kt)
 */
export function validateLifecycles(v: PropsValidator, lifecycles: readonly OpenSearchIndexLifecycleProps[], ctx: LifecycleSetContext): void {
  const ids = new Map<string, number>();
  lifecycles.forEach((l, i) => {
    validateLifecycle(v, `indexLifecycles[${i}]`, l, ctx);
    if (!Token.isUnresolved(l.policyId)) {
      v.check(!ids.has(l.policyId), `indexLifecycles[${i}].policyId`, l.policyId, 'must be unique within the cluster');
      ids.set(l.policyId, i);
    }
  });
  for (let i = 0; i < lifecycles.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = lifecycles[j];
      const b = lifecycles[i];
      const pa = a.priority ?? 100;
      const pb = b.priority ?? 100;
      const unresolved = [pa, pb].some(x => Token.isUnresolved(x)) || [a.indexPatterns, b.indexPatterns].some(x => Token.isUnresolved(x));
      if (unresolved || pa !== pb) continue;
      const overlap = firstOverlap(a.indexPatterns.filter(p => !Token.isUnresolved(p)), b.indexPatterns.filter(p => !Token.isUnresolved(p)));
      if (overlap) {
        v.fail(`indexLifecycles[${i}].indexPatterns`, b.indexPatterns,
          `must not overlap indexLifecycles[${j}] ('${a.policyId}') at the same priority (${pb}): '${overlap[1]}' and '${overlap[0]}' can match `
          + 'the same index, which ISM rejects; give one lifecycle a different priority');
      }
    }
  }
}
