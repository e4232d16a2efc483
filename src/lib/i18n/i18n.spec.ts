import { describe, expect, it } from 'vitest';
import { dateTimeIn, fill, recordedTime, toKhmerNumerals, translator } from './index';
import { formatCount, formatValue, levelName, midSentence, periodLabel } from './common';
import { DASHBOARD } from './dashboard';
import { COMMON } from './common';
import { SITE } from './site';
import { ACCOUNT, loginFailureMessage, roleName } from './account';
import { REFRESH } from './refresh';
import { DOWNLOADS } from './downloads';
import { EXPLORE } from './explore';
import { FINDER } from './finder';
import { ROLLOUT } from './rollout';
import { DATA_QUALITY } from './data-quality';
import { IMPORTS } from './imports';
import { AUDIT } from './audit';
import { USERS } from './users';

describe('Khmer numbers', () => {
	it('uses Khmer digits, a dot between thousands and a comma before decimals', () => {
		expect(toKhmerNumerals('1,234.5')).toBe('១.២៣៤,៥');
		expect(formatCount('km', 12345)).toBe('១២.៣៤៥');
		expect(formatValue('km', 0.4567, '%')).toBe('៤៥,៧%');
		expect(formatValue('en', 0.4567, '%')).toBe('45.7%');
		expect(formatValue('km', 12.25, 'days')).toBe('១២,៣ ថ្ងៃ');
	});

	it('writes a value without one as a dash in both languages', () => {
		expect(formatValue('km', null, '%')).toBe('—');
		expect(formatValue('en', Number.NaN, 'count')).toBe('—');
	});
});

describe('periodLabel', () => {
	it('names months, quarters and years in each language', () => {
		expect(periodLabel('en', '2025-03')).toBe('March 2025');
		expect(periodLabel('km', '2025-03')).toBe('មីនា ២០២៥');
		expect(periodLabel('en', '2025-Q2')).toBe('Q2 2025');
		expect(periodLabel('km', '2025-Q2')).toBe('ត្រីមាសទី២ ឆ្នាំ២០២៥');
		expect(periodLabel('km', '2025')).toBe('២០២៥');
	});
});

describe('midSentence', () => {
	it("writes a level's English heading as it reads inside a sentence, Khmer as it is", () => {
		expect(midSentence(levelName('en', 'province', true))).toBe('provinces');
		expect(
			fill(DASHBOARD.en.vs_siblings, { rank: '3', count: '25', level: midSentence('Communes') })
		).toBe('Rank 3 of 25 communes');
		expect(midSentence(levelName('km', 'province', true))).toBe(levelName('km', 'province', true));
	});
});

describe('dictionaries', () => {
	it('translate every key and keep the same placeholders in Khmer', () => {
		for (const dictionary of [
			DASHBOARD,
			COMMON,
			SITE,
			ACCOUNT,
			REFRESH,
			DOWNLOADS,
			EXPLORE,
			FINDER,
			ROLLOUT,
			DATA_QUALITY,
			IMPORTS,
			AUDIT,
			USERS
		]) {
			for (const [key, english] of Object.entries(dictionary.en)) {
				const khmer = (dictionary.km as Record<string, string>)[key];
				expect(khmer, key).toBeTruthy();
				const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
				expect(placeholders(khmer!), key).toEqual(placeholders(english));
			}
		}
	});

	it('fills placeholders and leaves unknown ones visible', () => {
		expect(fill('{a} of {b}', { a: 1 })).toBe('1 of {b}');
		expect(translator(SITE, 'km')('map')).toBe('ផែនទី');
	});
});

describe('dateTimeIn', () => {
	it('writes a moment with Khmer month names and digits, or as English does', () => {
		// A time-zone-free check: the same moment's parts in the reader's zone.
		const moment = new Date(2026, 11, 6, 9, 5);
		expect(dateTimeIn('km', moment)).toBe('៦ ធ្នូ ២០២៦, ០៩:០៥');
		expect(dateTimeIn('en', moment)).toBe('6 Dec 2026, 09:05');
	});
});

describe('recordedTime', () => {
	it('writes the database’s time to the second, in Khmer digits for Khmer', () => {
		expect(recordedTime('km', '2026-12-06 09:30:12.345+00')).toBe('២០២៦-១២-០៦ ០៩:៣០:១២');
		expect(recordedTime('en', '2026-12-06T09:30:12.345Z')).toBe('2026-12-06 09:30:12');
	});
});

describe('the login form’s errors and role names', () => {
	it('words why a login failed, minutes in the language’s digits', () => {
		expect(loginFailureMessage('km', { reason: 'wrong', minutes: 0 })).toBe(
			'ឈ្មោះអ្នកប្រើ ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។'
		);
		expect(loginFailureMessage('en', { reason: 'throttled', minutes: 1 })).toBe(
			'Too many failed attempts. Try again in 1 minute.'
		);
		expect(loginFailureMessage('en', { reason: 'throttled', minutes: 15 })).toBe(
			'Too many failed attempts. Try again in 15 minutes.'
		);
		expect(loginFailureMessage('km', { reason: 'throttled', minutes: 15 })).toBe(
			'ព្យាយាមខុសច្រើនដងពេក។ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេល ១៥ នាទី។'
		);
	});

	it('names the roles, and leaves one it does not know as stored', () => {
		expect(roleName('km', 'province')).toBe('ថ្នាក់ខេត្ត');
		expect(roleName('en', 'admin')).toBe('admin');
		expect(roleName('km', 'auditor')).toBe('auditor');
	});
});
