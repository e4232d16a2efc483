import { Writable } from 'node:stream';
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { createLog, logLevel } from './log';
import { handleServerError } from './request-errors';

/** A log at `level` whose lines are kept, parsed. */
function capturedLog(level: Parameters<typeof createLog>[1]) {
	const lines: Record<string, unknown>[] = [];
	const destination = new Writable({
		write(chunk: Buffer, _encoding, done) {
			for (const line of chunk.toString().split('\n').filter(Boolean))
				lines.push(JSON.parse(line) as Record<string, unknown>);
			done();
		}
	});
	return { log: createLog(destination, level), lines };
}

/** The parts of a request the handler reads. */
function requestTo(url: string, method = 'GET', route: string | null = '/downloads') {
	return {
		request: new Request(url, { method }),
		url: new URL(url),
		route: { id: route }
	} as unknown as RequestEvent;
}

describe('handleServerError', () => {
	it('logs a server failure with a reference the page shows, and hides its text', async () => {
		const { log, lines } = capturedLog('info');
		const error = new Error('relation "households" does not exist');
		const returned = await handleServerError(log)({
			error,
			event: requestTo('http://portal.test/downloads?lang=km&token=secret', 'POST'),
			status: 500,
			message: 'Internal Error'
		});
		const id = (returned as App.Error).id!;
		expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(returned).toEqual({ message: `Internal Error (reference ${id})`, id });
		expect(lines).toHaveLength(1);
		const [line] = lines;
		expect(line).toMatchObject({
			level: 50,
			service: 'ssdm-portal',
			msg: 'request failed',
			id,
			status: 500,
			method: 'POST',
			path: '/downloads',
			route: '/downloads',
			err: { type: 'Error', message: 'relation "households" does not exist' }
		});
		// The query string (which may carry anything a user typed) is not logged.
		expect(JSON.stringify(line)).not.toContain('secret');
	});

	it('gives each failure its own reference', async () => {
		const { log } = capturedLog('info');
		const handle = handleServerError(log);
		const input = {
			error: new Error('x'),
			event: requestTo('http://portal.test/'),
			status: 503,
			message: 'Service Unavailable'
		};
		const first = (await handle(input)) as App.Error;
		const second = (await handle(input)) as App.Error;
		expect(first.id).not.toBe(second.id);
	});

	it('answers a missing page with its message, logged only when debugging', async () => {
		const quiet = capturedLog('info');
		const input = {
			error: new Error('Not found: /no-such-page'),
			event: requestTo('http://portal.test/no-such-page', 'GET', null),
			status: 404,
			message: 'Not Found'
		};
		expect(await handleServerError(quiet.log)(input)).toEqual({ message: 'Not Found' });
		expect(quiet.lines).toEqual([]);
		const debugging = capturedLog('debug');
		await handleServerError(debugging.log)(input);
		expect(debugging.lines).toEqual([
			expect.objectContaining({
				level: 20,
				msg: 'Not Found',
				status: 404,
				method: 'GET',
				path: '/no-such-page'
			})
		]);
	});
});

describe('logLevel', () => {
	it('is info unless LOG_LEVEL says otherwise, in any case', () => {
		expect(logLevel(undefined)).toBe('info');
		expect(logLevel('  ')).toBe('info');
		expect(logLevel('DEBUG')).toBe('debug');
		expect(logLevel('silent')).toBe('silent');
	});

	it('names a mistyped level and the levels there are', () => {
		expect(() => logLevel('verbose')).toThrow(
			'LOG_LEVEL is "verbose": use one of trace, debug, info, warn, error, fatal, silent.'
		);
	});
});
