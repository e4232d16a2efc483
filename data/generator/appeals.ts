/**
 * Appeals (complaints) lodged by registered households: a few per 1,000 households per
 * month at a rate set per district, through the village chief, the commune office, the
 * hotline or otherwise; most resolved within weeks, some left open long past 30 days.
 */
import type { ServiceHistory, RegisteredHousehold } from './services';
import { formatDay } from './dates';
import type { RowSink } from './feeds';
import { clamp, cumulate, type Rng } from './random';
import { pad } from './services';

const CHANNELS = ['village_chief', 'commune_office', 'hotline', 'other'] as const;
const CHANNEL_CUMULATIVE = cumulate([0.35, 0.45, 0.12, 0.08]);
const CATEGORIES = ['exclusion', 'payment', 'service_quality', 'other'] as const;
const CATEGORY_CUMULATIVE = cumulate([0.4, 0.25, 0.2, 0.15]);
const DAYS_PER_MONTH = 30.4375;

/** Writes appeals household by household, numbering them as it goes. */
export class AppealSimulator {
	private count = 0;

	constructor(
		private readonly rng: Rng,
		private readonly asOf: number,
		private readonly programmeCodes: readonly string[],
		private readonly sink: RowSink
	) {}

	/** Appeal rows written so far. */
	get rows(): number {
		return this.count;
	}

	/** Draws and writes one household's appeals. */
	simulate(household: RegisteredHousehold, history: ServiceHistory): void {
		const rng = this.rng;
		const { district } = household;
		const months = (this.asOf - household.registered + 1) / DAYS_PER_MONTH;
		const n = rng.poisson((district.appealRate / 1000) * months);
		for (let i = 0; i < n; i++) {
			const lodged = household.registered + rng.int(0, this.asOf - household.registered);
			const channel = CHANNELS[rng.weighted(CHANNEL_CUMULATIVE)] ?? 'other';
			let category: (typeof CATEGORIES)[number] =
				CATEGORIES[rng.weighted(CATEGORY_CUMULATIVE)] ?? 'other';
			const refused = history.refused.filter((r) => r.day <= lodged);
			const enrolled = history.enrolled.filter((e) => e.day <= lodged);
			let programme = '';
			if (category === 'exclusion') {
				programme = refused.length > 0 ? rng.pick(refused).code : rng.pick(this.programmeCodes);
			} else if (category === 'payment') {
				if (enrolled.length > 0) programme = rng.pick(enrolled).code;
				else category = 'other'; // nothing to be paid for yet
			} else if (category === 'service_quality' && enrolled.length > 0 && rng.chance(0.7)) {
				programme = rng.pick(enrolled).code;
			}
			// Some complaints are made without giving the family's identity.
			const anonymous = rng.chance(0.07);

			const days = clamp(Math.round(district.appealDays * Math.exp(rng.normal(0, 0.6))), 0, 365);
			const stuck = lodged >= this.asOf - 365 && rng.chance(district.appealStuckShare);
			let status: 'open' | 'resolved' | 'rejected' | 'escalated' = 'open';
			let resolved = '';
			if (!stuck && lodged + days <= this.asOf) {
				const u = rng.float();
				status = u < 0.78 ? 'resolved' : u < 0.95 ? 'rejected' : 'escalated';
				if (status !== 'escalated') resolved = formatDay(lodged + days);
			}
			this.sink.add([
				`G${pad(++this.count, 8)}`,
				anonymous ? '' : household.id,
				programme,
				household.villageCode,
				formatDay(lodged),
				channel,
				category,
				status,
				resolved
			]);
		}
	}
}
