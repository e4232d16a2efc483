/**
 * The admin's imports page (`/admin/imports`). What the importer reports about a file (its
 * rejected rows' reasons, warnings, the step under way) is in English, as its command line
 * and its rejected-rows CSV are. Khmer drafted by the team; to be reviewed by a native speaker.
 */
import { BEFORE_EVERY_PERIOD } from '../indicators/periods';
import { formatCount } from './common';
import { dictionary, translator, type Language } from './index';

export const IMPORTS = dictionary(
	{
		title: 'Imports',
		lead_files:
			'Upload commune spreadsheets and programme extracts as CSV or XLSX (first sheet), named after their feed:',
		lead_rules:
			'Several files are imported in dependency order. Each file is all-or-nothing for its good rows; rejected rows can be downloaded with the reason, fixed and uploaded again without creating duplicates.',
		files: 'Files to import',
		uploading: 'Uploading…',
		upload: 'Upload and import',
		nothing_imported: 'Nothing was imported:',
		nothing_uploaded: 'Nothing was uploaded:',
		too_large:
			'{files}: more than this server accepts in one upload ({limit}, its BODY_SIZE_LIMIT). Upload fewer files at once, import them with npm run import or the drop folder, or raise BODY_SIZE_LIMIT.',
		megabytes: '{value} MB',
		lost: 'Lost track of the upload ({status}); see the history below.',
		finished: 'Import finished',
		importing: 'Importing…',
		file: 'File',
		progress: 'Progress',
		progress_of: 'Progress of {file}',
		rows: '{count} rows',
		read: 'Read',
		inserted: 'Inserted',
		updated: 'Updated',
		unchanged: 'Unchanged',
		rejected: 'Rejected',
		rejected_rows: 'Rejected rows',
		imported: 'Imported',
		download_csv: 'Download CSV',
		history: 'Import history',
		no_history: 'No file has been imported yet.',
		number: '#',
		feed: 'Feed',
		by: 'By',
		when: 'When',
		seconds: 'Seconds',
		checksum: 'Checksum',
		touch_none: 'Indicators: nothing to recompute (no column an indicator reads changed).',
		touch_all: 'Indicators: every commune and period to recompute (reference data changed).',
		touch_every_period: 'Indicators: {communes} to recompute, every period.',
		touch_since: 'Indicators: {communes} to recompute, the periods ending on or after {since}.',
		one_commune: '1 commune',
		communes: '{count} communes'
	},
	{
		title: 'នាំចូលទិន្នន័យ',
		lead_files:
			'ផ្ទុកឡើងសៀវភៅបញ្ជីរបស់ឃុំ និងទិន្នន័យដកស្រង់ពីកម្មវិធី ជា CSV ឬ XLSX (សន្លឹកទីមួយ) ដែលដាក់ឈ្មោះតាមប្រភពទិន្នន័យរបស់វា៖',
		lead_rules:
			'ឯកសារច្រើនត្រូវបាននាំចូលតាមលំដាប់នៃការពឹងផ្អែកលើគ្នា។ ឯកសារនីមួយៗនាំចូលជួរត្រឹមត្រូវទាំងអស់ ឬមិននាំចូលអ្វីសោះ។ ជួរដែលត្រូវបានបដិសេធអាចទាញយកជាមួយមូលហេតុ កែតម្រូវ ហើយផ្ទុកឡើងម្តងទៀតដោយមិនបង្កើតការស្ទួន។',
		files: 'ឯកសារដែលត្រូវនាំចូល',
		uploading: 'កំពុងផ្ទុកឡើង…',
		upload: 'ផ្ទុកឡើង និងនាំចូល',
		nothing_imported: 'គ្មានអ្វីត្រូវបាននាំចូលទេ៖',
		nothing_uploaded: 'គ្មានអ្វីត្រូវបានផ្ទុកឡើងទេ៖',
		too_large:
			'{files}៖ លើសពីទំហំដែលម៉ាស៊ីនមេនេះទទួលក្នុងការផ្ទុកឡើងម្តង ({limit}, BODY_SIZE_LIMIT របស់វា)។ សូមផ្ទុកឡើងឯកសារតិចជាងនេះក្នុងម្តង នាំចូលវាដោយ npm run import ឬថតទម្លាក់ឯកសារ ឬបង្កើន BODY_SIZE_LIMIT។',
		megabytes: '{value} MB',
		lost: 'បាត់ការតាមដានការផ្ទុកឡើង ({status}) សូមមើលប្រវត្តិខាងក្រោម។',
		finished: 'ការនាំចូលបានបញ្ចប់',
		importing: 'កំពុងនាំចូល…',
		file: 'ឯកសារ',
		progress: 'វឌ្ឍនភាព',
		progress_of: 'វឌ្ឍនភាពនៃ {file}',
		rows: '{count} ជួរ',
		read: 'បានអាន',
		inserted: 'បានបញ្ចូល',
		updated: 'បានកែប្រែ',
		unchanged: 'មិនផ្លាស់ប្តូរ',
		rejected: 'បានបដិសេធ',
		rejected_rows: 'ជួរដែលបានបដិសេធ',
		imported: 'បាននាំចូល',
		download_csv: 'ទាញយក CSV',
		history: 'ប្រវត្តិនៃការនាំចូល',
		no_history: 'មិនទាន់មានឯកសារណាមួយត្រូវបាននាំចូលនៅឡើយទេ។',
		number: 'ល.រ',
		feed: 'ប្រភពទិន្នន័យ',
		by: 'ដោយ',
		when: 'ពេលវេលា',
		seconds: 'វិនាទី',
		checksum: 'ផលបូកត្រួតពិនិត្យ',
		touch_none: 'សូចនាករ៖ គ្មានអ្វីត្រូវគណនាឡើងវិញទេ (គ្មានជួរឈរដែលសូចនាករប្រើបានផ្លាស់ប្តូរ)។',
		touch_all: 'សូចនាករ៖ ត្រូវគណនាឡើងវិញគ្រប់ឃុំ និងគ្រប់រយៈពេល (ទិន្នន័យយោងបានផ្លាស់ប្តូរ)។',
		touch_every_period: 'សូចនាករ៖ ត្រូវគណនាឡើងវិញ {communes} គ្រប់រយៈពេល។',
		touch_since: 'សូចនាករ៖ ត្រូវគណនាឡើងវិញ {communes} សម្រាប់រយៈពេលដែលបញ្ចប់នៅ ឬក្រោយ {since}។',
		one_commune: '១ ឃុំ',
		communes: '{count} ឃុំ'
	}
);

/**
 * What an imported file's written rows leave the indicators to recompute, as the upload's
 * report says it (null when it wrote nothing): every commune for reference data, some communes
 * from a date, or nothing when its rows changed only columns no indicator reads. The refresh
 * after the upload recomputes what its files touched together (every commune when that is many
 * of them, see the refresh page).
 */
export function indicatorsTouched(
	language: Language,
	file: {
		touch?: 'all' | { communes: readonly string[]; since: string };
		counts?: { inserted: number; updated: number };
	}
): string | null {
	if (!file.counts || file.counts.inserted + file.counts.updated === 0) return null;
	const t = translator(IMPORTS, language);
	const { touch } = file;
	if (touch === undefined) return t('touch_none');
	if (touch === 'all') return t('touch_all');
	const communes =
		touch.communes.length === 1
			? t('one_commune')
			: t('communes', { count: formatCount(language, touch.communes.length) });
	return touch.since === BEFORE_EVERY_PERIOD
		? t('touch_every_period', { communes })
		: t('touch_since', { communes, since: touch.since });
}
