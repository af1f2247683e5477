export * from './cluster';
export * from './firehose-ingestion';
export * from './index-lifecycle';
export * from './master-user';
export * from './network';
