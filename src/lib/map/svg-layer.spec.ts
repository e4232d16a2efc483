import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { latitudeOf, mercatorY, projectLayer, shownBounds } from './svg-layer';

const square = (code: string, x: number, y: number, size: number) => ({
	type: 'Feature' as const,
	properties: { code },
	geometry: {
		type: 'Polygon' as const,
		coordinates: [
			[
				[x, y],
				[x + size, y],
				[x + size, y + size],
				[x, y + size],
				[x, y]
			]
		]
	}
});

describe('mercatorY', () => {
	it('is ln(tan(45° + φ/2)): 0 at the equator, asinh(1) at 45° N, odd', () => {
		expect(mercatorY(0)).toBeCloseTo(0, 12);
		expect(mercatorY(45)).toBeCloseTo(0.881373587019543, 12);
		expect(mercatorY(-45)).toBeCloseTo(-0.881373587019543, 12);
	});
});

describe('projectLayer', () => {
	it('fills the viewBox with the layer in Web Mercator, north up, one path per unit', () => {
		const layer: FeatureCollection = {
			type: 'FeatureCollection',
			features: [square('01', 104, 11, 1), square('02', 105, 12, 1)]
		};
		const svg = projectLayer(layer, 1000)!;
		expect(svg.bounds).toEqual([104, 11, 106, 13]);
		expect(svg.width).toBe(1000);
		// Mercator stretches latitudes: 2° of latitude at 12° N are a little taller than 2° of longitude.
		// (asinh(tan 13°) − asinh(tan 11°)) / 2° in radians × 1000, computed apart: 1022.
		expect(svg.height).toBe(1022);
		expect(svg.units.map((unit) => unit.code)).toEqual(['01', '02']);
		// The first square starts at the west edge, at the bottom (south is down), and is closed.
		const first = svg.units[0]!.d;
		expect(first).toMatch(new RegExp(`^M0 ${svg.height}l500 0 0-\\d+-500 0 0 \\d+z$`));
		// The second starts in the middle, half-way up.
		expect(svg.units[1]!.d.startsWith('M500 ')).toBe(true);
	});

	it('joins a multipolygon with its holes into one path, and skips features without a code', () => {
		const layer: FeatureCollection = {
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { code: '17' },
					geometry: {
						type: 'MultiPolygon',
						coordinates: [
							square('', 0, 0, 2).geometry.coordinates,
							square('', 3, 0, 1).geometry.coordinates
						]
					}
				},
				{ ...square('x', 0, 0, 1), properties: {} }
			]
		};
		const svg = projectLayer(layer)!;
		expect(svg.units).toHaveLength(1);
		expect(svg.units[0]!.d.match(/M/g)).toHaveLength(2);
		expect(svg.units[0]!.d.match(/z/g)).toHaveLength(2);
	});

	it('drops points that round onto the previous one, and has nothing for an empty layer', () => {
		const layer: FeatureCollection = {
			type: 'FeatureCollection',
			features: [
				square('big', 0, 0, 10),
				{
					type: 'Feature',
					properties: { code: 'dot' },
					geometry: {
						type: 'Polygon',
						coordinates: [
							[
								[5, 5],
								[5.0001, 5],
								[5.0001, 5.0001],
								[5, 5]
							]
						]
					}
				}
			]
		};
		expect(projectLayer(layer)!.units[1]!.d).toMatch(/^M500 \d+z$/);
		expect(projectLayer({ type: 'FeatureCollection', features: [] })).toBeNull();
	});
});

describe('shownBounds', () => {
	it('reports what a padded box shows of the layer, as MapLibre fitBounds would frame it', () => {
		const layer = projectLayer({
			type: 'FeatureCollection',
			features: [square('01', 104, 11, 2)]
		})!;
		// A box as wide as tall (plus padding): the layer (almost square) fills it edge to edge.
		const padding = 20;
		const size = 400;
		const [west, south, east, north] = shownBounds(
			layer,
			size + 2 * padding,
			(size * layer.height) / layer.width + 2 * padding,
			padding
		);
		const degreesPerPixel = 2 / size;
		expect(west).toBeCloseTo(104 - padding * degreesPerPixel, 6);
		expect(east).toBeCloseTo(106 + padding * degreesPerPixel, 6);
		expect(north).toBeGreaterThan(13);
		expect(south).toBeLessThan(11);
		expect(latitudeOf(mercatorY(12.5))).toBeCloseTo(12.5, 9);
	});
});
