/**
 * The indicator refresh's status page (`/refresh`). The steps a refresh reports are the
 * engine's own words (also its command line's and the benchmark's): shown as written, in
 * English. Khmer drafted by the team; to be reviewed by a native speaker.
 */
import { dictionary } from './index';

export const REFRESH = dictionary(
	{
		title: 'Indicator refresh',
		lead: 'The indicators are recomputed from the registry after every import (only the communes and periods it touched) and in full on a schedule. Public pages show the last finished refresh.',
		running: 'Running',
		since: '({kind}) since {time}:',
		starting: 'starting',
		none_running: 'No refresh is running.',
		last_finished: 'Last finished: {time} ({kind}, {periods} periods, {duration}).',
		run_full: 'Run a full refresh now',
		recent: 'Recent refreshes',
		none_yet: 'No refresh has run yet.',
		started: 'Started',
		kind: 'Kind',
		periods: 'Periods',
		communes: 'Communes',
		duration: 'Duration',
		result: 'Result',
		all: 'all',
		kind_full: 'full',
		kind_incremental: 'incremental',
		failed: 'failed:',
		finished: 'finished',
		running_step: 'running:',
		seconds: '{value} s'
	},
	{
		title: 'ការគណនាសូចនាករឡើងវិញ',
		lead: 'សូចនាករត្រូវបានគណនាឡើងវិញពីបញ្ជីឈ្មោះ បន្ទាប់ពីការនាំចូលនីមួយៗ (តែឃុំ និងរយៈពេលដែលការនាំចូលនោះប៉ះពាល់) និងទាំងស្រុងតាមកាលវិភាគ។ ទំព័រសាធារណៈបង្ហាញលទ្ធផលនៃការគណនាឡើងវិញចុងក្រោយដែលបានបញ្ចប់។',
		running: 'កំពុងដំណើរការ',
		since: '({kind}) ចាប់ពី {time}៖',
		starting: 'កំពុងចាប់ផ្តើម',
		none_running: 'មិនមានការគណនាឡើងវិញកំពុងដំណើរការទេ។',
		last_finished: 'បញ្ចប់ចុងក្រោយ៖ {time} ({kind}, {periods} រយៈពេល, {duration})។',
		run_full: 'គណនាឡើងវិញទាំងស្រុងឥឡូវនេះ',
		recent: 'ការគណនាឡើងវិញថ្មីៗ',
		none_yet: 'មិនទាន់មានការគណនាឡើងវិញនៅឡើយទេ។',
		started: 'ចាប់ផ្តើម',
		kind: 'ប្រភេទ',
		periods: 'រយៈពេល',
		communes: 'ឃុំ',
		duration: 'ថិរវេលា',
		result: 'លទ្ធផល',
		all: 'ទាំងអស់',
		kind_full: 'ទាំងស្រុង',
		kind_incremental: 'តាមផ្នែក',
		failed: 'បរាជ័យ៖',
		finished: 'បានបញ្ចប់',
		running_step: 'កំពុងដំណើរការ៖',
		seconds: '{value} វិនាទី'
	}
);
