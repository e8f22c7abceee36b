export * from './phone-field.h5';
