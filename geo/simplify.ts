/**
 * Simplification of the boundary lines for display, done on the TopoJSON's arcs: every arc is
 * a piece of border between two junctions, shared by the units on both sides, so simplifying
 * each arc once keeps neighbours' borders identical (no gaps or overlaps between them), which
 * simplifying each polygon's rings on their own would not.
 *
 * The method is Douglas–Peucker (Douglas & Peucker 1973, "Algorithms for the reduction of the
 * number of points required to represent a digitized line or its caricature"), planar in
 * degrees: at Cambodia's latitudes (10–15° N) a degree of longitude is 0.97–0.98 of a degree of
 * latitude, close enough for a tolerance meant in screen pixels.
 */
import type { Position } from 'geojson';
import type { Topology } from 'topojson-specification';

/** Distance from `point` to the segment `start`–`end`, in the coordinates' unit. */
function distanceToSegment(point: Position, start: Position, end: Position): number {
	const [px = 0, py = 0] = point;
	const [ax = 0, ay = 0] = start;
	const [bx = 0, by = 0] = end;
	const dx = bx - ax;
	const dy = by - ay;
	const lengthSquared = dx * dx + dy * dy;
	const t =
		lengthSquared === 0
			? 0
			: Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
	return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Index of the point of `line[from+1 .. to-1]` farthest from the segment `from`–`to`. */
function farthest(line: Position[], from: number, to: number): { index: number; distance: number } {
	let best = { index: -1, distance: -1 };
	for (let i = from + 1; i < to; i++) {
		const distance = distanceToSegment(line[i]!, line[from]!, line[to]!);
		if (distance > best.distance) best = { index: i, distance };
	}
	return best;
}

/**
 * Douglas–Peucker on an open line, keeping both ends. A line with interior points keeps at
 * least its farthest one, so a ring made of two arcs never collapses into a back-and-forth line.
 */
function simplifyOpenLine(line: Position[], tolerance: number): Position[] {
	if (line.length <= 2) return line;
	const last = line.length - 1;
	const keep = new Uint8Array(line.length);
	const forced = farthest(line, 0, last).index;
	keep[0] = keep[forced] = keep[last] = 1;
	const stack: [number, number][] = [
		[0, forced],
		[forced, last]
	];
	while (stack.length > 0) {
		const [from, to] = stack.pop()!;
		const { index, distance } = farthest(line, from, to);
		if (index >= 0 && distance > tolerance) {
			keep[index] = 1;
			stack.push([from, index], [index, to]);
		}
	}
	return line.filter((_, i) => keep[i] === 1);
}

/**
 * Simplifies one arc. A closed arc (a whole ring: an island, or a unit with a single
 * neighbour) is cut at its point farthest from the start, so that it keeps at least five
 * positions and stays a ring.
 */
export function simplifyArc(arc: Position[], tolerance: number): Position[] {
	const first = arc[0];
	const last = arc[arc.length - 1];
	const closed = arc.length > 3 && first?.[0] === last?.[0] && first?.[1] === last?.[1];
	if (!closed) return simplifyOpenLine(arc, tolerance);
	const { index } = farthest(arc, 0, arc.length - 1);
	const head = simplifyOpenLine(arc.slice(0, index + 1), tolerance);
	const tail = simplifyOpenLine(arc.slice(index), tolerance);
	return [...head, ...tail.slice(1)];
}

/** The arcs of a topology as absolute positions (a quantised topology's deltas decoded). */
export function decodeArcs(topology: Topology): Position[][] {
	const transform = topology.transform;
	if (!transform) return topology.arcs.map((arc) => arc.map((position) => [...position]));
	const [sx, sy] = transform.scale;
	const [tx, ty] = transform.translate;
	return topology.arcs.map((arc) => {
		let x = 0;
		let y = 0;
		return arc.map(([dx = 0, dy = 0]) => {
			x += dx;
			y += dy;
			return [x * sx + tx, y * sy + ty];
		});
	});
}

/**
 * A copy of `topology` (not quantised) whose arcs are simplified with `tolerance` degrees;
 * its objects are shared with the original, since arcs keep their indexes.
 */
export function simplifyTopology(topology: Topology, tolerance: number): Topology {
	const simplified: Topology = {
		...topology,
		arcs: decodeArcs(topology).map((arc) => simplifyArc(arc, tolerance))
	};
	// The arcs are now absolute positions, which topojson-client reads when there is no transform.
	delete simplified.transform;
	return simplified;
}
