/** What every chart builder takes besides its data. */
import type { IndicatorDefinition } from '../indicators/catalogue';
import { formatValue } from '../i18n/common';
import { monthName, type Language } from '../i18n';

/** Options shared by the chart builders. */
export interface ChartOptions {
	language: Language;
	/** Unit of the values (formats axes and labels). */
	unit: IndicatorDefinition['unit'];
	width: number;
	height?: number;
	/** The document to build in (the browser's, or jsdom's in tests). */
	document?: Document;
}

/** An axis tick formatter for values in the indicator's unit. */
export function tickFormat(options: ChartOptions) {
	return (value: number) => formatValue(options.language, value, options.unit);
}

/** The first day of a period label (`2025-03`, `2025-Q2`, `2025`), as a UTC date for time axes. */
export function periodStart(period: string): Date {
	const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
	if (quarter) return new Date(Date.UTC(Number(quarter[1]), (Number(quarter[2]) - 1) * 3, 1));
	const [year, month = '01'] = period.split('-');
	return new Date(Date.UTC(Number(year), Number(month) - 1, 1));
}

/** A time axis tick: the month and year in the chart's language (`Mar 2025`, `មីនា ២០២៥`). */
export function monthTickFormat(options: ChartOptions) {
	return (date: Date) => {
		const label = monthName(options.language, date.getUTCFullYear(), date.getUTCMonth() + 1);
		// English months shortened to three letters; Khmer month names have no short form.
		return options.language === 'en' ? label.replace(/^(\w{3})\w*/, '$1') : label;
	};
}
