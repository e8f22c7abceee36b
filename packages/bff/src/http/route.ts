import type { ErrorCode, PathTemplate, StaffRole } from '@member/shared';
import { z } from 'zod';
import type { RateLimit } from '../lib/rate-limit';

/**
 * What a `binary` route's handler returns: the bytes of a file and their media type (one of the
 * route's `binary` types). The body is the bytes themselves, outside the `{data}` envelope.
 */
export const FileBody = z.object({ contentType: z.string(), bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes') });

/** Who may call a route. Staff routes may narrow to roles; admin routes take admin tokens only. */
export type AuthSpec =
  'public' | { readonly audience: 'member' } | { readonly audience: 'staff'; readonly roles?: readonly StaffRole[] } | { readonly audience: 'admin' };

/** A member, as their token names them (whether they are registered is the service's business). */
export interface MemberCaller {
  readonly audience: 'member';
  readonly memberId: string;
}

/** A staff member or operator, from the signed token, checked against revocation. */
export interface StaffCaller {
  readonly audience: 'staff' | 'admin';
  readonly staffId: string;
  readonly storeId: string;
  readonly role: StaffRole;
}

export type Caller = MemberCaller | StaffCaller;

export type CallerOf<A extends AuthSpec> = A extends 'public' ? null : A extends { audience: 'member' } ? MemberCaller : StaffCaller;

type Schema = z.ZodType;
type In<S> = S extends Schema ? z.output<S> : undefined;

/** A page of a list: the items and the opaque cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What a handler returns: the `data` of the response, shaped exactly as the declared schema accepts it. */
export type Result<R extends Schema, P extends boolean> = P extends true ? Page<z.input<R>> : z.input<R>;

export interface HandlerInput<A extends AuthSpec, B, Q, P> {
  caller: CallerOf<A>;
  body: In<B>;
  query: In<Q>;
  params: In<P>;
  /** The request's Idempotency-Key header, when the route honours one. */
  idempotencyKey: string | null;
  /** Marks the reply as a replay of an earlier request (sets `Idempotent-Replayed: true`). */
  replayed: () => void;
  /** The client's address (behind a trusted proxy, from X-Forwarded-For: `http.trustProxy`). */
  clientAddress: string;
}

/**
 * One route, declared once: `auth` picks the token audience (and roles) and hands the handler a
 * typed caller; the request schemas validate, the response schema types the handler's result at
 * compile time; all of them generate the OpenAPI document. The envelope (`{data}`, or
 * `{data, nextCursor}` for lists) is added by the router, never by the handler.
 */
export interface RouteSpec<
  A extends AuthSpec = AuthSpec,
  B extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  P extends Schema | undefined = Schema | undefined,
  R extends Schema = Schema,
  Paged extends boolean = boolean,
> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: PathTemplate;
  summary: string;
  tag: string;
  auth: A;
  body?: B;
  query?: Q;
  params?: P;
  /** Schema of `data`; for `paged` routes, of one item. An array schema is a complete (unpaged) list. */
  response: R;
  /** The handler returns a `Page` and the body is `{data: [...], nextCursor}`. */
  paged?: Paged;
  /** The route answers with a file of one of these media types instead of JSON (`response: FileBody`). */
  binary?: readonly [string, ...string[]];
  status?: 200 | 201;
  /** Honour Idempotency-Key (the same key and body replay the first response); 'required' refuses a request without one. */
  idempotent?: boolean | 'required';
  /** The service itself makes the write idempotent by the key (a unique column): the router only validates the header. */
  idempotencyOwnedByService?: boolean;
  rateLimit?: { limit: RateLimit; by: 'ip' };
  /** Cache-Control of a public route; routes with a caller are always `no-store`. */
  cacheControl?: string;
  errors?: readonly ErrorCode[];
  handler: (input: HandlerInput<A, B, Q, P>) => Promise<Result<R, Paged>>;
}

/** A route with its types erased, as the router and the OpenAPI builder see it. */
export interface AnyRoute {
  method: RouteSpec['method'];
  path: string;
  summary: string;
  tag: string;
  auth: AuthSpec;
  body?: Schema;
  query?: Schema;
  params?: Schema;
  response: Schema;
  paged?: boolean;
  binary?: readonly [string, ...string[]];
  status?: 200 | 201;
  idempotent?: boolean | 'required';
  idempotencyOwnedByService?: boolean;
  rateLimit?: { limit: RateLimit; by: 'ip' };
  cacheControl?: string;
  errors?: readonly ErrorCode[];
  handler: (input: {
    caller: Caller | null;
    body: unknown;
    query: unknown;
    params: unknown;
    idempotencyKey: string | null;
    replayed: () => void;
    clientAddress: string;
  }) => Promise<unknown>;
}

/**
 * Declares a route. The type parameters are inferred from the spec, so `caller`, `body`, `query`
 * and `params` are typed in the handler and its result is checked against `response`.
 */
export function defineRoute<
  A extends AuthSpec,
  R extends Schema,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  Paged extends boolean = false,
>(spec: RouteSpec<A, B, Q, P, R, Paged>): AnyRoute {
  return spec as unknown as AnyRoute;
}

/** Audience of a route's auth spec (or null for public routes). */
export function audienceOf(auth: AuthSpec): 'member' | 'staff' | 'admin' | null {
  return auth === 'public' ? null : auth.audience;
}
