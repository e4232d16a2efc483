/**
 * The admin's accounts page (`/admin/users`). Role names come from `ACCOUNT`; usernames and
 * province codes are shown as typed. The server's messages (a change made, or why not)
 * stay in English, as the importer's do. Khmer drafted by the team; to be reviewed by a
 * native speaker.
 */
import { dictionary } from './index';

export const USERS = dictionary(
	{
		title: 'Users',
		roles: 'Roles:',
		// Each role's note carries the punctuation that follows it in the sentence.
		about_partner: '(public view and downloads),',
		about_province: '(unsuppressed figures in their provinces),',
		about_national: '(unsuppressed everywhere),',
		about_admin: '(as national, plus imports, users and jobs).',
		new_account: 'New account',
		username: 'Username',
		password_min: 'Password (at least {count} characters)',
		role: 'Role',
		provinces_field: 'Provinces (codes, for role province)',
		provinces_example: 'e.g. 17, 05',
		create: 'Create account',
		province_codes: 'Province codes',
		accounts: 'Accounts ({count})',
		user: 'User',
		access: 'Role and provinces',
		password: 'Password',
		status: 'Status',
		you: '(you)',
		role_with_provinces: '{role}: {provinces}',
		role_of: 'Role of {username}',
		provinces_of: 'Provinces of {username}',
		codes: 'codes',
		save: 'Save',
		new_password_for: 'New password for {username}',
		new_password: 'new password',
		reset: 'Reset',
		active: 'Active',
		disabled: 'Disabled',
		enable: 'Enable',
		disable: 'Disable'
	},
	{
		title: 'អ្នកប្រើប្រាស់',
		roles: 'តួនាទី៖',
		about_partner: '(មើលទិន្នន័យសាធារណៈ និងទាញយក)',
		about_province: '(តួលេខមិនលាក់ ក្នុងខេត្តរបស់ខ្លួន)',
		about_national: '(តួលេខមិនលាក់ ទូទាំងប្រទេស)',
		about_admin: '(ដូចថ្នាក់ជាតិ បូកនឹងការនាំចូលទិន្នន័យ អ្នកប្រើប្រាស់ និងការងាររបស់ប្រព័ន្ធ)។',
		new_account: 'គណនីថ្មី',
		username: 'ឈ្មោះអ្នកប្រើ',
		password_min: 'ពាក្យសម្ងាត់ (យ៉ាងតិច {count} តួអក្សរ)',
		role: 'តួនាទី',
		provinces_field: 'ខេត្ត (លេខកូដ សម្រាប់តួនាទីថ្នាក់ខេត្ត)',
		provinces_example: 'ឧ. 17, 05',
		create: 'បង្កើតគណនី',
		province_codes: 'លេខកូដខេត្ត',
		accounts: 'គណនី ({count})',
		user: 'អ្នកប្រើប្រាស់',
		access: 'តួនាទី និងខេត្ត',
		password: 'ពាក្យសម្ងាត់',
		status: 'ស្ថានភាព',
		you: '(អ្នក)',
		role_with_provinces: '{role}៖ {provinces}',
		role_of: 'តួនាទីរបស់ {username}',
		provinces_of: 'ខេត្តរបស់ {username}',
		codes: 'លេខកូដ',
		save: 'រក្សាទុក',
		new_password_for: 'ពាក្យសម្ងាត់ថ្មីសម្រាប់ {username}',
		new_password: 'ពាក្យសម្ងាត់ថ្មី',
		reset: 'កំណត់ឡើងវិញ',
		active: 'សកម្ម',
		disabled: 'បានបិទ',
		enable: 'បើកដំណើរការ',
		disable: 'បិទដំណើរការ'
	}
);
