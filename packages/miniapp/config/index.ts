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
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: sourceDirs },
      output: { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      devServer: { port: 10086, proxy: { '/api': { target: 'http://127.0.0.1:3000' }, '/assets': { target: 'http://127.0.0.1:3000' } } },
    },
  };
  return config;
});
