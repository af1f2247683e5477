import { Duration, SizeRoundingBehavior, Token } from 'aws-cdk-lib';

import { PropsValidator } from '../../core/validation';
import { OpenSearchIndexLifecycleProps } from '../index-lifecycle';
import { invalidPatternReason } from './index-patterns';

/** What the lifecycle needs from the cluster it is applied to. */
export interface LifecycleContext {
  readonly warmEnabled: boolean;
  readonly coldEnabled: boolean;
}

/** Checks one lifecycle's props; every rule names the property under `prefix`. */
export function validateLifecycle(v: PropsValidator, prefix: string, p: OpenSearchIndexLifecycleProps, ctx: LifecycleContext): void {
  const name = (k: string) => `${prefix}.${k}`;
  // The library's own rule: the id names the policy's custom resource and goes into the ISM API path.
  v.matches(name('policyId'), p.policyId, /^[a-z0-9][a-z0-9_-]{0,63}$/,
    'lowercase letters, digits, - and _, starting with a letter or digit, at most 64 characters (the id names the policy\'s resource and API path)');
  // An ism_template needs at least one index pattern (ISMTemplate: "Requires at least one index pattern"); 100 is
  // the library's own cap.
  // https://github.com/opensearch-project/index-management/blob/main/src/main/kotlin/org/opensearch/indexmanagement/indexstatemanagement/model/ISMTemplate.kt
  v.countInRange(name('indexPatterns'), p.indexPatterns, 1, 100);
  // ISM's validateFormat.
  // https://github.com/opensearch-project/index-management/blob/main/src/main/kotlin/org/opensearch/indexmanagement/indexstatemanagement/ISMTemplateService.kt
  if (!Token.isUnresolved(p.indexPatterns)) {
    for (const pattern of p.indexPatterns) {
      const reason = Token.isUnresolved(pattern) ? undefined : invalidPatternReason(pattern);
      if (reason) v.fail(name('indexPatterns'), pattern, reason);
    }
  }
  // ISMTemplate: priority is an Integer, "Requires priority to be >= 0".
  // https://docs.opensearch.org/latest/im-plugin/ism/policies/
  // https://github.com/opensearch-project/index-management/blob/main/src/main/kotlin/org/opensearch/indexmanagement/indexstatemanagement/model/ISMTemplate.kt
  v.integerInRange(name('priority'), p.priority, 0, 2147483647);
  // The library's own rule: the policy states each age in whole hours (or days), so a fraction would be rounded.
  for (const key of ['warmAfter', 'coldAfter', 'deleteAfter'] as const) {
    const d = p[key];
    if (d && !d.isUnresolved()) {
      v.check(Number.isInteger(d.toHours({ integral: false })) && d.toHours({ integral: false }) >= 1, name(key), d,
        'must be a whole number of hours, at least 1 hour: the policy states ages in hours');
    }
  }
  const r = p.rollover;
  if (r) {
    // The library's own rule: a rollover needs a condition to wait for.
    v.check(r.minDocCount !== undefined || r.minIndexAge !== undefined || r.minPrimaryShardSize !== undefined,
      name('rollover'), undefined, 'must set at least one of minPrimaryShardSize, minIndexAge, minDocCount: it is when the hot index rolls over');
    // RolloverAction: "minDocs value must be greater than 0".
    // https://github.com/opensearch-project/index-management/blob/main/src/main/kotlin/org/opensearch/indexmanagement/indexstatemanagement/action/RolloverAction.kt
    v.atLeast(name('rollover.minDocCount'), r.minDocCount, 1);
  }
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ultrawarm.html#ultrawarm-ism
  v.requires(name('warmAfter'), p.warmAfter !== undefined, ctx.warmEnabled, 'UltraWarm on the cluster (warmNodes greater than 0)');
  // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cold-storage.html#coldstorage-ism
  v.requires(name('coldAfter'), p.coldAfter !== undefined, ctx.coldEnabled, 'cold storage on the cluster (coldStorageEnabled: true)');
  v.requires(name('coldAfter'), p.coldAfter !== undefined, p.warmAfter !== undefined,
    'warmAfter as well: indexes move to cold storage from UltraWarm');
  // States are visited in order, so every later age must be strictly larger than the one before it.
  const ordered = (['warmAfter', 'coldAfter', 'deleteAfter'] as const).filter(k => p[k] !== undefined && !p[k]!.isUnresolved());
  for (let i = 1; i < ordered.length; i++) {
    const before = p[ordered[i - 1]]!;
    const after = p[ordered[i]]!;
    v.check(after.toHours({ integral: false }) > before.toHours({ integral: false }), name(ordered[i]), after,
      `must be longer than ${ordered[i - 1]} (${before.toHumanString()}): the states follow each other and every age counts from the same start`);
  }
  v.check(p.warmAfter !== undefined || p.coldAfter !== undefined || p.deleteAfter !== undefined || p.rollover !== undefined,
    prefix, undefined, 'must set at least one of rollover, warmAfter, coldAfter, deleteAfter: the policy would do nothing');
}

/** The policy document that `PUT _plugins/_ism/policies/<id>` takes. */
export function renderLifecyclePolicy(p: OpenSearchIndexLifecycleProps): Record<string, unknown> {
  const next: { state: string; age: Duration }[] = [];
  if (p.warmAfter) next.push({ state: 'warm', age: p.warmAfter });
  if (p.coldAfter) next.push({ state: 'cold', age: p.coldAfter });
  if (p.deleteAfter) next.push({ state: 'delete', age: p.deleteAfter });

  const transitionFrom = (index: number) => next[index]
    ? [{ state_name: next[index].state, conditions: { min_index_age: age(next[index].age) } }]
    : [];

  const states: Record<string, unknown>[] = [];
  const hotActions: Record<string, unknown>[] = [];
  if (p.rollover) {
    hotActions.push({
      rollover: {
        ...(p.rollover.minPrimaryShardSize ? { min_primary_shard_size: `${p.rollover.minPrimaryShardSize.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR })}mb` } : {}),
        ...(p.rollover.minIndexAge ? { min_index_age: age(p.rollover.minIndexAge) } : {}),
        ...(p.rollover.minDocCount !== undefined ? { min_doc_count: p.rollover.minDocCount } : {}),
      },
    });
  }
  states.push({ name: 'hot', actions: hotActions, transitions: transitionFrom(0) });
  next.forEach((n, i) => {
    const actions = n.state === 'warm' ? [{ warm_migration: {} }]
      : n.state === 'cold' ? [{ cold_migration: { timestamp_field: p.timestampField ?? '@timestamp' } }]
      // An index in cold storage is deleted with cold_delete; a hot or warm one with delete.
        : p.coldAfter ? [{ cold_delete: {} }] : [{ delete: {} }];
    states.push({ name: n.state, actions, transitions: transitionFrom(i + 1) });
  });

  return {
    policy: {
      description: p.description ?? `Managed by cdk-analytics-blueprints: ${['hot', ...next.map(n => n.state)].join(' -> ')}`,
      default_state: 'hot',
      states,
      ism_template: [{ index_patterns: p.indexPatterns, priority: p.priority ?? 100 }],
    },
  };
}

/** An ISM age: whole days as `Nd`, otherwise whole hours as `Nh`. */
function age(d: Duration): string {
  const hours = d.toHours({ integral: false });
  return hours % 24 === 0 ? `${hours / 24}d` : `${Math.round(hours)}h`;
}
