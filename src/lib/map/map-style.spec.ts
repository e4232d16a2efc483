import { describe, expect, it } from 'vitest';
import { drawnUnits, hatchImage, layerBounds, layerCodes } from './map-style';
import type { FeatureCollection, Point } from 'geojson';

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

describe('layerCodes', () => {
	it("collects each feature's code once, skipping features without one", () => {
		const point: Point = { type: 'Point', coordinates: [104, 12] };
		const layer: FeatureCollection = {
			type: 'FeatureCollection',
			features: [{ code: '17' }, { code: '1702' }, { code: '17' }, { name: 'no code' }, null].map(
				(properties) => ({ type: 'Feature' as const, properties, geometry: point })
			)
		};
		expect([...layerCodes(layer)]).toEqual(['17', '1702']);
	});
});

describe('drawnUnits', () => {
	const rendered = (...codes: unknown[]) => codes.map((code) => ({ properties: { code } }));
	const provinces = new Set(['01', '02', '17']);

	it('counts a unit cut by tile edges once', () => {
		expect([...(drawnUnits(rendered('17', '01', '17', '17'), provinces) ?? [])]).toEqual([
			'17',
			'01'
		]);
	});

	it("is null for a frame drawing a unit the geometry does not have (the previous level's tiles)", () => {
		// Siem Reap's districts still on screen after the provinces were handed over.
		expect(drawnUnits(rendered('17', '1702'), provinces)).toBeNull();
		expect(drawnUnits(rendered('1701', '1702'), provinces)).toBeNull();
	});

	it('is null for a frame with none of the units of a geometry that has some', () => {
		expect(drawnUnits([], provinces)).toBeNull();
		expect(drawnUnits([{ properties: null }], provinces)).toBeNull();
		expect([...(drawnUnits([], new Set()) ?? ['not null'])]).toEqual([]);
	});
});
