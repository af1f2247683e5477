export * from './core';
export * from './glue-etl';
