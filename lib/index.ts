export * from './core';
export * from './redshift';
export * from './streaming-data-lake';
export * from './glue-etl';
export * from './opensearch';
export * from './emr';
export * from './athena';
export * from './glue-orchestration';
