/** The site's frame: header, navigation, skip link. */
import { dictionary } from './index';

export const SITE = dictionary(
	{
		skip: 'Skip to content',
		portal: 'SSDM Monitoring Portal',
		tagline: 'Social Service Delivery Mechanism · Cambodia',
		nav: 'Portal',
		map: 'Map',
		finder: 'Low-coverage finder',
		rollout: 'Rollout',
		definitions: 'Definitions',
		downloads: 'Downloads',
		explore: 'Explore'
	},
	{
		skip: 'រំលងទៅខ្លឹមសារ',
		portal: 'វិបផតថលតាមដាន SSDM',
		tagline: 'យន្តការផ្តល់សេវាសង្គម · កម្ពុជា',
		nav: 'វិបផតថល',
		map: 'ផែនទី',
		finder: 'ស្វែងរកតំបន់គ្របដណ្តប់ទាប',
		rollout: 'ការដាក់ឱ្យដំណើរការ',
		definitions: 'និយមន័យ',
		downloads: 'ទាញយក',
		explore: 'រុករកទិន្នន័យ'
	}
);
