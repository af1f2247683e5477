export * from './audit-logging';
export * from './event-notifications';
export * from './node-type';
export * from './snapshot-copy-grant';
export * from './warehouse';
export * from './warehouse-props';
export * from './wlm/query-monitoring-rule';
export * from './wlm/workload-management';
