export * from './alarm-thresholds';
export * from './cluster';
export * from './cluster-props';
export * from './firehose-ingestion';
export * from './index-lifecycle';
export * from './master-user';
export * from './warm-instance-type';
