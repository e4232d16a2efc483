/**
 * Signing in and the account menu of the header, shown on every page. Khmer drafted by the
 * team; to be reviewed by a native speaker.
 */
import { formatCount } from './common';
import { dictionary, translator, type Language } from './index';

export const ACCOUNT = dictionary(
	{
		account: 'Account',
		log_in: 'Log in',
		log_out: 'Log out',
		log_out_of_portal: 'Log out of the portal',
		data_quality: 'Data quality',
		refresh: 'Refresh',
		imports: 'Imports',
		users: 'Users',
		audit: 'Audit log',
		role_partner: 'partner',
		role_province: 'province',
		role_national: 'national',
		role_admin: 'admin',
		login_title: 'Log in',
		login_hint: 'For provincial, national and partner staff. Public indicators need no login.',
		username: 'Username',
		password: 'Password',
		wrong: 'Wrong username or password.',
		throttled_one: 'Too many failed attempts. Try again in 1 minute.',
		throttled: 'Too many failed attempts. Try again in {minutes} minutes.'
	},
	{
		account: 'គណនី',
		log_in: 'ចូលប្រើ',
		log_out: 'ចាកចេញ',
		log_out_of_portal: 'ចាកចេញពីវិបផតថល',
		data_quality: 'គុណភាពទិន្នន័យ',
		refresh: 'គណនាឡើងវិញ',
		imports: 'នាំចូលទិន្នន័យ',
		users: 'អ្នកប្រើប្រាស់',
		audit: 'កំណត់ហេតុសវនកម្ម',
		role_partner: 'ដៃគូ',
		role_province: 'ថ្នាក់ខេត្ត',
		role_national: 'ថ្នាក់ជាតិ',
		role_admin: 'អ្នកគ្រប់គ្រង',
		login_title: 'ចូលប្រើ',
		login_hint: 'សម្រាប់បុគ្គលិកថ្នាក់ខេត្ត ថ្នាក់ជាតិ និងដៃគូ។ សូចនាករសាធារណៈមិនតម្រូវឱ្យចូលប្រើទេ។',
		username: 'ឈ្មោះអ្នកប្រើ',
		password: 'ពាក្យសម្ងាត់',
		wrong: 'ឈ្មោះអ្នកប្រើ ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។',
		throttled_one: 'ព្យាយាមខុសច្រើនដងពេក។ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេល ១ នាទី។',
		throttled: 'ព្យាយាមខុសច្រើនដងពេក។ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេល {minutes} នាទី។'
	}
);

/** A role's name in `language` (as stored, for a role not known here). */
export function roleName(language: Language, role: string): string {
	const key = `role_${role}`;
	return key in ACCOUNT.en ? translator(ACCOUNT, language)(key as keyof typeof ACCOUNT.en) : role;
}

/** Why a login failed, as the login action reports it. */
export interface LoginFailure {
	reason: 'wrong' | 'throttled';
	/** For `throttled`: the minutes until the next try is accepted. */
	minutes: number;
}

/** The login form's error in `language`. */
export function loginFailureMessage(language: Language, failure: LoginFailure): string {
	const t = translator(ACCOUNT, language);
	if (failure.reason === 'wrong') return t('wrong');
	if (failure.minutes === 1) return t('throttled_one');
	return t('throttled', { minutes: formatCount(language, failure.minutes) });
}
