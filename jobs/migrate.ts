/** `npm run db:migrate`: brings the database (DATABASE_URL, else PGlite) to the latest schema. */
import { openDatabase } from '../src/lib/server/db';

const database = await openDatabase();
console.log(`${database.kind} database migrated`);
await database.close();
