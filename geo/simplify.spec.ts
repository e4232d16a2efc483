import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { decodeArcs, simplifyArc, simplifyTopology } from './simplify';

describe('simplifyArc', () => {
	it('keeps both ends and drops points within the tolerance of the line', () => {
		const arc = [
			[0, 0],
			[1, 0.05],
			[2, -0.05],
			[3, 0.5],
			[4, 0]
		];
		// (2, -0.05) is 0.38 off the chord from (0, 0) to the kept (3, 0.5); (1, 0.05) then only
		// 0.075 off the chord to (2, -0.05).
		expect(simplifyArc(arc, 0.1)).toEqual([
			[0, 0],
			[2, -0.05],
			[3, 0.5],
			[4, 0]
		]);
		// A tolerance above every deviation still keeps the farthest point (see the next test).
		expect(simplifyArc(arc, 1)).toEqual([
			[0, 0],
			[3, 0.5],
			[4, 0]
		]);
		expect(simplifyArc(arc, 0)).toEqual(arc);
	});

	it('keeps the farthest point of an arc, so a ring of two arcs never becomes a line', () => {
		const arc = [
			[0, 0],
			[1, 0.01],
			[2, 0]
		];
		expect(simplifyArc(arc, 1)).toEqual(arc);
		expect(
			simplifyArc(
				[
					[0, 0],
					[2, 0]
				],
				1
			)
		).toEqual([
			[0, 0],
			[2, 0]
		]);
	});

	it('keeps a closed arc (an island) a ring of at least four distinct corners', () => {
		const island = [
			[0, 0],
			[1, 0],
			[1, 1],
			[0.5, 1.01],
			[0, 1],
			[0, 0]
		];
		const simplified = simplifyArc(island, 10);
		expect(simplified[0]).toEqual(simplified[simplified.length - 1]);
		expect(new Set(simplified.slice(0, -1).map((p) => p.join(','))).size).toBeGreaterThanOrEqual(3);
		expect(simplified.length).toBeGreaterThanOrEqual(4);
		expect(simplifyArc(island, 0.1)).toEqual([
			[0, 0],
			[1, 0],
			[1, 1],
			[0, 1],
			[0, 0]
		]);
	});
});

describe('simplifyTopology', () => {
	// Two unit squares side by side, sharing a wiggly border (arc 0, x ≈ 1): arc 1 closes the
	// left square, arc 2 the right one (TopoJSON: ~0 is arc 0 reversed).
	const wiggle: Position[] = [
		[1, 0],
		[1.001, 0.25],
		[0.999, 0.5],
		[1.2, 0.75],
		[1, 1]
	];
	const topology = {
		type: 'Topology',
		arcs: [
			wiggle,
			[
				[1, 1],
				[0, 1],
				[0, 0],
				[1, 0]
			],
			[
				[1, 0],
				[2, 0],
				[2, 1],
				[1, 1]
			]
		],
		objects: {
			units: {
				type: 'GeometryCollection',
				geometries: [
					{ type: 'Polygon', arcs: [[0, 1]], properties: { code: 'left' } },
					{ type: 'Polygon', arcs: [[2, ~0]], properties: { code: 'right' } }
				]
			}
		}
	} as unknown as Topology;

	function rings(simplified: Topology): Record<string, Position[]> {
		const collection = feature(simplified, simplified.objects.units!) as unknown as {
			features: Feature<Polygon | MultiPolygon, { code: string }>[];
		};
		return Object.fromEntries(
			collection.features.map((unit) => [
				unit.properties.code,
				(unit.geometry as Polygon).coordinates[0]!
			])
		);
	}

	it('simplifies a shared border once, so both neighbours keep exactly the same line', () => {
		const { left, right } = rings(simplifyTopology(topology, 0.2));
		const border = [
			[1, 0],
			[1.2, 0.75],
			[1, 1]
		];
		expect(left!.slice(0, 3)).toEqual(border);
		// The right square runs along the border the other way.
		expect(right!.slice(3, 6)).toEqual([...border].reverse());
	});

	it('decodes a quantised topology (delta-encoded arcs and a transform) to positions', () => {
		const quantised = {
			type: 'Topology',
			transform: { scale: [0.5, 0.25], translate: [100, 10] },
			arcs: [
				[
					[0, 0],
					[2, 4],
					[2, -4]
				]
			],
			objects: {}
		} as unknown as Topology;
		expect(decodeArcs(quantised)).toEqual([
			[
				[100, 10],
				[101, 11],
				[102, 10]
			]
		]);
		expect(simplifyTopology(quantised, 0).transform).toBeUndefined();
	});
});
