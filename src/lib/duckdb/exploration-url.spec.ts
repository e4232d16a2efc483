import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPLORATION, explorationFromParams, explorationParams } from './exploration-url';
import type { Exploration } from './query-builder';

describe('exploration URL', () => {
	it('opens the default view without parameters', () => {
		expect(explorationFromParams(new URLSearchParams())).toEqual(DEFAULT_EXPLORATION);
	});

	it('reads and writes the same exploration', () => {
		const exploration: Exploration = {
			level: 'commune',
			indicator: 'enrolment_coverage',
			periodKind: 'quarter',
			period: null,
			programme: 'OAA',
			groupBy: 'sex',
			groupValue: null,
			province: '17',
			district: '1701',
			rows: ['district', 'group'],
			pivot: 'period',
			measure: 'numerator',
			order: 'label',
			limit: 25
		};
		const params = explorationParams(exploration);
		expect(params.toString()).toBe(
			'level=commune&indicator=enrolment_coverage&kind=quarter&period=*&programme=OAA&by=sex&' +
				'group=*&province=17&district=1701&rows=district%2Cgroup&pivot=period&measure=numerator&' +
				'order=label&limit=25'
		);
		expect(explorationFromParams(params)).toEqual(exploration);
	});

	it('groups a larger dataset by province by default', () => {
		expect(explorationFromParams(new URLSearchParams('level=commune')).rows).toEqual(['province']);
		expect(explorationFromParams(new URLSearchParams('level=commune&rows=')).rows).toEqual([]);
	});

	it('falls back to defaults for unknown or malformed values', () => {
		const exploration = explorationFromParams(
			new URLSearchParams(
				"level=village&indicator=x'%20OR%201&rows=unit,nonsense&pivot=evil&measure=avg&limit=-3"
			)
		);
		expect(exploration).toEqual({ ...DEFAULT_EXPLORATION, rows: ['unit'] });
	});
});
