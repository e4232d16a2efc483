/** The error page: what went wrong, by the response's status. */
import { dictionary } from './index';

export const ERRORS = dictionary(
	{
		status: 'Error {status}',
		notFound: 'Page not found',
		notFoundText: 'There is no page at this address: the link may be mistyped or out of date.',
		forbidden: 'Not open to your account',
		forbiddenText: 'Your account does not give access to this page.',
		badRequest: 'The request could not be served',
		badRequestText: 'The portal could not serve this request. What it said:',
		serverError: 'Something went wrong on the server',
		serverErrorText:
			'The portal could not show this page. Try again in a few minutes; if it keeps failing, give the reference below to the portal’s administrators.',
		reference: 'Reference',
		home: 'Go to the map',
		definitions: 'Indicator definitions'
	},
	{
		status: 'កំហុស {status}',
		notFound: 'រកមិនឃើញទំព័រ',
		notFoundText: 'គ្មានទំព័រនៅអាសយដ្ឋាននេះទេ៖ តំណអាចសរសេរខុស ឬហួសសម័យ។',
		forbidden: 'គណនីរបស់អ្នកមិនអាចចូលប្រើបានទេ',
		forbiddenText: 'គណនីរបស់អ្នកមិនផ្តល់សិទ្ធិចូលប្រើទំព័រនេះទេ។',
		badRequest: 'សំណើមិនអាចបំពេញបានទេ',
		badRequestText: 'វិបផតថលមិនអាចបំពេញសំណើនេះបានទេ។ ហេតុផល៖',
		serverError: 'មានបញ្ហានៅលើម៉ាស៊ីនមេ',
		serverErrorText:
			'វិបផតថលមិនអាចបង្ហាញទំព័រនេះបានទេ។ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេលប៉ុន្មាននាទីទៀត។ ប្រសិនបើនៅតែបរាជ័យ សូមផ្តល់លេខយោងខាងក្រោមទៅអ្នកគ្រប់គ្រងវិបផតថល។',
		reference: 'លេខយោង',
		home: 'ទៅកាន់ផែនទី',
		definitions: 'និយមន័យសូចនាករ'
	}
);
