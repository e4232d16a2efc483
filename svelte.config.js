import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter(),
		// Strict CSP: SvelteKit hashes its own inline scripts ('auto'); MapLibre's and DuckDB's
		// workers are bundled files of this origin ('self' in worker-src; MapLibre also makes
		// blob: workers); styles allow inline because Svelte renders style attributes.
		// 'wasm-unsafe-eval' lets pages compile WebAssembly (DuckDB-WASM on /explore) and nothing
		// else: unlike 'unsafe-eval' it allows no eval() or new Function() of JavaScript.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
