/**
 * Simplifies a TopoJSON topology arc by arc (Douglas–Peucker), for the national overview layers.
 * Working on the arcs rather than on each polygon keeps every shared border identical on both
 * sides and every junction of three or more units in place, so neighbours never gap or overlap.
 * https://github.com/topojson/topojson-specification#23-arcs (arcs, quantisation, delta encoding)
 */
import type { Position } from 'geojson';
import type { Topology } from 'topojson-specification';

/** An arc's positions in longitude/latitude (the transform and delta encoding undone). */
export function absoluteArcs(topology: Topology): Position[][] {
	const transform = topology.transform;
	if (!transform) return topology.arcs.map((arc) => arc.map(([x = 0, y = 0]) => [x, y]));
	const [scaleX, scaleY] = transform.scale;
	const [translateX, translateY] = transform.translate;
	return topology.arcs.map((arc) => {
		let [x, y] = [0, 0];
		return arc.map(([dx = 0, dy = 0]) => {
			x += dx;
			y += dy;
			return [x * scaleX + translateX, y * scaleY + translateY];
		});
	});
}

/** Distance from `p` to the segment `a`–`b` (to `a` itself when the segment is a point). */
function distanceToSegment(p: Position, a: Position, b: Position): number {
	const [px = 0, py = 0] = p;
	const [ax = 0, ay = 0] = a;
	const [bx = 0, by = 0] = b;
	const [dx, dy] = [bx - ax, by - ay];
	const lengthSquared = dx * dx + dy * dy;
	const t =
		lengthSquared === 0
			? 0
			: Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
	return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Douglas–Peucker on one arc: keeps its two ends and every point farther than `tolerance` from
 * the simplified line. Distances are planar in degrees: at Cambodia's 10–15° N a degree of
 * longitude is 97–98 % of a degree of latitude, too little to matter for a display tolerance.
 *
 * A few points are kept whatever their distance, so that no ring collapses: one inside every
 * open arc (a ring of two arcs between the same two junctions keeps an area) and two more
 * inside a closed arc (an island ring made of one arc keeps at least four distinct points).
 */
export function simplifyArc(arc: readonly Position[], tolerance: number): Position[] {
	const last = arc.length - 1;
	if (last < 2) return arc.map((p) => [...p]);
	const first = arc[0]!;
	const end = arc[last]!;
	const closed = first[0] === end[0] && first[1] === end[1];
	const forcedDepth = closed ? 2 : 1;
	const keep = new Uint8Array(arc.length);
	keep[0] = keep[last] = 1;
	// An explicit stack: an arc can have thousands of points, too deep for recursion.
	const stack: [number, number, number][] = [[0, last, 0]];
	while (stack.length > 0) {
		const [from, to, depth] = stack.pop()!;
		let farthest = -1;
		let distance = -1;
		for (let i = from + 1; i < to; i++) {
			const d = distanceToSegment(arc[i]!, arc[from]!, arc[to]!);
			if (d > distance) [farthest, distance] = [i, d];
		}
		if (farthest < 0 || (distance <= tolerance && depth >= forcedDepth)) continue;
		keep[farthest] = 1;
		stack.push([from, farthest, depth + 1], [farthest, to, depth + 1]);
	}
	return arc.filter((_, i) => keep[i] === 1).map((p) => [...p]);
}

/**
 * The topology with every arc simplified to `tolerance` degrees, in plain longitude/latitude
 * (no transform), ready for topojson-client's `feature`. The objects are shared, not copied.
 */
export function simplifyTopology(topology: Topology, tolerance: number): Topology {
	const arcs = absoluteArcs(topology).map((arc) => simplifyArc(arc, tolerance));
	const simplified: Topology = { ...topology, arcs };
	delete simplified.transform;
	return simplified;
}
