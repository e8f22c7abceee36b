/** See aliases.js: the alias table of config/tsconfig.paths.json in Jest's and webpack's shapes. */
export declare function jestModuleNameMapper(): Record<string, string>;
export declare function bundlerAliases(): Record<string, string>;
