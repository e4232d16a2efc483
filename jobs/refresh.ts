/** `npm run refresh`: recomputes every stored indicator and prints progress and duration. */
import { openDatabase } from '../src/lib/server/db';
import { refreshAll } from '../src/lib/server/indicators/refresh';

const database = await openDatabase();
try {
	const result = await refreshAll(database.db, {
		onProgress: (step) => console.log(`refreshing ${step}`)
	});
	console.log(
		`refresh finished: ${result.periods.length} periods in ${(result.durationMs / 1000).toFixed(1)} s`
	);
} finally {
	await database.close();
}
