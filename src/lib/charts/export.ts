/**
 * Exports of what is on screen: SVG and PNG of charts (with their title and source line), CSV
 * of tables, and downloads. Browser only (canvas, Blob, object URLs).
 */
import { csvFormatRows } from 'd3-dsv';

/** The SVG element's markup as a standalone file (namespaces added, as browsers need). */
export function svgMarkup(svg: SVGSVGElement): string {
	const copy = svg.cloneNode(true) as SVGSVGElement;
	copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
	copy.setAttribute('xmlns:xlink', 'http://www.w3.org/1999/xlink');
	return new XMLSerializer().serializeToString(copy);
}

/** Saves a blob under a file name, the way a link with `download` does. */
export function downloadBlob(blob: Blob, fileName: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = fileName;
	document.body.append(link);
	link.click();
	link.remove();
	// Revoked after the click has been handled, or some browsers save an empty file.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** CSV text (RFC 4180, via d3-dsv) of a header and rows; null cells are empty, never 0. */
export function csvText(
	header: readonly string[],
	rows: readonly (readonly (string | number | null)[])[]
): string {
	return csvFormatRows([
		[...header],
		...rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell))))
	]);
}

/** Downloads CSV text with a byte-order mark, so spreadsheet programs read Khmer as UTF-8. */
export function downloadCsv(text: string, fileName: string): void {
	downloadBlob(new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' }), fileName);
}

/** An image element loaded from a URL (an SVG blob or a canvas data URL). */
function loadImage(url: string): Promise<HTMLImageElement> {
	return new Promise((resolve, reject) => {
		const image = new Image();
		image.onload = () => resolve(image);
		image.onerror = () => reject(new Error('the image could not be drawn'));
		image.src = url;
	});
}

/** Frame drawn around an exported picture: title above, source line below. */
export interface PictureFrame {
	title: string;
	subtitle?: string;
	source: string;
	/** Drawn under the picture, above the source (a map's legend), in its own height. */
	footer?: { height: number; draw: (context: CanvasRenderingContext2D, top: number) => void };
}

const PADDING = 16;
const TITLE_FONT = '600 18px system-ui, "Noto Sans Khmer", sans-serif';
const TEXT_FONT = '13px system-ui, "Noto Sans Khmer", sans-serif';

/**
 * A PNG of a picture (an image of `width` × `height` CSS pixels) in its frame, at `scale`
 * device pixels per CSS pixel. Text is drawn by the 2D canvas, which shapes Khmer correctly.
 */
export async function framedPng(
	picture: CanvasImageSource,
	width: number,
	height: number,
	frame: PictureFrame,
	scale = 2
): Promise<Blob> {
	const titleHeight = frame.subtitle ? 52 : 32;
	const footerHeight = frame.footer?.height ?? 0;
	const sourceHeight = 24;
	const canvas = document.createElement('canvas');
	const fullHeight = PADDING + titleHeight + height + footerHeight + sourceHeight + PADDING;
	canvas.width = Math.round((width + 2 * PADDING) * scale);
	canvas.height = Math.round(fullHeight * scale);
	const context = canvas.getContext('2d');
	if (!context) throw new Error('this browser cannot draw images');
	context.scale(scale, scale);
	context.fillStyle = '#ffffff';
	context.fillRect(0, 0, width + 2 * PADDING, fullHeight);
	context.fillStyle = '#1f2933';
	context.textBaseline = 'top';
	context.font = TITLE_FONT;
	context.fillText(frame.title, PADDING, PADDING);
	if (frame.subtitle) {
		context.font = TEXT_FONT;
		context.fillStyle = '#5b6670';
		context.fillText(frame.subtitle, PADDING, PADDING + 26);
	}
	const top = PADDING + titleHeight;
	context.drawImage(picture, PADDING, top, width, height);
	frame.footer?.draw(context, top + height);
	context.font = TEXT_FONT;
	context.fillStyle = '#5b6670';
	context.fillText(frame.source, PADDING, top + height + footerHeight + 6);
	return new Promise((resolve, reject) =>
		canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png')
	);
}

/** A PNG of an SVG chart in its frame. */
export async function svgPng(svg: SVGSVGElement, frame: PictureFrame, scale = 2): Promise<Blob> {
	const { width, height } = svg.getBoundingClientRect();
	const url = URL.createObjectURL(new Blob([svgMarkup(svg)], { type: 'image/svg+xml' }));
	try {
		const image = await loadImage(url);
		return await framedPng(image, width, height, frame, scale);
	} finally {
		URL.revokeObjectURL(url);
	}
}

export { loadImage };
