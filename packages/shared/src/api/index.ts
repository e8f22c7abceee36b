export * from '../vocabulary';
export * from './common';
export * from './paths';
export * from './member';
export * from './counter';
export * from './privacy';
export * from './mall';
export * from './admin';
