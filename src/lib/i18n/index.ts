/**
 * English and Khmer for every page: the language chosen (a cookie, see `routes/language`),
 * typed dictionaries whose Khmer half must have every English key, and number formats.
 *
 * Why not a library: Paraglide 2 (the one the SvelteKit `sv` templates offer) compiles its
 * messages through plugins its project settings load from a CDN, which the ministry's servers
 * and CI cannot reach; svelte-i18n is built on stores. Typed objects checked by `tsc` give the
 * same guarantee (no missing Khmer string) with nothing to download. Numbers use `Intl` in
 * English, rewritten with Khmer digits for Khmer (see `toKhmerNumerals`).
 */

/** The portal's languages. */
export const LANGUAGES = ['en', 'km'] as const;

/** One of the portal's languages. */
export type Language = (typeof LANGUAGES)[number];

/** Cookie holding the chosen language (a preference, not a secret). */
export const LANGUAGE_COOKIE = 'lang';

/** Whether a value names one of the portal's languages. */
export function isLanguage(value: unknown): value is Language {
	return (LANGUAGES as readonly unknown[]).includes(value);
}

/** The name of each language in itself, for the switch. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', km: 'ខ្មែរ' };

/** A dictionary: English strings and their Khmer translations, key for key. */
export type Dictionary<Keys extends string> = Readonly<
	Record<Language, Readonly<Record<Keys, string>>>
>;

/**
 * Declares a feature's strings. `km` must translate every key of `en` (checked by `tsc`).
 * Placeholders are written `{name}` and filled by `fill`.
 */
export function dictionary<Keys extends string>(
	en: Readonly<Record<Keys, string>>,
	km: Readonly<Record<Keys, string>>
): Dictionary<Keys> {
	return { en, km };
}

/** Replaces `{name}` placeholders with values. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in values ? String(values[name]) : whole
	);
}

/** The translator of one dictionary in one language: `t('key', {placeholder: value})`. */
export function translator<Keys extends string>(strings: Dictionary<Keys>, language: Language) {
	const table = strings[language];
	return (key: Keys, values?: Readonly<Record<string, string | number>>): string =>
		values ? fill(table[key], values) : table[key];
}

/** BCP 47 locale of each language for `Intl` (text collation; numbers are formatted below). */
export const LOCALES: Readonly<Record<Language, string>> = {
	en: 'en-GB',
	km: 'km-KH'
};

/** Khmer digits ០–៩, by the Latin digit they stand for. */
const KHMER_DIGITS = '០១២៣៤៥៦៧៨៩';

/**
 * Writes a number formatted in English the Khmer way: Khmer digits, `.` between thousands and
 * `,` before decimals (CLDR's km patterns). Done by hand because Chromium as Debian ships it
 * carries no Khmer locale data: `Intl` there silently falls back to English, and the server's
 * Node would then render differently from the browser.
 */
export function toKhmerNumerals(english: string): string {
	return english.replace(/[0-9.,]/g, (c) =>
		c === '.' ? ',' : c === ',' ? '.' : KHMER_DIGITS[Number(c)]!
	);
}

/** Something that formats numbers (an `Intl.NumberFormat`, or its Khmer rendering). */
export interface NumberFormatter {
	format(value: number): string;
}

const formats = new Map<string, NumberFormatter>();

/** A cached number format (constructing Intl formats is slow; tables format thousands). */
export function numberFormat(
	language: Language,
	options: Intl.NumberFormatOptions
): NumberFormatter {
	const key = `${language}:${JSON.stringify(options)}`;
	let format = formats.get(key);
	if (!format) {
		const english = new Intl.NumberFormat('en-GB', options);
		format =
			language === 'en'
				? english
				: { format: (value: number) => toKhmerNumerals(english.format(value)) };
		formats.set(key, format);
	}
	return format;
}

/** Khmer month names, January first. */
const KHMER_MONTHS = [
	'មករា',
	'កុម្ភៈ',
	'មីនា',
	'មេសា',
	'ឧសភា',
	'មិថុនា',
	'កក្កដា',
	'សីហា',
	'កញ្ញា',
	'តុលា',
	'វិច្ឆិកា',
	'ធ្នូ'
];

/** A month and year (`March 2025`, `មីនា ២០២៥`); `month` counts from 1. */
export function monthName(language: Language, year: number, month: number): string {
	if (language === 'km') {
		return `${KHMER_MONTHS[month - 1]} ${toKhmerNumerals(String(year))}`;
	}
	return new Intl.DateTimeFormat('en-GB', {
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(Date.UTC(year, month - 1, 1)));
}

const dateTimeParts = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric',
	month: 'numeric',
	year: 'numeric',
	hour: '2-digit',
	minute: '2-digit'
});
const englishDateTime = new Intl.DateTimeFormat('en-GB', {
	dateStyle: 'medium',
	timeStyle: 'short'
});

/**
 * A moment in the reader's time zone, to the minute: `6 Dec 2026, 09:30`, `៦ ធ្នូ ២០២៦, ០៩:៣០`
 * (Khmer month names and digits written by hand, as numbers are: see `toKhmerNumerals`).
 */
export function dateTimeIn(language: Language, date: Date): string {
	if (language === 'en') return englishDateTime.format(date);
	const part = Object.fromEntries(dateTimeParts.formatToParts(date).map((p) => [p.type, p.value]));
	return `${toKhmerNumerals(String(Number(part.day)))} ${KHMER_MONTHS[Number(part.month) - 1]} ${toKhmerNumerals(part.year!)}, ${toKhmerNumerals(`${part.hour}:${part.minute}`)}`;
}

/**
 * A moment as the database writes it (`2026-12-06 09:30:12.5+00`, or ISO's `T`), to the second
 * and in UTC as written, in the page's digits: `2026-12-06 09:30:12`, `២០២៦-១២-០៦ ០៩:៣០:១២`.
 */
export function recordedTime(language: Language, written: string): string {
	const text = written.slice(0, 19).replace('T', ' ');
	return language === 'km' ? toKhmerNumerals(text) : text;
}

/** Something with an English and a Khmer name (units, indicators, programmes). */
export interface Named {
	name_en: string;
	name_km: string;
}

/** The name in the chosen language, falling back to English where no Khmer name is known. */
export function nameIn(language: Language, named: Named): string {
	return language === 'km' && named.name_km ? named.name_km : named.name_en;
}
