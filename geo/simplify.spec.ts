import type { Feature, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { absoluteArcs, simplifyArc, simplifyTopology } from './simplify';

describe('simplifyArc', () => {
	// A zigzag along y = 0: the middle points sit 0.1, 0.5 and 0.05 away from the chord.
	const arc = [
		[0, 0],
		[1, 0.1],
		[2, 0.5],
		[3, 0.05],
		[4, 0]
	];

	it('keeps the ends and the points farther than the tolerance from the simplified line', () => {
		// Chord (0,0)–(4,0): the farthest point is (2, 0.5), kept (0.5 > 0.2). On (0,0)–(2,0.5),
		// (1, 0.1) lies |0.5·1 − 2·0.1| / √(2² + 0.5²) = 0.3 / 2.062 = 0.146 away: dropped. On
		// (2,0.5)–(4,0), (3, 0.05) lies |−0.5·(3 − 2) − 2·(0.05 − 0.5)| / 2.062 = 0.4 / 2.062
		// = 0.194 away: dropped.
		expect(simplifyArc(arc, 0.2)).toEqual([
			[0, 0],
			[2, 0.5],
			[4, 0]
		]);
		// With a tolerance of 0.15 only (3, 0.05), 0.194 away, is also kept.
		expect(simplifyArc(arc, 0.15)).toEqual([
			[0, 0],
			[2, 0.5],
			[3, 0.05],
			[4, 0]
		]);
	});

	it('keeps one point inside an open arc whatever the tolerance, so no ring of two arcs collapses', () => {
		expect(simplifyArc(arc, 10)).toEqual([
			[0, 0],
			[2, 0.5],
			[4, 0]
		]);
		expect(
			simplifyArc(
				[
					[0, 0],
					[1, 1]
				],
				10
			)
		).toEqual([
			[0, 0],
			[1, 1]
		]);
	});

	it('keeps four distinct points of a closed arc (an island ring)', () => {
		// A square with midpoints, starting at (0,0). The farthest point from the start is the
		// opposite corner (2,2); then in each half the farthest point from its chord (0,0)–(2,2):
		// the corners (2,0) and (0,2), at √2 each (the midpoints are at √2/2).
		const square = [
			[0, 0],
			[1, 0],
			[2, 0],
			[2, 1],
			[2, 2],
			[1, 2],
			[0, 2],
			[0, 1],
			[0, 0]
		];
		expect(simplifyArc(square, 10)).toEqual([
			[0, 0],
			[2, 0],
			[2, 2],
			[0, 2],
			[0, 0]
		]);
	});
});

describe('simplifyTopology', () => {
	// Two unit squares side by side whose shared border (arc 0) bulges to (1.5, 0.5), quantised
	// with a scale of 0.5 and delta-encoded: integer (3, 1) is (1.5, 0.5) in degrees.
	const topology: Topology = {
		type: 'Topology',
		transform: { scale: [0.5, 0.5], translate: [0, 0] },
		arcs: [
			// (1,0) → (1.5,0.5) → (1,1)
			[
				[2, 0],
				[1, 1],
				[-1, 1]
			],
			// the left square's other sides: (1,1) → (0,1) → (0,0) → (1,0)
			[
				[2, 2],
				[-2, 0],
				[0, -2],
				[2, 0]
			],
			// the right square's other sides: (1,0) → (2,0) → (2,1) → (1,1)
			[
				[2, 0],
				[2, 0],
				[0, 2],
				[-2, 0]
			]
		],
		objects: {
			squares: {
				type: 'GeometryCollection',
				geometries: [
					{ type: 'Polygon', arcs: [[0, 1]] },
					{ type: 'Polygon', arcs: [[~0, 2]] }
				]
			}
		}
	};

	it('undoes the quantisation and delta encoding', () => {
		expect(absoluteArcs(topology)[0]).toEqual([
			[1, 0],
			[1.5, 0.5],
			[1, 1]
		]);
	});

	it('simplifies each arc once, so both neighbours keep the same border', () => {
		const simplified = simplifyTopology(topology, 5);
		expect(simplified.transform).toBeUndefined();
		expect(simplified.objects).toBe(topology.objects);
		const ring = (index: number) => {
			const collection = simplified.objects.squares as GeometryCollection;
			return (feature(simplified, collection.geometries[index]!) as Feature<Polygon>).geometry
				.coordinates[0];
		};
		// Tolerance 5 drops every point it may: each arc keeps its ends and its one forced point,
		// the farthest from its chord x = 1 (the first of two at distance 1: (0,1), then (2,0)).
		expect(ring(0)).toEqual([
			[1, 0],
			[1.5, 0.5],
			[1, 1],
			[0, 1],
			[1, 0]
		]);
		expect(ring(1)).toEqual([
			[1, 1],
			[1.5, 0.5],
			[1, 0],
			[2, 0],
			[1, 1]
		]);
	});
});
