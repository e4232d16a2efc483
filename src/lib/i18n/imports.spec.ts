import { describe, expect, it } from 'vitest';
import { indicatorsTouched } from './imports';

const counts = (inserted: number, updated: number) => ({ inserted, updated });

describe('what an imported file leaves the indicators to recompute', () => {
	it('says nothing for a file that wrote nothing', () => {
		expect(indicatorsTouched('en', { counts: counts(0, 0) })).toBeNull();
		expect(indicatorsTouched('en', {})).toBeNull();
	});

	it('says nothing is recomputed when only columns no indicator reads changed', () => {
		expect(indicatorsTouched('en', { counts: counts(0, 3) })).toBe(
			'Indicators: nothing to recompute (no column an indicator reads changed).'
		);
	});

	it('names every commune for reference data, or the communes and from when', () => {
		expect(indicatorsTouched('en', { counts: counts(1, 0), touch: 'all' })).toBe(
			'Indicators: every commune and period to recompute (reference data changed).'
		);
		expect(
			indicatorsTouched('en', {
				counts: counts(2, 0),
				touch: { communes: ['170101'], since: '2024-01-10' }
			})
		).toBe('Indicators: 1 commune to recompute, the periods ending on or after 2024-01-10.');
		expect(
			indicatorsTouched('en', {
				counts: counts(0, 2),
				touch: { communes: Array.from({ length: 1234 }, (_, i) => String(i)), since: '0001-01-01' }
			})
		).toBe('Indicators: 1,234 communes to recompute, every period.');
	});

	it('says it in Khmer with Khmer digits, dates as written', () => {
		expect(
			indicatorsTouched('km', {
				counts: counts(2, 0),
				touch: { communes: ['170101', '170102'], since: '2024-01-10' }
			})
		).toBe('សូចនាករ៖ ត្រូវគណនាឡើងវិញ ២ ឃុំ សម្រាប់រយៈពេលដែលបញ្ចប់នៅ ឬក្រោយ 2024-01-10។');
		expect(indicatorsTouched('km', { counts: counts(0, 1) })).toBe(
			'សូចនាករ៖ គ្មានអ្វីត្រូវគណនាឡើងវិញទេ (គ្មានជួរឈរដែលសូចនាករប្រើបានផ្លាស់ប្តូរ)។'
		);
	});
});
