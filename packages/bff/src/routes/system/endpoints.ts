import type { Router } from '@koa/router';
import type { AnyRoute } from '../../http/route';
import { openApiDocument } from '../../http/openapi';
import { docsPage } from './docs-page';

/** Health checks and the API reference: plain endpoints outside the `{data}` contract. */
export function mountSystemEndpoints(router: Router, routes: readonly AnyRoute[], ready: () => Promise<boolean>): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const ok = await ready().catch(() => false);
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ok' : 'unavailable' };
  });
  const openapi = openApiDocument(routes, { title: 'Member Center BFF', version: '1' });
  router.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = docsPage();
  });
}
