export * from './core';
export * from './redshift';
