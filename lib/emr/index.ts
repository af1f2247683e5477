export * from './capacity';
export * from './cluster';
export * from './cluster-props';
export * from './data-location';
export * from './release';
export * from './scaling';
export * from './security-configuration';
export * from './step';
