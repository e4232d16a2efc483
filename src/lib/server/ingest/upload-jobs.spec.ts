import { describe, expect, it } from 'vitest';
import { uploadLimitBytes } from './upload-jobs';

describe('uploadLimitBytes', () => {
	it('reads BODY_SIZE_LIMIT as adapter-node does: bytes, or K, M, G of 1,024', () => {
		expect(uploadLimitBytes('512K')).toBe(524_288);
		expect(uploadLimitBytes('200M')).toBe(209_715_200);
		expect(uploadLimitBytes('2g')).toBe(2_147_483_648);
		expect(uploadLimitBytes('1000')).toBe(1000);
		expect(uploadLimitBytes('Infinity')).toBe(Infinity);
	});
});
