import type { PathTemplate } from '@member/shared';
import type { z } from 'zod';
import { defineRoute, type AnyRoute, type AuthSpec, type RouteSpec } from '../../src/http/route';

/**
 * A route for exercising the HTTP machinery in tests, at a path outside the contract's table
 * (`/api/v1/test/...`); otherwise declared exactly like a real one.
 */
export function testRoute<
  A extends AuthSpec,
  R extends z.ZodType,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
>(spec: Omit<RouteSpec<A, B, Q, P, R, false>, 'path'> & { path: `/api/v1/test/${string}` }): AnyRoute {
  return defineRoute<A, R, B, Q, P>({ ...spec, path: spec.path as unknown as PathTemplate });
}
