export * from './core';
export * from './emr';
