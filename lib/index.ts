export * from './core';
export * from './redshift';
export * from './streaming-data-lake';
