/**
 * The steps a refresh reports, as the refresh page shows them in Khmer (`progressIn`): every
 * step of a full refresh (one connection on PGlite, with the side lane on Postgres) and of an
 * incremental one, taken from real refreshes of the hand-built registry, has its Khmer words, so
 * no step falls back to the engine's English.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { communesRecomputed, progressIn } from '../../src/lib/i18n/refresh';
import { importPath } from '../../src/lib/server/ingest/import-directory';
import {
	afterRefreshes,
	refreshAfterImport,
	refreshAll,
	refreshQueue
} from '../../src/lib/server/indicators/refresh';
import { listRefreshRuns } from '../../src/lib/server/indicators/refresh-history';
import { FIXTURE_FILES, FIXTURE_TODAY, writeDir } from './indicator-fixture';
import { createTestDatabase, DATABASE_KINDS } from './test-database';

describe('a refresh’s communes in the history', () => {
	it('counts them, or says all, and after imports that touched too many how many they touched', () => {
		expect(communesRecomputed('en', { communes: 3, touched_communes: 3 })).toBe('3');
		expect(communesRecomputed('km', { communes: 3, touched_communes: 3 })).toBe('៣');
		expect(communesRecomputed('en', { communes: null, touched_communes: null })).toBe('all');
		expect(communesRecomputed('km', { communes: null, touched_communes: null })).toBe('ទាំងអស់');
		expect(communesRecomputed('en', { communes: null, touched_communes: 1652 })).toBe(
			'all (imports touched 1,652)'
		);
		expect(communesRecomputed('km', { communes: null, touched_communes: 1652 })).toBe(
			'ទាំងអស់ (ការនាំចូលបានប៉ះពាល់ ១.៦៥២)'
		);
	});
});

describe('a refresh’s steps in Khmer', () => {
	it('words the engine’s step names, counts and the periods’ number', () => {
		expect(progressIn('km', '18 periods (2025, 2026-Q1, 2026-11)')).toBe(
			'១៨ រយៈពេល (2025, 2026-Q1, 2026-11)'
		);
		expect(progressIn('km', '5/7 medians at every level')).toBe('៥/៧ មេដ្យានគ្រប់កម្រិត');
		expect(
			progressIn(
				'km',
				'3/7 eligibility, combined packages, applications, appeals, possible duplicates, from the second connection'
			)
		).toBe('៣/៧ សិទ្ធិ កញ្ចប់អត្ថប្រយោជន៍រួម ពាក្យស្នើសុំ បណ្តឹងតវ៉ា ករណីអាចស្ទួនគ្នា ពីការតភ្ជាប់ទីពីរ');
		expect(
			progressIn(
				'km',
				'2/5 eligibility, enrolment, benefits and combined packages at every level (offices and the other indicators summed to every level on a second connection meanwhile)'
			)
		).toBe(
			'២/៥ សិទ្ធិ ការចុះឈ្មោះចូលកម្មវិធី អត្ថប្រយោជន៍ និងកញ្ចប់អត្ថប្រយោជន៍រួមគ្រប់កម្រិត (ការិយាល័យ និងសូចនាករផ្សេងទៀតបូកគ្រប់កម្រិត នៅលើការតភ្ជាប់ទីពីរក្នុងពេលជាមួយគ្នា)'
		);
		// An incremental refresh's side lane, with medians to recompute.
		expect(
			progressIn(
				'km',
				'3/9 enrolment and benefits, combined packages (eligibility, medians at every level on a second connection meanwhile)'
			)
		).toBe(
			'៣/៩ ការចុះឈ្មោះចូលកម្មវិធី និងអត្ថប្រយោជន៍ កញ្ចប់អត្ថប្រយោជន៍រួម (សិទ្ធិ មេដ្យានគ្រប់កម្រិត នៅលើការតភ្ជាប់ទីពីរក្នុងពេលជាមួយគ្នា)'
		);
		expect(
			progressIn('km', '7/9 eligibility, medians at every level, from the second connection')
		).toBe('៧/៩ សិទ្ធិ មេដ្យានគ្រប់កម្រិត ពីការតភ្ជាប់ទីពីរ');
		expect(progressIn('en', '5/7 medians at every level')).toBe('5/7 medians at every level');
		// A step the page does not know: the engine's words are shown instead.
		expect(progressIn('km', '2/9 something new')).toBeNull();
		expect(
			progressIn(
				'km',
				'2/7 enrolment and benefits (something new on a second connection meanwhile)'
			)
		).toBeNull();
	});

	it.each(DATABASE_KINDS)(
		'knows every step a refresh reports on %s',
		async (kind) => {
			const database = await createTestDatabase(kind);
			const base = writeDir(FIXTURE_FILES);
			const added = writeDir({
				'households.csv':
					'household_id,village_code,registered_on,idpoor_level\nH9,17010101,2025-03-03,1\n'
			});
			try {
				const steps: string[] = [];
				const onProgress = (step: string) => steps.push(step);
				await importPath(database.db, base);
				await refreshAll(database.db, { today: FIXTURE_TODAY, onProgress });
				const outcomes = await importPath(database.db, added);
				await refreshAfterImport(
					database.db,
					outcomes.map((o) => (o.ok ? o.summary.touch : undefined)),
					{ onProgress }
				);
				// The full refresh: its periods, 4 steps with the side lane on Postgres (9 on one
				// connection on PGlite) and the vacuum; the incremental: its periods and 9 steps.
				expect(steps).toHaveLength(kind === 'postgres' ? 1 + 4 + 1 + 1 + 9 : 1 + 9 + 1 + 1 + 9);
				const untranslated = steps.filter((step) => {
					const khmer = progressIn('km', step);
					// English words are lower case; the periods' labels and VACUUM are not.
					return khmer === null || /[a-z]/.test(khmer);
				});
				expect(untranslated).toEqual([]);
			} finally {
				for (const dir of [base, added]) rmSync(dir, { recursive: true, force: true });
				await database.drop();
			}
		},
		120_000
	);
});

describe('the refresh queue', () => {
	it('shows a full refresh waiting behind a release being published, then running it', async () => {
		const database = await createTestDatabase('pglite');
		const base = writeDir(FIXTURE_FILES);
		try {
			await importPath(database.db, base);
			expect(refreshQueue()).toEqual({ current: undefined, waiting: [] });
			let publish!: () => void;
			const published = afterRefreshes(
				() => new Promise<void>((resolve) => (publish = () => resolve()))
			);
			const refreshed = refreshAll(database.db, { today: FIXTURE_TODAY });
			// The release runs (its work started); the refresh waits, with no history row yet.
			await expect.poll(() => refreshQueue().current?.kind).toBe('release');
			expect(refreshQueue().waiting.map((w) => w.kind)).toEqual(['full']);
			expect(await listRefreshRuns(database.db)).toEqual([]);
			publish();
			await published;
			const result = await refreshed;
			expect(result.kind).toBe('full');
			expect(refreshQueue()).toEqual({ current: undefined, waiting: [] });
			expect((await listRefreshRuns(database.db)).map((r) => r.kind)).toEqual(['full']);
		} finally {
			rmSync(base, { recursive: true, force: true });
			await database.drop();
		}
	}, 120_000);
});
