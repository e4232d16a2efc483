/**
 * The data-quality page (`/data-quality`). Identifiers, codes and dates are shown as the feeds
 * wrote them, which is how staff find them in the source files. Khmer drafted by the team; to
 * be reviewed by a native speaker.
 */
import { dictionary } from './index';

export const DATA_QUALITY = dictionary(
	{
		title: 'Data quality',
		duplicates: 'Possible duplicates',
		duplicates_lead:
			'Persons in two different households who share a national ID, or the same full name (ignoring case, spacing and punctuation), birth date and sex. They are imported and flagged, never merged: check each pair with the commune office. Names and ID numbers stay on the server.',
		reason_national_id: 'Same national ID',
		reason_name_birth_sex: 'Same name, birth date and sex',
		no_duplicates: 'No possible duplicates.',
		reason: 'Reason',
		person: 'Person',
		household: 'Household',
		village: 'Village',
		early: 'Benefits for a month before the enrolment',
		early_lead:
			'Benefits whose period is a month before their enrolment began. They are counted as delivered on their delivery date; ask the programme to correct the period or the enrolment date.',
		benefit_count_one: '{count} benefit',
		benefit_count: '{count} benefits',
		first_listed: '(the first {count} listed)',
		benefit: 'Benefit',
		enrolment: 'Enrolment',
		programme: 'Programme',
		benefit_period: 'Benefit period',
		enrolled_on: 'Enrolled on'
	},
	{
		title: 'គុណភាពទិន្នន័យ',
		duplicates: 'ករណីដែលអាចស្ទួន',
		duplicates_lead:
			'បុគ្គលនៅក្នុងគ្រួសារពីរផ្សេងគ្នា ដែលមានលេខអត្តសញ្ញាណប័ណ្ណដូចគ្នា ឬមានឈ្មោះពេញ (មិនគិតអក្សរធំតូច ដកឃ្លា និងវណ្ណយុត្តិ) ថ្ងៃខែឆ្នាំកំណើត និងភេទដូចគ្នា។ ពួកគេត្រូវបាននាំចូល និងសម្គាល់ ប៉ុន្តែមិនដែលបញ្ចូលគ្នាទេ៖ សូមពិនិត្យគូនីមួយៗជាមួយការិយាល័យឃុំ។ ឈ្មោះ និងលេខអត្តសញ្ញាណប័ណ្ណរក្សាទុកតែនៅលើម៉ាស៊ីនមេប៉ុណ្ណោះ។',
		reason_national_id: 'លេខអត្តសញ្ញាណប័ណ្ណដូចគ្នា',
		reason_name_birth_sex: 'ឈ្មោះ ថ្ងៃខែឆ្នាំកំណើត និងភេទដូចគ្នា',
		no_duplicates: 'គ្មានករណីដែលអាចស្ទួនទេ។',
		reason: 'មូលហេតុ',
		person: 'បុគ្គល',
		household: 'គ្រួសារ',
		village: 'ភូមិ',
		early: 'អត្ថប្រយោជន៍សម្រាប់ខែមុនការចុះឈ្មោះក្នុងកម្មវិធី',
		early_lead:
			'អត្ថប្រយោជន៍ដែលរយៈពេលរបស់វាជាខែមុនពេលការចុះឈ្មោះក្នុងកម្មវិធីចាប់ផ្តើម។ ពួកវាត្រូវបានរាប់ថាបានផ្តល់នៅថ្ងៃផ្តល់ជូន៖ សូមស្នើកម្មវិធីឱ្យកែតម្រូវរយៈពេល ឬកាលបរិច្ឆេទចុះឈ្មោះ។',
		benefit_count_one: 'អត្ថប្រយោជន៍ {count}',
		benefit_count: 'អត្ថប្រយោជន៍ {count}',
		first_listed: '(បង្ហាញ {count} ដំបូង)',
		benefit: 'អត្ថប្រយោជន៍',
		enrolment: 'ការចុះឈ្មោះ',
		programme: 'កម្មវិធី',
		benefit_period: 'រយៈពេលអត្ថប្រយោជន៍',
		enrolled_on: 'ថ្ងៃចុះឈ្មោះ'
	}
);
