/**
 * Strings and formats every page shares: levels, groups, periods, indicator values.
 * Khmer terms follow the NCDD gazetteer (ខេត្ត province, ស្រុក district, ឃុំ commune, ភូមិ village).
 */
import type { Disaggregation, IndicatorDefinition, Level } from '../indicators/catalogue';
import { dictionary, monthName, numberFormat, translator, type Language } from './index';

/** Shared words of the portal. */
export const COMMON = dictionary(
	{
		national: 'Cambodia',
		province: 'Province',
		district: 'District',
		commune: 'Commune',
		village: 'Village',
		provinces: 'Provinces',
		districts: 'Districts',
		communes: 'Communes',
		villages: 'Villages',
		all_programmes: 'All programmes',
		all_people: 'Everyone',
		sex: 'Sex',
		life_cycle: 'Life-cycle group',
		disability: 'Disability',
		idpoor: 'IDPoor level',
		F: 'Women and girls',
		M: 'Men and boys',
		children: 'Children (0–17)',
		working_age: 'Working age (18–59)',
		older_persons: 'Older persons (60+)',
		yes: 'With a disability',
		no: 'Without a disability',
		idpoor_1: 'IDPoor level 1',
		idpoor_2: 'IDPoor level 2',
		idpoor_none: 'Not IDPoor',
		no_data: 'No data',
		zero_denominator: 'Nothing to count (denominator 0)',
		suppressed: 'Suppressed (small numbers)',
		suppressed_short: 'suppressed',
		quarter: 'Q{quarter} {year}',
		days: '{value} days',
		per_thousand: '{value} per 1,000',
		source: 'Source: SSDM Monitoring Portal, {date}. Boundaries: geoBoundaries (CC BY 4.0)'
	},
	{
		national: 'កម្ពុជា',
		province: 'ខេត្ត',
		district: 'ស្រុក',
		commune: 'ឃុំ',
		village: 'ភូមិ',
		provinces: 'ខេត្ត',
		districts: 'ស្រុក',
		communes: 'ឃុំ',
		villages: 'ភូមិ',
		all_programmes: 'កម្មវិធីទាំងអស់',
		all_people: 'ទាំងអស់',
		sex: 'ភេទ',
		life_cycle: 'ក្រុមវដ្តជីវិត',
		disability: 'ពិការភាព',
		idpoor: 'កម្រិតអត្តសញ្ញាណកម្មគ្រួសារក្រីក្រ',
		F: 'ស្ត្រី និងក្មេងស្រី',
		M: 'បុរស និងក្មេងប្រុស',
		children: 'កុមារ (០–១៧)',
		working_age: 'វ័យធ្វើការ (១៨–៥៩)',
		older_persons: 'មនុស្សចាស់ (៦០+)',
		yes: 'មានពិការភាព',
		no: 'គ្មានពិការភាព',
		idpoor_1: 'ក្រីក្រកម្រិត ១',
		idpoor_2: 'ក្រីក្រកម្រិត ២',
		idpoor_none: 'មិនមែនក្រីក្រ',
		no_data: 'គ្មានទិន្នន័យ',
		zero_denominator: 'គ្មានអ្វីត្រូវរាប់ (ភាគបែង ០)',
		suppressed: 'លាក់ (ចំនួនតូច)',
		suppressed_short: 'លាក់',
		quarter: 'ត្រីមាសទី{quarter} ឆ្នាំ{year}',
		days: '{value} ថ្ងៃ',
		per_thousand: '{value} ក្នុង ១០០០',
		source: 'ប្រភព៖ វិបផតថលតាមដាន SSDM, {date}។ ព្រំដែន៖ geoBoundaries (CC BY 4.0)'
	}
);

/** The shared words in one language. */
export function common(language: Language) {
	return translator(COMMON, language);
}

/** A level's name, singular or plural. */
export function levelName(language: Language, level: Level, plural = false): string {
	const t = common(language);
	if (level === 'national') return t('national');
	return t(plural ? (`${level}s` as const) : level);
}

/**
 * A name that starts an English heading (a level's, `Provinces`) as it reads inside a sentence
 * (`Rank 3 of 25 provinces`); Khmer has no capitals, and is returned as it is.
 */
export function midSentence(name: string): string {
	return name.charAt(0).toLowerCase() + name.slice(1);
}

/** The heading of a disaggregation (`Sex`, `Life-cycle group`…). */
export function disaggregationName(language: Language, by: Disaggregation): string {
	return common(language)(by);
}

/** The label of one group value (`F` → `Women and girls`, idpoor `1` → `IDPoor level 1`). */
export function groupLabel(language: Language, by: Disaggregation, value: string): string {
	const t = common(language);
	if (by === 'idpoor') return t(`idpoor_${value}` as 'idpoor_1' | 'idpoor_2' | 'idpoor_none');
	return t(value as 'F' | 'M' | 'children' | 'working_age' | 'older_persons' | 'yes' | 'no');
}

/** A period label: `March 2025`, `Q1 2025`, `2025` (Khmer month names and digits in Khmer). */
export function periodLabel(language: Language, period: string): string {
	const month = /^(\d{4})-(\d{2})$/.exec(period);
	if (month) return monthName(language, Number(month[1]), Number(month[2]));
	const digits = numberFormat(language, { useGrouping: false });
	const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
	if (quarter) {
		return common(language)('quarter', {
			quarter: digits.format(Number(quarter[2])),
			year: digits.format(Number(quarter[1]))
		});
	}
	return /^\d{4}$/.test(period) ? digits.format(Number(period)) : period;
}

/** A whole count with grouping (`12,345`; Khmer digits in Khmer), or an em dash for none. */
export function formatCount(language: Language, count: number | null): string {
	return count === null ? '—' : numberFormat(language, { maximumFractionDigits: 0 }).format(count);
}

/**
 * An indicator value in its unit: percentages with one decimal, rates per 1,000 with one,
 * days and counts whole. Null means there is no value (zero denominator, no records): the
 * caller says why, this returns an em dash.
 */
export function formatFigure(
	language: Language,
	figure: { value: number | null; suppressed?: boolean },
	unit: IndicatorDefinition['unit']
): string {
	return figure.suppressed
		? common(language)('suppressed')
		: formatValue(language, figure.value, unit);
}

/** A value in the indicator's unit; '—' for none. */
export function formatValue(
	language: Language,
	value: number | null,
	unit: IndicatorDefinition['unit']
): string {
	if (value === null || !Number.isFinite(value)) return '—';
	const t = common(language);
	switch (unit) {
		case '%':
			return numberFormat(language, {
				style: 'percent',
				minimumFractionDigits: 1,
				maximumFractionDigits: 1
			}).format(value);
		case 'per 1,000':
			return t('per_thousand', {
				value: numberFormat(language, { maximumFractionDigits: 1 }).format(value)
			});
		case 'days':
			return t('days', {
				value: numberFormat(language, { maximumFractionDigits: 1 }).format(value)
			});
		case 'count':
			return formatCount(language, value);
	}
}

/** Why a unit has no value: its denominator is zero, or nothing was recorded at all. */
export function missingValueReason(
	language: Language,
	row: { numerator: number | null; denominator: number | null; suppressed?: boolean }
): string {
	const t = common(language);
	if (row.suppressed) return t('suppressed');
	return row.denominator === 0 ? t('zero_denominator') : t('no_data');
}
