import { describe, expect, it } from 'vitest';
import { CATALOGUE, indicatorById } from './catalogue';

describe('indicator catalogue', () => {
	it('holds exactly the indicators of domain.md §5, in its order', () => {
		expect(CATALOGUE.map((i) => i.id)).toEqual([
			'registration_coverage',
			'offices_open',
			'commune_office_coverage',
			'eligible',
			'enrolment_coverage',
			'take_up',
			'effective_coverage',
			'inclusion_outside_target',
			'combined_package',
			'applications_received',
			'approval_rate',
			'processing_days_median',
			'applications_backlog',
			'appeals_rate',
			'appeals_resolved_rate',
			'appeal_days_median',
			'appeals_overdue',
			'possible_duplicates'
		]);
	});

	it('gives every rate a denominator and no count or median one', () => {
		for (const indicator of CATALOGUE) {
			const isRate = indicator.unit === '%' || indicator.unit === 'per 1,000';
			expect(indicator.denominator !== null, indicator.id).toBe(isRate);
			expect(indicator.name.km, indicator.id).toMatch(/[\u1780-\u17FF]/);
		}
	});

	it('keeps possible duplicates internal and lower-is-better', () => {
		expect(indicatorById('possible_duplicates')).toMatchObject({
			internal: true,
			direction: 'higher_is_worse'
		});
		expect(CATALOGUE.filter((i) => i.internal).map((i) => i.id)).toEqual(['possible_duplicates']);
	});
});
