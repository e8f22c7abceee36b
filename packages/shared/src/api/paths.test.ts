import { describe, expect, it } from '@jest/globals';
import { Paths, pathTo } from './paths';

describe('pathTo', () => {
  it('fills path parameters, URI-encoded', () => {
    expect(pathTo('mallItem', { id: 'A1' })).toBe('/api/v1/mall/items/A1');
    expect(pathTo('counterPickupFulfil', { pickupCode: '12 34' })).toBe('/api/v1/counter/pickups/12%2034/fulfil');
  });

  it('adds a query string without undefined values', () => {
    expect(pathTo('meCoupons', undefined, { status: 'used' })).toBe('/api/v1/me/coupons?status=used');
    expect(pathTo('mePointsLedger', undefined, { limit: 20, cursor: undefined })).toBe('/api/v1/me/points/ledger?limit=20');
    expect(pathTo('me')).toBe('/api/v1/me');
  });

  it('names every path once', () => {
    const values = Object.values(Paths);
    expect(new Set(values).size).toBe(values.length);
  });
});
