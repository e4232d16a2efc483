import { describe, expect, it } from 'vitest';
import { copyText } from './copy-text';

describe('a field in COPY’s text format', () => {
	it('escapes backslashes, tabs and line breaks, and nothing else', () => {
		expect(copyText('CT-PW')).toBe('CT-PW');
		expect(copyText('ភូមិ "A", B')).toBe('ភូមិ "A", B');
		expect(copyText('a\tb\\c\nd\re')).toBe('a\\tb\\\\c\\nd\\re');
		expect(copyText('\\N')).toBe('\\\\N');
	});
});
