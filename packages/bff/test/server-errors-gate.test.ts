import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { takeServerErrors } from './support/server-errors';
import { allowServerErrors, useTestApp } from './support/test-app';
import { testRoute } from './support/test-route';

// The test of the 5xx gate itself: a route that fails unexpectedly is mounted beside the real ones.
const t = useTestApp({
  extraRoutes: () => [
    testRoute({
      method: 'get',
      path: '/api/v1/test/broken',
      tag: 'test',
      summary: 'a route with a bug',
      auth: 'public',
      response: z.object({}),
      handler: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'id')")),
    }),
  ],
});

describe('the 5xx gate', () => {
  it('records a 500 the test did not ask for, even when the test never looks at the status', async () => {
    await t.http.get('/api/v1/test/broken');
    // Taken here so that this test passes; left alone, the gate's afterEach would fail it with this list.
    expect(takeServerErrors()).toEqual([expect.stringContaining('GET /api/v1/test/broken → 500')]);
  });

  it('lets a test provoke a status on purpose', async () => {
    allowServerErrors(500);
    await t.http.get('/api/v1/test/broken').expect(500);
    expect(takeServerErrors()).toEqual([]);
  });

  it('forgets the allowance after the test that made it', async () => {
    allowServerErrors(500);
    expect(takeServerErrors()).toEqual([]);
    await t.http.get('/api/v1/test/broken').expect(500);
    expect(takeServerErrors()).toHaveLength(1);
  });

  it('allows only the statuses named', async () => {
    allowServerErrors(503);
    await t.http.get('/api/v1/test/broken').expect(500);
    expect(takeServerErrors()).toHaveLength(1);
  });
});
