/**
 * The indicator refresh's status page (`/refresh`), and the steps a refresh reports (the
 * engine's own words, also its command line's and the benchmark's) in Khmer (`progressIn`).
 * Khmer drafted by the team; to be reviewed by a native speaker.
 */
import { formatCount } from './common';
import { dictionary, toKhmerNumerals, translator, type Language } from './index';

export const REFRESH = dictionary(
	{
		title: 'Indicator refresh',
		lead: 'The indicators are recomputed from the registry after every import (only the communes and periods it touched, or every commune when it touched more than a quarter of them) and in full on a schedule. Public pages show the last finished refresh.',
		running: 'Running',
		since: '({kind}) since {time}:',
		starting: 'starting',
		none_running: 'No refresh is running.',
		waiting: 'Waiting',
		waiting_release: '({kind}) since {time}, until the release being published is written.',
		waiting_refresh: '({kind}) since {time}, until the refresh before it ends.',
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
		all_after_import: 'all (imports touched {count})',
		kind_full: 'full',
		kind_incremental: 'incremental',
		failed: 'failed:',
		finished: 'finished',
		running_step: 'running:',
		seconds: '{value} s'
	},
	{
		title: 'ការគណនាសូចនាករឡើងវិញ',
		lead: 'សូចនាករត្រូវបានគណនាឡើងវិញពីបញ្ជីឈ្មោះ បន្ទាប់ពីការនាំចូលនីមួយៗ (តែឃុំ និងរយៈពេលដែលការនាំចូលនោះប៉ះពាល់ ឬគ្រប់ឃុំនៅពេលវាប៉ះពាល់លើសពីមួយភាគបួននៃឃុំ) និងទាំងស្រុងតាមកាលវិភាគ។ ទំព័រសាធារណៈបង្ហាញលទ្ធផលនៃការគណនាឡើងវិញចុងក្រោយដែលបានបញ្ចប់។',
		running: 'កំពុងដំណើរការ',
		since: '({kind}) ចាប់ពី {time}៖',
		starting: 'កំពុងចាប់ផ្តើម',
		none_running: 'មិនមានការគណនាឡើងវិញកំពុងដំណើរការទេ។',
		waiting: 'កំពុងរង់ចាំ',
		waiting_release: '({kind}) ចាប់ពី {time} រហូតដល់ការចេញផ្សាយដែលកំពុងបោះពុម្ពត្រូវបានសរសេររួច។',
		waiting_refresh: '({kind}) ចាប់ពី {time} រហូតដល់ការគណនាឡើងវិញមុនវាបញ្ចប់។',
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
		all_after_import: 'ទាំងអស់ (ការនាំចូលបានប៉ះពាល់ {count})',
		kind_full: 'ទាំងស្រុង',
		kind_incremental: 'តាមផ្នែក',
		failed: 'បរាជ័យ៖',
		finished: 'បានបញ្ចប់',
		running_step: 'កំពុងដំណើរការ៖',
		seconds: '{value} វិនាទី'
	}
);

/**
 * The refresh engine's terms for its steps (see `refresh.ts`), in Khmer. Its progress is
 * written from them: `2/5 eligibility, enrolment, benefits and combined packages at every
 * level (applications, … on a second connection meanwhile)`, `18 periods (2025, …)`.
 */
const STEP_TERMS: Readonly<Record<string, string>> = {
	starting: REFRESH.km.starting,
	'registration coverage': 'អត្រាចុះឈ្មោះក្នុងបញ្ជី',
	offices: 'ការិយាល័យ',
	'eligibility, enrolment, benefits and combined packages':
		'សិទ្ធិ ការចុះឈ្មោះចូលកម្មវិធី អត្ថប្រយោជន៍ និងកញ្ចប់អត្ថប្រយោជន៍រួម',
	eligibility: 'សិទ្ធិ',
	'combined packages': 'កញ្ចប់អត្ថប្រយោជន៍រួម',
	applications: 'ពាក្យស្នើសុំ',
	appeals: 'បណ្តឹងតវ៉ា',
	'possible duplicates': 'ករណីអាចស្ទួនគ្នា',
	'enrolment and benefits': 'ការចុះឈ្មោះចូលកម្មវិធី និងអត្ថប្រយោជន៍',
	'sums to every level': 'ផលបូកគ្រប់កម្រិត',
	'eligibility, enrolment, benefits and combined packages at every level':
		'សិទ្ធិ ការចុះឈ្មោះចូលកម្មវិធី អត្ថប្រយោជន៍ និងកញ្ចប់អត្ថប្រយោជន៍រួមគ្រប់កម្រិត',
	'offices and the other indicators summed to every level': 'ការិយាល័យ និងសូចនាករផ្សេងទៀតបូកគ្រប់កម្រិត',
	'medians at every level': 'មេដ្យានគ្រប់កម្រិត',
	'new programme counts analysed and indexed': 'ចំនួនថ្មីនៃកម្មវិធីត្រូវបានវិភាគ និងធ្វើលិបិក្រម',
	'new values in place of the old': 'តម្លៃថ្មីជំនួសតម្លៃចាស់',
	'visibility maps of the registry tables (VACUUM)': 'ផែនទីភាពមើលឃើញនៃតារាងបញ្ជីឈ្មោះ (VACUUM)'
};

/** A term, or a list of terms (`a, b, c`), in Khmer; undefined if one is unknown. */
function terms(english: string): string | undefined {
	if (english in STEP_TERMS) return STEP_TERMS[english];
	const parts = english.split(', ').map((part) => STEP_TERMS[part]);
	return parts.every((part) => part !== undefined) ? parts.join(' ') : undefined;
}

/** A step's name in Khmer: a term, or one done on the second connection, or meanwhile. */
function stepName(english: string): string | undefined {
	const meanwhile = /^(.+) \((.+) on a second connection meanwhile\)$/.exec(english);
	if (meanwhile) {
		const [own, side] = [terms(meanwhile[1]!), terms(meanwhile[2]!)];
		return own && side ? `${own} (${side} នៅលើការតភ្ជាប់ទីពីរក្នុងពេលជាមួយគ្នា)` : undefined;
	}
	const handed = /^(.+), from the second connection$/.exec(english);
	if (handed) {
		const side = terms(handed[1]!);
		return side && `${side} ពីការតភ្ជាប់ទីពីរ`;
	}
	return terms(english);
}

/**
 * A refresh's progress as the engine reports it, in `language`: `3/7 …` with its step named in
 * Khmer, `18 periods (…)` counted in Khmer digits (the labels as written). Null when a step is
 * not known here: the page then shows the engine's English.
 */
export function progressIn(language: Language, progress: string): string | null {
	if (language === 'en') return progress;
	const step = /^(\d+)\/(\d+) (.+)$/.exec(progress);
	if (step) {
		const name = stepName(step[3]!);
		return name ? `${toKhmerNumerals(step[1]!)}/${toKhmerNumerals(step[2]!)} ${name}` : null;
	}
	const periods = /^(\d+) periods \((.+)\)$/.exec(progress);
	if (periods) return `${toKhmerNumerals(periods[1]!)} រយៈពេល (${periods[2]})`;
	return stepName(progress) ?? null;
}

/**
 * The communes a refresh recomputed, as the history lists them: their number, or all of them
 * (a full refresh; after imports that touched too many communes to recompute alone, how many
 * they touched).
 */
export function communesRecomputed(
	language: Language,
	run: { communes: number | null; touched_communes: number | null }
): string {
	const t = translator(REFRESH, language);
	if (run.communes !== null) return formatCount(language, run.communes);
	if (run.touched_communes !== null)
		return t('all_after_import', { count: formatCount(language, run.touched_communes) });
	return t('all');
}
