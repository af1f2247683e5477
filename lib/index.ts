export * from './core';
export * from './streaming-data-lake';
