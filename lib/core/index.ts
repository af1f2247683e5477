export * from './data-bucket';
export * from './monitoring';
