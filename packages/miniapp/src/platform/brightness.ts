export * from './brightness.h5';
