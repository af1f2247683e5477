export * from './code';
export * from './flink-application';
export * from './flink-application-props';
export * from './input';
export * from './options';
