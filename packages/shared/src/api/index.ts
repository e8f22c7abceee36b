export * from './common';
export * from './member';
export * from './counter';
export * from './privacy';
export * from './mall';
export * from './admin';
