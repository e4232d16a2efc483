import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cli(...args: string[]) {
	const result = spawnSync(process.execPath, ['--import', 'tsx', 'data/generate.ts', ...args], {
		encoding: 'utf8'
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function temp(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'ssdm-cli-'));
	scratch.push(dir);
	return dir;
}

describe('demo:data CLI', () => {
	it('fails with one line naming the missing geo file, exit code 1', () => {
		const out = temp();
		const { code, stderr } = cli('--households', '100', '--geo', '/nonexistent/geo', '--out', out);
		expect(code).toBe(1);
		expect(stderr.trim().split('\n')).toHaveLength(1);
		expect(stderr).toContain('/nonexistent/geo/gazetteer.csv');
	});

	it('rejects bad options with exit code 2', () => {
		const { code, stderr } = cli('--as-of', '2023-02-30');
		expect(code).toBe(2);
		expect(stderr).toContain('as-of date "2023-02-30" is not a real YYYY-MM-DD date');
	});

	it('writes the files, a manifest and one progress line per feed', () => {
		const out = temp();
		const { code, stdout } = cli(
			'--households',
			'100',
			'--seed',
			'x',
			'--as-of',
			'2020-03-31',
			'--out',
			out
		);
		expect(code).toBe(0);
		for (const feed of [
			'gazetteer',
			'population',
			'offices',
			'programmes',
			'households',
			'members'
		]) {
			expect(stdout).toMatch(new RegExp(`${feed}\\.csv +[\\d,]+ rows`));
		}
		expect(stdout).toMatch(/done in \d+\.\d s/);
		const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
		expect(manifest).toMatchObject({ seed: 'x', households: 100, asOf: '2020-03-31' });
		expect(manifest.counts.households.good).toBe(100);
	});
});
