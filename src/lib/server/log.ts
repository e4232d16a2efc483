/**
 * The server's log (pino): one JSON object a line, with its time, level and message, for the
 * ministry's log collector (journald, Docker or a file). Written to standard error, so that
 * the command lines' standard output keeps only what they print for their user.
 *
 * `LOG_LEVEL` sets the least severe level written (`info` by default; `debug`, `warn`,
 * `error`, `silent`…). Nothing personal is logged: errors carry the request's method and path,
 * never its query string, body or cookies.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
type Level = (typeof LEVELS)[number];

/** `LOG_LEVEL`, checked: a mistyped level stops the server with a message naming it. */
export function logLevel(value = process.env.LOG_LEVEL): Level {
	const level = (value?.trim() || 'info').toLowerCase();
	if (!(LEVELS as readonly string[]).includes(level))
		throw new Error(`LOG_LEVEL is "${value}": use one of ${LEVELS.join(', ')}.`);
	return level as Level;
}

/** A logger writing to `destination` (standard error by default). */
export function createLog(
	destination: DestinationStream = pino.destination(2),
	level = logLevel()
): Logger {
	return pino({ level, base: { service: 'ssdm-portal' } }, destination);
}

/** The process's log. */
export const log = createLog();
