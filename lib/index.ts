export * from './core';
export * from './opensearch';
