export * from './cluster';
export * from './index-lifecycle';
export * from './master-user';
export * from './network';
