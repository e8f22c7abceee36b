import { Writable } from 'node:stream';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import { bundlerAliases } from '../../../config/aliases';

// @member/shared as TypeScript source, from the repository's one alias table. Source outside `src`
// must also be listed in compile.include, or the build fails with ModuleParseError.
const alias = bundlerAliases();
const sourceDirs = Object.values(alias);

// NutUI is designed at 375 px; our own styles at 750 (the mini-program's rpx).
function designWidth(input?: string | number | { file?: string } | null): number {
  if (typeof input === 'object' && input?.file?.replace(/\\+/g, '/').includes('@nutui')) return 375;
  return 750;
}

/**
 * Webpack's own log (cache, watcher) to stderr, less one known, harmless notice: in production Taro's
 * TaroComponentsExportsPlugin swaps the unused exports of @tarojs/components for NullDependency, which
 * webpack cannot serialize, so that one module is rebuilt each time instead of read from the
 * filesystem cache ("Skipped not serializable cache item … NullDependency"). Registering a serializer
 * would be wrong: a cached module would keep the previous build's list of unused components.
 */
const infrastructureLog = new Writable({
  write(chunk: Buffer | string, _encoding, done) {
    const kept = String(chunk)
      .split('\n')
      .filter((line) => !/NullDependency/.test(line) || !/Skipped not serializable cache item|while serializing/.test(line))
      .join('\n');
    if (kept.trim()) process.stderr.write(kept);
    done();
  },
});

export default defineConfig(() => {
  const config: UserConfigExport = {
    projectName: 'member-center',
    date: '2026-11-22',
    designWidth,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV === 'h5' ? 'h5' : 'weapp'}`,
    plugins: ['@tarojs/plugin-html'],
    defineConstants: {},
    // Only TARO_APP_* variables reach the bundle (see .env files and README).
    alias,
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: process.env.CI !== 'true' },
    logger: { quiet: true, stats: false },
    mini: {
      compile: { include: sourceDirs },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      optimizeMainPackage: { enable: true },
      // Pages import NutUI's per-component styles and our shared components' styles in different
      // orders, and the common chunk cannot honour every order ("Conflicting order" warnings). None
      // of these rules overlap: the few overrides of NutUI live in page styles under a page class,
      // more specific than NutUI's, so order does not matter (as in the H5 build below).
      miniCssExtractPluginOption: { ignoreOrder: true },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: sourceDirs },
      // Content hashes: a file's name changes only when its bytes do (the BFF caches hashed names for a year).
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        if (process.env.NODE_ENV !== 'production') return;
        chain.set('infrastructureLogging', { level: 'warn', stream: infrastructureLog });
        // Our budget for what the first page needs (the entry's scripts and styles), raw; it goes out
        // brotli-compressed at about a third of that, and `pnpm bench` times the load on a throttled phone.
        chain.performance.maxEntrypointSize(520 * 1024).maxAssetSize(300 * 1024);
        // Taro splits only the entry's (initial) chunks, so each lazily loaded page chunk carried its own
        // copy of NutUI and of the code pages share (≈150 KB per page, 2.8 MB of scripts in all). Split
        // the page chunks too: all of NutUI in one `nutui` chunk (scripts and styles, loaded with the
        // first page), other packages and our own code that two or more chunks share in shared chunks.
        chain.optimization.splitChunks({
          chunks: 'all',
          hidePathInfo: true,
          minSize: 10_000,
          cacheGroups: {
            default: false,
            defaultVendors: false,
            taro: { test: /[\\/]node_modules[\\/]@tarojs[\\/]/, priority: 100, reuseExistingChunk: true },
            nutui: { test: /[\\/]node_modules[\\/]@nutui[\\/]/, name: 'nutui', priority: 50, reuseExistingChunk: true },
            vendors: { test: /[\\/]node_modules[\\/]/, minChunks: 2, priority: 10, reuseExistingChunk: true },
            common: { minChunks: 2, priority: 1, reuseExistingChunk: true },
          },
        });
      },
      devServer: { port: 10086, proxy: { '/api': { target: 'http://127.0.0.1:3000' }, '/assets': { target: 'http://127.0.0.1:3000' } } },
    },
  };
  return config;
});
