export * from './athena-workgroup';
export * from './query-table';
