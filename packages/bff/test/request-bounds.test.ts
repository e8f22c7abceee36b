import { describe, expect, it } from '@jest/globals';
import { MAX_CAMPAIGN_TIERS, NICKNAME_MAX_CHARS, REVIEW_COMMENT_MAX_CHARS, ReviewTag } from '@member/shared';
import type { EntitySchema } from 'typeorm';
import {
  CampaignEntity,
  CouponTemplateEntity,
  IdempotencyEntity,
  JobRunEntity,
  MallItemEntity,
  MemberEntity,
  OrderEntity,
  RedemptionEntity,
  RefundEntity,
  ReviewEntity,
  ShareEntity,
  StaffEntity,
  StoreEntity,
  SubscriptionCreditEntity,
} from '../src/db/entities';
import { useTestApp } from './support/test-app';

/**
 * Every string a request body may carry is bounded by what the column that keeps it holds, so no
 * request can reach the database with a value it would truncate or refuse (a 500). The string
 * fields are read from the served OpenAPI document (generated from the schemas that validate
 * requests); the column lengths from the TypeORM metadata. A new string field fails this test
 * until it is listed below, with its column or the reason it is never stored as typed.
 */
const t = useTestApp();

interface Column {
  entity: EntitySchema<never>;
  property: string;
  /** The value is stored after the schema transforms it: its bound, when the JSON Schema's is the raw input's. */
  storedMax?: number;
}
type Where = Column | { notStored: string };
const col = (entity: EntitySchema<never>, property: string, storedMax?: number): Column => ({ entity, property, storedMax });
const E = <T>(e: EntitySchema<T>) => e as unknown as EntitySchema<never>;

const STRING_FIELDS: Record<string, Where> = {
  'POST /api/v1/auth/wechat body.code': { notStored: 'exchanged with WeChat for an openid' },
  'POST /api/v1/auth/dev body.openid': { notStored: 'kept as a keyed hash and a ciphertext' },
  'POST /api/v1/members body.nickname': col(E(MemberEntity), 'nickname', NICKNAME_MAX_CHARS),
  'POST /api/v1/members body.birthday': col(E(MemberEntity), 'birthday'),
  'POST /api/v1/members body.phone': { notStored: 'kept as a keyed hash and a ciphertext' },
  'POST /api/v1/members body.phoneCode': { notStored: 'exchanged with WeChat for a phone number' },
  'POST /api/v1/members body.inviteCode': col(E(MemberEntity), 'inviteCode'),
  'POST /api/v1/members body.shareToken': { notStored: 'a reference: looked up first, only the share found is recorded' },
  'POST /api/v1/shares body.page': col(E(ShareEntity), 'page'),
  'POST /api/v1/shares body.params.id': col(E(ShareEntity), 'targetId'),
  'POST /api/v1/members body.consentVersion': col(E(MemberEntity), 'consentVersion'),
  'PATCH /api/v1/me body.nickname': col(E(MemberEntity), 'nickname', NICKNAME_MAX_CHARS),
  'PATCH /api/v1/me body.birthday': col(E(MemberEntity), 'birthday'),
  // Up to three tags, stored comma-joined in one column.
  'POST /api/v1/me/orders/{orderId}/review body.answers[]': col(E(ReviewEntity), 'answers', 3 * Math.max(...ReviewTag.options.map((o) => o.length)) + 2),
  'POST /api/v1/me/orders/{orderId}/review body.comment': col(E(ReviewEntity), 'comment', REVIEW_COMMENT_MAX_CHARS),
  // A notification kind, one credit row per kind.
  'POST /api/v1/me/subscriptions body.accepted[]': col(E(SubscriptionCreditEntity), 'kind'),
  'POST /api/v1/mall/redemptions body.itemId': { notStored: 'a reference: looked up first, only the id found is stored' },
  'POST /api/v1/staff/sessions body.username': col(E(StaffEntity), 'username'),
  'POST /api/v1/staff/sessions body.password': { notStored: 'compared with a scrypt hash' },
  'POST /api/v1/counter/orders/{id}/refunds body.approval.username': { notStored: "a manager's sign-in: only the approver's staff id is stored" },
  'POST /api/v1/counter/orders/{id}/refunds body.approval.password': { notStored: 'compared with a scrypt hash' },
  'POST /api/v1/counter/orders/{id}/refunds body.approval.token': { notStored: "a manager's staff token, verified and dropped" },
  'POST /api/v1/counter/lookup body.code': { notStored: 'a dynamic member code, verified and dropped' },
  'POST /api/v1/counter/quote body.code': { notStored: 'a dynamic member code, verified and dropped' },
  'POST /api/v1/counter/quote body.couponId': { notStored: 'a quote writes nothing' },
  'POST /api/v1/counter/orders body.code': { notStored: 'a dynamic member code, verified and dropped' },
  'POST /api/v1/counter/orders body.couponId': { notStored: 'a reference: looked up first, only the id found is stored' },
  'POST /api/v1/counter/orders body.receiptNo': col(E(OrderEntity), 'receiptNo'),
  'POST /api/v1/counter/orders/{id}/refunds body.refundNo': col(E(RefundEntity), 'refundNo'),
  'POST /api/v1/admin/coupon-templates body.code': col(E(CouponTemplateEntity), 'code'),
  'POST /api/v1/admin/coupon-templates body.kind': col(E(CouponTemplateEntity), 'kind'),
  'POST /api/v1/admin/coupon-templates body.title': col(E(CouponTemplateEntity), 'title'),
  'POST /api/v1/admin/coupon-templates body.validity.from': col(E(CouponTemplateEntity), 'validFrom'),
  'POST /api/v1/admin/coupon-templates body.validity.to': col(E(CouponTemplateEntity), 'validTo'),
  'POST /api/v1/admin/coupon-templates body.minTier': col(E(CouponTemplateEntity), 'minTier'),
  'PATCH /api/v1/admin/coupon-templates/{id} body.title': col(E(CouponTemplateEntity), 'title'),
  'PATCH /api/v1/admin/coupon-templates/{id} body.validity.from': col(E(CouponTemplateEntity), 'validFrom'),
  'PATCH /api/v1/admin/coupon-templates/{id} body.validity.to': col(E(CouponTemplateEntity), 'validTo'),
  'PATCH /api/v1/admin/coupon-templates/{id} body.minTier': col(E(CouponTemplateEntity), 'minTier'),
  'POST /api/v1/admin/mall-items body.kind': col(E(MallItemEntity), 'kind'),
  'POST /api/v1/admin/mall-items body.couponTemplateCode': col(E(MallItemEntity), 'couponTemplateCode'),
  'POST /api/v1/admin/mall-items body.title': col(E(RedemptionEntity), 'title'),
  'POST /api/v1/admin/mall-items body.description': col(E(MallItemEntity), 'description'),
  'POST /api/v1/admin/mall-items body.imageUrl': col(E(MallItemEntity), 'imageUrl'),
  'POST /api/v1/admin/mall-items body.saleFrom': col(E(MallItemEntity), 'saleFrom'),
  'POST /api/v1/admin/mall-items body.saleTo': col(E(MallItemEntity), 'saleTo'),
  'POST /api/v1/admin/mall-items body.minTier': col(E(MallItemEntity), 'minTier'),
  'PATCH /api/v1/admin/mall-items/{id} body.title': col(E(RedemptionEntity), 'title'),
  'PATCH /api/v1/admin/mall-items/{id} body.description': col(E(MallItemEntity), 'description'),
  'PATCH /api/v1/admin/mall-items/{id} body.imageUrl': col(E(MallItemEntity), 'imageUrl'),
  'PATCH /api/v1/admin/mall-items/{id} body.saleFrom': col(E(MallItemEntity), 'saleFrom'),
  'PATCH /api/v1/admin/mall-items/{id} body.saleTo': col(E(MallItemEntity), 'saleTo'),
  'PATCH /api/v1/admin/mall-items/{id} body.minTier': col(E(MallItemEntity), 'minTier'),
  'POST /api/v1/admin/members/{id}/coupons body.templateCode': { notStored: 'looked up; the coupon keeps the template id' },
  'POST /api/v1/admin/members/{id}/coupons body.reason': { notStored: 'kept inside the audit entry (a TEXT column)' },
  'POST /api/v1/admin/members/{id}/adjustments body.reason': { notStored: 'kept inside the audit entry (a TEXT column)' },
  'POST /api/v1/admin/stores body.name': col(E(StoreEntity), 'name'),
  'PATCH /api/v1/admin/stores/{id} body.name': col(E(StoreEntity), 'name'),
  'POST /api/v1/admin/staff body.storeId': { notStored: 'a reference: looked up first, only the id found is stored' },
  'POST /api/v1/admin/staff body.username': col(E(StaffEntity), 'username'),
  'POST /api/v1/admin/staff body.password': { notStored: 'kept as a scrypt hash' },
  'POST /api/v1/admin/staff body.role': col(E(StaffEntity), 'role'),
  'PATCH /api/v1/admin/staff/{id} body.storeId': { notStored: 'a reference: looked up first, only the id found is stored' },
  'PATCH /api/v1/admin/staff/{id} body.role': col(E(StaffEntity), 'role'),
  'PATCH /api/v1/admin/staff/{id} body.password': { notStored: 'kept as a scrypt hash' },
  'POST /api/v1/admin/campaigns body.code': col(E(CampaignEntity), 'code'),
  'POST /api/v1/admin/campaigns body.name': col(E(CampaignEntity), 'name'),
  // Tier codes (at most 32 characters each) kept as one JSON array: ["a","b",…].
  'POST /api/v1/admin/campaigns body.tiers[]': col(E(CampaignEntity), 'tiers', MAX_CAMPAIGN_TIERS * (32 + 3) + 1),
  'POST /api/v1/admin/campaigns body.from': col(E(CampaignEntity), 'startsOn'),
  'POST /api/v1/admin/campaigns body.to': col(E(CampaignEntity), 'endsOn'),
  'PATCH /api/v1/admin/campaigns/{id} body.name': col(E(CampaignEntity), 'name'),
  'PATCH /api/v1/admin/campaigns/{id} body.tiers[]': col(E(CampaignEntity), 'tiers', MAX_CAMPAIGN_TIERS * (32 + 3) + 1),
  'PATCH /api/v1/admin/campaigns/{id} body.from': col(E(CampaignEntity), 'startsOn'),
  'PATCH /api/v1/admin/campaigns/{id} body.to': col(E(CampaignEntity), 'endsOn'),
  'POST /api/v1/admin/jobs/{name}/run body.asOf': col(E(JobRunEntity), 'asOf'),
  'header Idempotency-Key': col(E(IdempotencyEntity), 'idemKey'),
};

interface JsonSchema {
  type?: string;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** Every string in a JSON Schema, by its dotted path (union branches merged). */
function strings(s: JsonSchema, path: string, out: Map<string, JsonSchema[]>): void {
  if (s.type === 'string') out.set(path, [...(out.get(path) ?? []), s]);
  for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) strings(branch, path, out);
  for (const [k, v] of Object.entries(s.properties ?? {})) strings(v, `${path}.${k}`, out);
  if (s.items) strings(s.items, `${path}[]`, out);
}

/** The most characters a string schema lets through: maxLength, an enum's longest value, or a whole-value pattern's bound. */
function maxChars(s: JsonSchema): number | 'datetime' | null {
  if (s.format === 'date-time') return 'datetime';
  if (s.format === 'date') return 10;
  if (s.enum) return Math.max(...s.enum.map((v) => v.length));
  const bounds: number[] = [];
  if (s.maxLength !== undefined) bounds.push(s.maxLength);
  // ^[class]{m,n}$ or ^[class][class]{m,n}$ (one leading fixed character), as ids and codes are written.
  const m = s.pattern?.match(/^\^(\[[^\]]+\])?\[[^\]]+\]\{(\d+),(\d+)\}\$$/);
  if (m) bounds.push(Number(m[3]) + (m[1] ? 1 : 0));
  return bounds.length ? Math.min(...bounds) : null;
}

describe('request strings against the columns that keep them', () => {
  it('lists every string field of every request, each within its column', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> }; parameters?: { name: string; in: string; schema: JsonSchema }[] }>
      >;
    };
    const found = new Map<string, JsonSchema[]>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const body = op.requestBody?.content['application/json']?.schema;
        if (body) strings(body, `${method.toUpperCase()} ${path} body`, found);
        for (const p of op.parameters ?? []) if (p.in === 'header') strings(p.schema, `header ${p.name}`, found);
      }
    }
    expect([...found.keys()].filter((k) => !(k in STRING_FIELDS))).toEqual([]);
    expect(Object.keys(STRING_FIELDS).filter((k) => !found.has(k))).toEqual([]);

    const problems: string[] = [];
    for (const [field, schemas] of found) {
      const where = STRING_FIELDS[field];
      if ('notStored' in where) continue;
      const column = t.dataSource.getMetadata(where.entity).findColumnWithPropertyName(where.property);
      if (!column) {
        problems.push(`${field}: no column ${where.property}`);
        continue;
      }
      for (const s of schemas) {
        const max = where.storedMax ?? maxChars(s);
        if (max === 'datetime') {
          if (column.type !== 'datetime') problems.push(`${field}: a date-time kept in a ${String(column.type)} column`);
        } else if (max === null) {
          problems.push(`${field}: no upper bound on its length (column holds ${column.length})`);
        } else if (!(max <= Number(column.length))) {
          problems.push(`${field}: up to ${max} characters, column ${column.databaseName} holds ${column.length}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
