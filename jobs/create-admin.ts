/**
 * `npm run user:create-admin -- --username NAME [--reset]`: creates an admin account, the way
 * into a fresh portal. With `--reset`, an existing account instead gets the new password, role
 * admin, and is enabled again (and signed out everywhere): the way back in for a locked-out
 * admin. The password comes from SSDM_ADMIN_PASSWORD or is asked for on the terminal.
 */
import { parseArgs } from 'node:util';
import * as users from '../src/lib/server/auth/users';
import type { AuditContext } from '../src/lib/server/auth/audit';
import { openDatabase } from '../src/lib/server/db';

const USAGE = 'usage: npm run user:create-admin -- --username NAME [--reset]';

const { values } = parseArgs({
	options: {
		username: { type: 'string' },
		reset: { type: 'boolean', default: false }
	}
});

if (!values.username) {
	console.error(USAGE);
	process.exit(2);
}

/**
 * Reads one line from the terminal without echoing it; from a pipe, reads a line as is.
 * Raw mode is the only way to stop the echo with Node's own modules.
 */
function readSecret(prompt: string): Promise<string> {
	const stdin = process.stdin;
	process.stderr.write(prompt);
	return new Promise((resolve, reject) => {
		let typed = '';
		const finish = (result: string | null) => {
			stdin.off('data', onData);
			if (stdin.isTTY) stdin.setRawMode(false);
			stdin.pause();
			process.stderr.write('\n');
			if (result === null) reject(new users.AccountInputError('Cancelled.'));
			else resolve(result);
		};
		const onData = (chunk: Buffer) => {
			for (const char of chunk.toString('utf8')) {
				if (char === '\n' || char === '\r' || char === '\u0004') return finish(typed);
				if (char === '\u0003') return finish(null); // Ctrl-C
				if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
				else typed += char;
			}
		};
		if (stdin.isTTY) stdin.setRawMode(true);
		stdin.resume();
		stdin.on('data', onData);
	});
}

async function readPassword(username: string): Promise<string> {
	const fromEnv = process.env.SSDM_ADMIN_PASSWORD;
	if (fromEnv) return fromEnv;
	const password = await readSecret(`Password for ${username}: `);
	if (process.stdin.isTTY) {
		const again = await readSecret('Again: ');
		if (again !== password) throw new users.AccountInputError('The two passwords differ.');
	}
	return password;
}

const context: AuditContext = { actor: null, address: null, via: 'cli' };
const database = await openDatabase();
try {
	const username = users.parseAccountInput(users.usernameSchema, values.username);
	const existing = await users.findUserForLogin(database.db, username);
	if (existing && !values.reset) {
		throw new users.AccountInputError(
			`User ${username} already exists; pass --reset to reset its password and make it an admin.`
		);
	}
	const password = await readPassword(username);
	if (!existing) {
		const user = await users.createUser(
			database.db,
			{ username, password, role: 'admin', provinces: [] },
			context
		);
		console.log(`Created admin account ${user.username} (id ${user.id}).`);
	} else {
		// Validate the password before changing anything else.
		users.parseAccountInput(users.passwordSchema, password);
		const ended = await users.resetPassword(database.db, existing.id, password, context);
		if (existing.role !== 'admin')
			await users.updateAccess(database.db, existing.id, { role: 'admin' }, context);
		if (existing.disabled) await users.setDisabled(database.db, existing.id, false, context);
		const changes = [
			'password reset',
			existing.role !== 'admin' ? `role ${existing.role} → admin` : 'role admin (unchanged)',
			existing.disabled ? 'account enabled' : null,
			`${ended} session${ended === 1 ? '' : 's'} signed out`
		].filter(Boolean);
		console.log(`Updated ${existing.username} (id ${existing.id}): ${changes.join(', ')}.`);
	}
} catch (e) {
	if (!(e instanceof users.AccountInputError)) throw e;
	console.error(e.message);
	process.exitCode = 1;
} finally {
	await database.close();
}
