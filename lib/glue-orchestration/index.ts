export * from './step';
export * from './start';
export * from './glue-etl-state-machine';
