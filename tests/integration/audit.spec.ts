/**
 * The audit trail of issue #7 beyond sign-ins: every imported file (its batch and counts, in
 * the file's transaction), every refused file, job runs and failures, and the admin's view and
 * export of the log. Also the job lock that keeps two instances from running one job at once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditedJob, systemContext } from '../../src/lib/server/auth/audit';
import { auditCsv, listAudit } from '../../src/lib/server/auth/audit-log';
import { importFile, ImportFileError } from '../../src/lib/server/ingest/import-file';
import { withJobLock } from '../../src/lib/server/jobs/job-lock';
import { countOutcomes } from '../../src/lib/server/jobs/scheduler';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './test-database';

const GAZETTEER = `province_code,province_en,province_km,district_code,district_en,district_km,commune_code,commune_en,commune_km,village_code,village_en,village_km
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,17010101,Char Chhuk,ចារឈូក
17,Siem Reap,សៀមរាប,1701,Angkor Chum,អង្គរជុំ,170101,Char Chhuk,ចារឈូក,1701010,Too short,ខ្លី
`;

describe.each(DATABASE_KINDS)('audit trail (%s)', (kind) => {
	let database: TestDatabase;
	let dir: string;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		dir = mkdtempSync(path.join(tmpdir(), 'ssdm-audit-'));
	});

	afterAll(async () => {
		await database?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	const write = (name: string, content: string) => {
		const file = path.join(dir, name);
		writeFileSync(file, content);
		return file;
	};

	it("records an imported file with who, from where, its batch and counts, and no row's data", async () => {
		const file = write('gazetteer.csv', GAZETTEER);
		const summary = await importFile(database.db, file, {
			importedBy: 'alice',
			audit: { actor: 'alice', address: '10.0.0.7' }
		});
		// Two rows: one good village (one row inserted), one whose code has 7 digits (rejected).
		expect([summary.inserted, summary.rejected]).toEqual([1, 1]);
		const { entries } = await listAudit(database.db, { action: 'import', page: 1 });
		expect(entries).toHaveLength(1);
		const [entry] = entries;
		expect(entry).toMatchObject({
			actor: 'alice',
			action: 'import',
			target: 'gazetteer.csv',
			address: '10.0.0.7'
		});
		expect(entry!.detail).toMatchObject({
			batch_id: summary.batchId,
			feed: 'gazetteer',
			read: 2,
			rejected: 1
		});
		// Names from the file never reach the log.
		expect(JSON.stringify(entry)).not.toContain('Char Chhuk');
	});

	it('records a refused file, but nothing for a dry run', async () => {
		const unnamed = write('people.csv', 'a,b\n1,2\n');
		await expect(importFile(database.db, unnamed)).rejects.toBeInstanceOf(ImportFileError);
		const dry = write('offices.csv', 'office_code\nO1\n');
		await expect(importFile(database.db, dry, { dryRun: true })).rejects.toBeInstanceOf(
			ImportFileError
		);
		const { entries } = await listAudit(database.db, { action: 'import_failed', page: 1 });
		expect(entries.map((e) => [e.target, e.actor, e.detail.via])).toEqual([
			['people.csv', null, 'cli']
		]);
		expect(String(entries[0]!.detail.error)).toMatch(/cannot tell which feed/);
	});

	it('records job runs and failures with their duration', async () => {
		const result = await auditedJob(
			database.db,
			systemContext('scheduler'),
			'nightly refresh',
			async () => ({ periods: [1, 2, 3] }),
			(r) => ({ periods: r.periods.length })
		);
		expect(result.periods).toHaveLength(3);
		await expect(
			auditedJob(database.db, systemContext('scheduler'), 'drop-folder import', async () => {
				throw new Error('inbox missing');
			})
		).rejects.toThrow('inbox missing');
		// A drop-folder scan that found no file (every minute) is not recorded; one that did is.
		const scan = (files: number) =>
			auditedJob(
				database.db,
				systemContext('scheduler'),
				'drop-folder import',
				async () =>
					Array.from({ length: files }, () => ({ status: 'waiting' as const, file: 'a.csv' })),
				countOutcomes
			);
		await scan(0);
		await scan(2);
		const runs = await listAudit(database.db, { action: 'job_run', page: 1 });
		expect(
			runs.entries.map((e) => [e.target, e.detail.periods ?? e.detail.waiting, e.detail.via])
		).toEqual([
			['drop-folder import', 2, 'scheduler'],
			['nightly refresh', 3, 'scheduler']
		]);
		expect(typeof runs.entries[1]!.detail.duration_ms).toBe('number');
		const failures = await listAudit(database.db, { action: 'job_failed', page: 1 });
		expect(failures.entries.map((e) => [e.target, e.detail.error])).toEqual([
			['drop-folder import', 'inbox missing']
		]);
	});

	it('filters by account and dates, newest first, and exports CSV', async () => {
		const today = new Date().toISOString().slice(0, 10);
		const all = await listAudit(database.db, { page: 1 });
		// import, import_failed, job_run, job_failed, job_run: newest first.
		expect(all.entries.map((e) => e.action)).toEqual([
			'job_run',
			'job_failed',
			'job_run',
			'import_failed',
			'import'
		]);
		expect((await listAudit(database.db, { actor: 'ALICE', page: 1 })).entries).toHaveLength(1);
		expect(
			(await listAudit(database.db, { from: today, to: today, page: 1 })).entries
		).toHaveLength(5);
		expect((await listAudit(database.db, { to: '2000-01-01', page: 1 })).entries).toHaveLength(0);
		const csv = auditCsv(all.entries).split('\n');
		expect(csv[0]).toBe('id,at,actor,action,target,address,detail');
		expect(csv[5]).toMatch(
			/^\d+,\d{4}-\d{2}-\d{2}T[^,]+,alice,import,gazetteer\.csv,10\.0\.0\.7,"\{/
		);
	});

	it('runs a job once when two instances ask at the same moment', async () => {
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		let runs = 0;
		const first = withJobLock(database, 'nightly refresh', async () => {
			runs++;
			await held;
			return 'first';
		});
		// Let the first take its lock before the second asks.
		await new Promise((resolve) => setTimeout(resolve, 200));
		const second =
			kind === 'postgres'
				? await withJobLock(database, 'nightly refresh', async () => {
						runs++;
						return 'second';
					})
				: null;
		release();
		expect(await first).toEqual({ ran: true, result: 'first' });
		if (kind === 'postgres') {
			// The second instance found the lock taken and skipped its run.
			expect(second).toEqual({ ran: false });
			expect(runs).toBe(1);
			// Once the first has finished, the job can run again.
			expect(await withJobLock(database, 'nightly refresh', async () => 'again')).toEqual({
				ran: true,
				result: 'again'
			});
		}
	});
});
