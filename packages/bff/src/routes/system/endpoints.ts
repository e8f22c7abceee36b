import type { Router } from '@koa/router';
import type { AnyRoute } from '../../http/route';
import { openApiDocument } from '../../http/openapi';
import { hashedPagePolicy, setPageHeaders } from '../../http/security-headers';
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
  const docs = docsPage();
  const docsPolicy = hashedPagePolicy(docs);
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    setPageHeaders(ctx, docsPolicy);
    ctx.body = docs;
  });
}
