export * from './errors';
export * from './config/loyalty.schema';
export * from './rules/time';
export * from './rules/tier';
export * from './rules/points';
export * from './code/member-code';
export * from './api';
