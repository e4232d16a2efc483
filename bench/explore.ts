/**
 * `npm run bench:explore [-- --base-url URL --level commune --runs 3]`: the explore page's time
 * to first result (`explore-page.ts`) against a running server that has published a release,
 * e.g.
 *
 *   npm run build && RELEASES_DIR=data/releases PORT=3000 node build/index.js
 *
 * `npm run bench` measures the same on its own demo server.
 */
import { parseArgs } from 'node:util';
import { RELEASE_LEVELS, type ReleaseLevel } from '../src/lib/releases/schema';
import { EXPLORE_TARGET_MS, measureExplore, printExploreFigures } from './explore-page';

const { values } = parseArgs({
	options: {
		'base-url': { type: 'string', default: process.env.BENCH_BASE_URL ?? 'http://127.0.0.1:3000' },
		level: { type: 'string', default: 'commune' },
		runs: { type: 'string', default: '3' }
	}
});
const level = values.level as ReleaseLevel;
if (!RELEASE_LEVELS.includes(level)) throw new Error(`--level takes ${RELEASE_LEVELS.join(', ')}`);

const figures = await measureExplore(values['base-url'], level, Number(values.runs));
printExploreFigures(figures);
if (figures.firstResultMs >= EXPLORE_TARGET_MS) process.exitCode = 1;
