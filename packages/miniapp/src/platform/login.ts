// Type-checking entry: Taro resolves login.weapp.ts or login.h5.ts per platform at build time.
export * from './login.h5';
