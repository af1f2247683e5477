export * from './options';
export * from './schema';
export * from './streaming-data-lake';
export * from './streaming-data-lake-props';
