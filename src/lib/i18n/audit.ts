/**
 * The admin's audit log page (`/admin/audit`). Actions, accounts, targets and details are shown
 * as recorded (codes, ids, file names), as the CSV export gives them. Khmer drafted by the
 * team; to be reviewed by a native speaker.
 */
import { dictionary } from './index';

export const AUDIT = dictionary(
	{
		title: 'Audit log',
		lead: 'Sign-ins, account changes, imports, exports of internal data and job runs: who, when, what and from where. Details hold counts, file names and ids, never a registry member’s data.',
		filter: 'Filter the audit log',
		action: 'Action',
		any: 'Any',
		account: 'Account',
		from_date: 'From',
		to_date: 'To',
		apply: 'Filter',
		export_csv: 'Export as CSV',
		caption: 'Audit log entries, newest first',
		when: 'When (UTC)',
		what: 'What',
		address: 'From',
		detail: 'Detail',
		none: 'No entries match.',
		pages: 'Pages',
		newer: '← Newer',
		page: 'Page {page}',
		older: 'Older →'
	},
	{
		title: 'កំណត់ហេតុសវនកម្ម',
		lead: 'ការចូលប្រើ ការផ្លាស់ប្តូរគណនី ការនាំចូល ការនាំចេញទិន្នន័យផ្ទៃក្នុង និងការដំណើរការការងារស្វ័យប្រវត្តិ៖ នរណា ពេលណា អ្វី និងពីកន្លែងណា។ ព័ត៌មានលម្អិតមានតែចំនួន ឈ្មោះឯកសារ និងលេខសម្គាល់ ពុំដែលមានទិន្នន័យរបស់សមាជិកក្នុងបញ្ជីឈ្មោះឡើយ។',
		filter: 'ត្រងកំណត់ហេតុសវនកម្ម',
		action: 'សកម្មភាព',
		any: 'ទាំងអស់',
		account: 'គណនី',
		from_date: 'ចាប់ពី',
		to_date: 'ដល់',
		apply: 'ត្រង',
		export_csv: 'នាំចេញជា CSV',
		caption: 'កំណត់ត្រាសវនកម្ម ថ្មីបំផុតមុនគេ',
		when: 'ពេលវេលា (UTC)',
		what: 'អ្វី',
		address: 'ពីកន្លែង',
		detail: 'ព័ត៌មានលម្អិត',
		none: 'គ្មានកំណត់ត្រាត្រូវនឹងតម្រងទេ។',
		pages: 'ទំព័រ',
		newer: '← ថ្មីជាង',
		page: 'ទំព័រ {page}',
		older: 'ចាស់ជាង →'
	}
);
