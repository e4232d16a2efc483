/** An answer of the indicator API that the route turns into an HTTP error. */
export class ApiError extends Error {
	constructor(
		readonly status: 400 | 403 | 404 | 503,
		message: string
	) {
		super(message);
	}
}
