/**
 * End-to-end tests (`npm run test:e2e`): a real browser against the production build, served
 * with demo data that tests/e2e/global-setup.ts loads through the project's CLIs.
 */
import { defineConfig } from 'vitest/config';
import SummaryReporter from './tests/summary-reporter.ts';

export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.e2e.ts'],
		environment: 'node',
		globalSetup: ['tests/e2e/global-setup.ts'],
		reporters: ['default', new SummaryReporter('e2e')],
		// One server and one database serve every file: run the files one after another.
		fileParallelism: false,
		maxWorkers: 1,
		// A software-rendered (SwiftShader) map needs seconds per view on a small CI machine.
		testTimeout: 120_000,
		hookTimeout: 120_000
	}
});
