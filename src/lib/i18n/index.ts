/**
 * English and Khmer for every page: the language chosen (a cookie, see `routes/language`),
 * typed dictionaries whose Khmer half must have every English key, and number formats.
 *
 * Why not a library: Paraglide 2 (the one the SvelteKit `sv` templates offer) compiles its
 * messages through plugins its project settings load from a CDN, which the ministry's servers
 * and CI cannot reach; svelte-i18n is built on stores. Typed objects checked by `tsc` give the
 * same guarantee (no missing Khmer string) with nothing to download. Numbers, percentages and
 * dates use the platform's `Intl`, which knows Khmer (digits ០–៩ with `-u-nu-khmr`).
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

/** BCP 47 locale of each language for `Intl`: Khmer with Khmer digits. */
export const LOCALES: Readonly<Record<Language, string>> = {
	en: 'en-GB',
	km: 'km-KH-u-nu-khmr'
};

const formats = new Map<string, Intl.NumberFormat>();

/** A cached number format (constructing Intl formats is slow; tables format thousands). */
export function numberFormat(language: Language, options: Intl.NumberFormatOptions) {
	const key = `${language}:${JSON.stringify(options)}`;
	let format = formats.get(key);
	if (!format) {
		format = new Intl.NumberFormat(LOCALES[language], options);
		formats.set(key, format);
	}
	return format;
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
