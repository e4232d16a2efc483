/**
 * Prints one plain closing line, `<label>: N passed, N failed, N skipped`, after Vitest's own
 * report, so CI logs state the count of tests run in a form any reader can parse.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
	constructor(private readonly label = 'tests') {}

	onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
		const counts = { passed: 0, failed: 0, skipped: 0 };
		for (const testModule of testModules) {
			for (const test of testModule.children.allTests()) {
				const state = test.result().state;
				if (state === 'passed') counts.passed += 1;
				else if (state === 'failed') counts.failed += 1;
				else counts.skipped += 1;
			}
		}
		console.log(
			`\n${this.label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
		);
	}
}
