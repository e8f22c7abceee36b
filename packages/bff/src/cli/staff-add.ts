import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { systemClock } from '../lib/clock';
import { bootstrap } from './bootstrap';

/**
 * Creates a staff account (and its store, the first time the store is named):
 *
 *   pnpm staff:add --store 旗舰店 --username alice --role manager [--password …]
 *
 * Without --password a strong one is generated and printed once. Roles: cashier, manager, admin.
 */
const USAGE = 'usage: pnpm staff:add --store NAME --username NAME --role cashier|manager|admin [--password PASSWORD]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { store: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
  });
  const { store, username, role } = values;
  if (!store || !username || (role !== 'cashier' && role !== 'manager' && role !== 'admin')) {
    console.error(USAGE);
    process.exit(2);
  }
  const password = values.password ?? randomBytes(12).toString('base64url');
  const { services, close } = await bootstrap(systemClock);
  try {
    const existing = await services.staff.storeByName(store);
    const storeRow = existing ?? (await services.staff.createStore(store));
    if (!existing) console.log(`created store ${store} (${storeRow.id})`);
    const staff = await services.staff.createStaff({ storeId: storeRow.id, username, password, role });
    console.log(`created ${role} ${username} in ${store} (${staff.id})`);
    if (!values.password) console.log(`password: ${password}   (shown once; keep it safe)`);
  } finally {
    await close();
  }
}

main().catch((e: unknown) => {
  console.error(`staff:add failed: ${(e as Error).message}`);
  process.exit(1);
});
