import type { Db } from '../db';
import { StaffEntity, StoreEntity, type StaffRow, type StoreRow } from '../entities';
import { tableOf } from '../table';
import { pageById, type Cursor } from './paging';

const staff = tableOf(StaffEntity);
const stores = tableOf(StoreEntity);

/** Stores and staff accounts. */
export class StaffRepository {
  constructor(private readonly db: Db) {}

  async insertStore(row: StoreRow): Promise<void> {
    const [sql, params] = stores.insert([row]);
    await this.db.execute(sql, params);
  }

  async storeById(id: string): Promise<StoreRow | null> {
    const raw = await this.db.row(`SELECT ${stores.select()} FROM stores WHERE id = ?`, [id]);
    return raw ? stores.map(raw) : null;
  }

  async storeByName(name: string): Promise<StoreRow | null> {
    const raw = await this.db.row(`SELECT ${stores.select()} FROM stores WHERE name = ?`, [name]);
    return raw ? stores.map(raw) : null;
  }

  /** Inserts an account; a taken username fails with a duplicate key. */
  async insert(row: StaffRow): Promise<void> {
    const [sql, params] = staff.insert([row]);
    await this.db.execute(sql, params);
  }

  async byUsername(username: string): Promise<StaffRow | null> {
    const raw = await this.db.row(`SELECT ${staff.select()} FROM staff WHERE username = ?`, [username]);
    return raw ? staff.map(raw) : null;
  }

  async byId(id: string): Promise<StaffRow | null> {
    const raw = await this.db.row(`SELECT ${staff.select()} FROM staff WHERE id = ?`, [id]);
    return raw ? staff.map(raw) : null;
  }

  async allStores(): Promise<StoreRow[]> {
    return (await this.db.rows(`SELECT ${stores.select()} FROM stores ORDER BY id`)).map((r) => stores.map(r));
  }

  async renameStore(id: string, name: string): Promise<void> {
    await this.db.execute('UPDATE stores SET name = ? WHERE id = ?', [name, id]);
  }

  /** Accounts, newest first, of one store or all. */
  page(storeId: string | undefined, cursor: Cursor, limit: number) {
    return storeId === undefined ? pageById(this.db, staff, '1 = 1', [], cursor, limit) : pageById(this.db, staff, 'store_id = ?', [storeId], cursor, limit);
  }

  async update(id: string, changes: Partial<Pick<StaffRow, 'storeId' | 'role' | 'passwordHash' | 'disabledAt' | 'sessionsValidFrom'>>): Promise<void> {
    const keys = Object.keys(changes) as (keyof typeof changes)[];
    if (keys.length === 0) return;
    await this.db.execute(`UPDATE staff SET ${keys.map((k) => `${staff.col(k)} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k]), id]);
  }
}
