/**
 * The indicator catalogue (`shared/domain.md` §5). Shared by the server (computation, API)
 * and the browser (legends, definitions). Only indicators the engine computes are listed.
 */

/** Geographic levels, from the nation down to the village. */
export const LEVELS = ['national', 'province', 'district', 'commune', 'village'] as const;
export type Level = (typeof LEVELS)[number];

/** One indicator of the catalogue. */
export interface IndicatorDefinition {
	id: string;
	name: { en: string; km: string };
	definition: { en: string };
	numerator: string;
	denominator: string;
	unit: '%' | 'per 1,000' | 'days' | 'count';
	/** Whether a higher value is better (colour scales and rankings follow this). */
	direction: 'higher_is_better' | 'higher_is_worse';
	disaggregations: readonly ('sex' | 'life_cycle' | 'disability' | 'idpoor')[];
}

export const CATALOGUE: readonly IndicatorDefinition[] = [
	{
		id: 'registration_coverage',
		name: { en: 'Registration coverage', km: 'អត្រាចុះឈ្មោះ' },
		definition: {
			en: 'Households in the single registry as a share of the households in the population (latest population year not after the period), at the end of the period.'
		},
		numerator: 'households registered on or before the last day of the period',
		denominator: 'households in the population (latest year not after the period)',
		unit: '%',
		direction: 'higher_is_better',
		disaggregations: []
	}
];

/** Looks an indicator up by id. */
export function indicatorById(id: string): IndicatorDefinition | undefined {
	return CATALOGUE.find((indicator) => indicator.id === id);
}
