import { describe, expect, it } from 'vitest';
import { etagMatches } from './http';

describe('etagMatches', () => {
	it('finds the tag in a list, compared weakly, or *', () => {
		expect(etagMatches('"a", "b"', '"b"')).toBe(true);
		expect(etagMatches('W/"b"', '"b"')).toBe(true);
		expect(etagMatches('"b"', 'W/"b"')).toBe(true);
		expect(etagMatches('*', '"b"')).toBe(true);
	});

	it('does not match another tag, a tag without its quotes, or no header', () => {
		expect(etagMatches('"a"', '"b"')).toBe(false);
		expect(etagMatches('b', '"b"')).toBe(false);
		expect(etagMatches(null, '"b"')).toBe(false);
		expect(etagMatches('', '"b"')).toBe(false);
	});
});
