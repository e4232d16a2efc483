import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './tests/summary-reporter.ts';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: [
			'src/**/*.spec.ts',
			'tests/integration/**/*.spec.ts',
			'data/**/*.spec.ts',
			'geo/**/*.spec.ts',
			'jobs/**/*.spec.ts'
		],
		environment: 'node',
		reporters: ['default', new SummaryReporter('unit')],
		// Integration tests create databases and import files; PGlite start-up alone takes ~1 s.
		testTimeout: 120_000,
		hookTimeout: 120_000
	}
});
