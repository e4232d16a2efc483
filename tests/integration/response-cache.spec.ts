/**
 * The indicator API's answer cache: one computation per URL while the stored values stay the
 * same, a new one once a refresh has finished (seen within a second, even from another process).
 */
import { storeSource } from '../../src/lib/server/indicators/source';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cachedAnswer, clearAnswerCache } from '../../src/lib/server/indicators/response-cache';
import { createTestDatabase, type TestDatabase } from './test-database';

describe('indicator answer cache', () => {
	let database: TestDatabase;

	beforeAll(async () => {
		database = await createTestDatabase('pglite');
		clearAnswerCache();
	});

	afterAll(async () => {
		vi.useRealTimers();
		await database?.drop();
	});

	it('computes once per URL until a refresh finishes', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-11-25T10:00:00Z'));
		let computed = 0;
		const answer = (url: string) =>
			cachedAnswer(storeSource(database.db), new URL(url, 'http://portal.invalid'), async () => {
				computed++;
				return { body: `answer ${computed}`, contentType: 'text/plain', rows: 1 };
			});

		expect((await answer('/api/indicators/take_up?level=province')).body).toBe('answer 1');
		expect((await answer('/api/indicators/take_up?level=province')).body).toBe('answer 1');
		expect((await answer('/api/indicators/take_up?level=district')).body).toBe('answer 2');

		// Another process finishes a refresh: within the second, the old answers still count…
		await database.db.execute(
			sql`INSERT INTO refresh_runs (kind, started_at, finished_at, periods)
				VALUES ('full', now(), now(), '["2026-10"]'::jsonb)`
		);
		expect((await answer('/api/indicators/take_up?level=province')).body).toBe('answer 1');
		// …and after it, every URL is computed again on the new values.
		vi.setSystemTime(new Date('2026-11-25T10:00:01.5Z'));
		expect((await answer('/api/indicators/take_up?level=province')).body).toBe('answer 3');
		expect((await answer('/api/indicators/take_up?level=province')).body).toBe('answer 3');
		expect(computed).toBe(3);
	});

	it('does not keep a failed computation', async () => {
		const url = new URL('/api/indicators/nothing', 'http://portal.invalid');
		await expect(
			cachedAnswer(storeSource(database.db), url, async () => {
				throw new Error('no such indicator');
			})
		).rejects.toThrow('no such indicator');
		const answer = await cachedAnswer(storeSource(database.db), url, async () => ({
			body: 'now it works',
			contentType: 'text/plain',
			rows: 0
		}));
		expect(answer.body).toBe('now it works');
	});
});
