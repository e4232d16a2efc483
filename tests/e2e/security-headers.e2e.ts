/** Every page carries a strict Content-Security-Policy and the usual security headers. */
import { describe, expect, inject, it } from 'vitest';

describe('security headers', () => {
	// Every page of the site (those behind a login answer with a redirect, headers included).
	it.each([
		'/',
		'/?level=district&code=17',
		'/finder',
		'/rollout',
		'/explore',
		'/downloads',
		'/indicators',
		'/language',
		'/login',
		'/data-quality',
		'/refresh',
		'/admin/users',
		'/admin/imports',
		'/admin/audit',
		'/api/health'
	])('%s has them', async (path) => {
		const response = await fetch(new URL(path, inject('baseUrl')), { redirect: 'manual' });
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
			const csp = response.headers.get('content-security-policy') ?? '';
			expect(csp).toContain("default-src 'self'");
			expect(csp).toContain("object-src 'none'");
			expect(csp).toContain("frame-ancestors 'none'");
			// Only this site's scripts, plus SvelteKit's own inline start-up script by nonce or hash,
			// and WebAssembly compilation (DuckDB-WASM), which allows no JavaScript eval.
			expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'( '(sha256|nonce)-[^']+')*;/);
			expect(csp).not.toContain("'unsafe-eval'");
		}
	});

	it('reports the database as reachable on /api/health', async () => {
		const response = await fetch(new URL('/api/health', inject('baseUrl')));
		expect(response.status).toBe(200);
		const body = (await response.json()) as { status: string; database: { ok: boolean } };
		expect([body.status, body.database.ok]).toEqual(['ok', true]);
	});
});
