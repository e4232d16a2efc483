import { describe, expect, it } from 'vitest';
import { hatchImage, layerBounds } from './map-style';

describe('hatchImage', () => {
	it('draws a stripe two pixels wide along the anti-diagonal, the rest background, opaque', () => {
		const image = hatchImage('#a0b0c0', '#102030');
		expect([image.width, image.height, image.data.length]).toEqual([8, 8, 256]);
		const pixel = (x: number, y: number) => [
			...image.data.slice((y * 8 + x) * 4, (y * 8 + x) * 4 + 4)
		];
		// (x + y) mod 8 < 2 is stripe: (0,0), (1,0), (7,1), (0,1); (2,0) and (3,4) are background.
		for (const [x, y] of [
			[0, 0],
			[1, 0],
			[7, 1],
			[0, 1]
		] as const) {
			expect(pixel(x, y)).toEqual([0xa0, 0xb0, 0xc0, 255]);
		}
		for (const [x, y] of [
			[2, 0],
			[3, 4]
		] as const) {
			expect(pixel(x, y)).toEqual([0x10, 0x20, 0x30, 255]);
		}
	});

	it('is transparent between the stripes without a background', () => {
		const image = hatchImage('#a0b0c0');
		expect([...image.data.slice(0, 4)]).toEqual([0xa0, 0xb0, 0xc0, 255]);
		expect([...image.data.slice(8, 12)]).toEqual([0, 0, 0, 0]);
	});
});

describe('layerBounds', () => {
	it('spans every position of polygons and multipolygons, holes included', () => {
		const square = (x: number, y: number) => [
			[x, y],
			[x + 1, y],
			[x + 1, y + 1],
			[x, y]
		];
		expect(
			layerBounds({
				type: 'FeatureCollection',
				features: [
					{
						type: 'Feature',
						properties: {},
						geometry: { type: 'Polygon', coordinates: [square(103, 11)] }
					},
					{
						type: 'Feature',
						properties: {},
						geometry: {
							type: 'MultiPolygon',
							coordinates: [[square(105, 13)], [square(102.5, 12)]]
						}
					}
				]
			})
		).toEqual([102.5, 11, 106, 14]);
		expect(layerBounds({ type: 'FeatureCollection', features: [] })).toBeNull();
	});
});
