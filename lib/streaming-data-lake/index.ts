export * from './options';
export * from './schema';
export * from './streaming-data-lake';
export * from './streaming-data-lake-props';
export * from './consumer';
export * from './consumer-options';
export * from './raw-backup';
export * from './source';
