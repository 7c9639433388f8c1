/**
 * Draws one SVG per catalog product into `static/art/<slug>.svg`: run `node scripts/draw_art.ts`.
 * Each category has a palette and each product a motif picked by a keyword in its slug. The
 * backdrop and a slight tilt come from a hash of the slug, so the output only changes with the catalog.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG } from '../src/lib/server/db/seed/catalog.ts';

const OUT_DIR = join(import.meta.dirname, '..', 'static', 'art');
const MAX_BYTES = 3072;
const WIDTH = 400;
const HEIGHT = 300;
const GROUND = 236;

interface Palette {
	/** Backdrop behind the object. */
	sky: string;
	/** The sun or moon disc and the far hill. */
	glow: string;
	ground: string;
	main: string;
	second: string;
	accent: string;
	/** Highlights, glass, paper and light. */
	pale: string;
	/** Outlines. */
	ink: string;
}

const PALETTES: Record<string, Palette> = {
	'camp-kitchen': {
		sky: '#f6e7d8',
		glow: '#f2c9a0',
		ground: '#d9b48c',
		main: '#d9622b',
		second: '#3b4a52',
		accent: '#f2b441',
		pale: '#fff8f0',
		ink: '#2b1e16'
	},
	'packs-and-bags': {
		sky: '#e4eadf',
		glow: '#c5d6bd',
		ground: '#a9b993',
		main: '#3f6b4a',
		second: '#b08d57',
		accent: '#e07a3f',
		pale: '#f5f7f2',
		ink: '#1f2a22'
	},
	lighting: {
		sky: '#1f2a44',
		glow: '#33426a',
		ground: '#2c3a5c',
		main: '#f4c152',
		second: '#b8863b',
		accent: '#e8703a',
		pale: '#fff3c4',
		ink: '#0c1120'
	},
	sleep: {
		sky: '#e6e1f0',
		glow: '#d2c8e6',
		ground: '#b9addb',
		main: '#6b5b95',
		second: '#e8a87c',
		accent: '#f6d186',
		pale: '#faf8fd',
		ink: '#2a2340'
	},
	'table-and-kitchen': {
		sky: '#f3e9e1',
		glow: '#ead2c2',
		ground: '#d6b8a3',
		main: '#c2593f',
		second: '#5e7d6b',
		accent: '#e8c07d',
		pale: '#fffbf7',
		ink: '#3a2620'
	},
	garden: {
		sky: '#e3eedc',
		glow: '#cde0c0',
		ground: '#9c7a54',
		main: '#4e8b3a',
		second: '#8fa3ad',
		accent: '#d98b4a',
		pale: '#f6faf2',
		ink: '#22301c'
	}
};

type Motif = (p: Palette, random: () => number) => string;

const rect = (x: number, y: number, w: number, h: number, fill: string, rx = 0) =>
	`<rect x="${x}" y="${y}" width="${w}" height="${h}"${rx ? ` rx="${rx}"` : ''} fill="${fill}"/>`;
const circle = (cx: number, cy: number, r: number, fill: string) =>
	`<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`;
const ellipse = (cx: number, cy: number, rx: number, ry: number, fill: string) =>
	`<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${fill}"/>`;
const path = (d: string, fill = 'none') => `<path d="${d}" fill="${fill}"/>`;
const rotate = (deg: number, cx: number, cy: number, body: string) =>
	`<g transform="rotate(${deg} ${cx} ${cy})">${body}</g>`;
/** Soft light without an outline, for flames, beams and glow. */
const glow = (cx: number, cy: number, r: number, fill: string, opacity = 0.35) =>
	`<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}" stroke="none" opacity="${opacity}"/>`;

const steam = (x: number, y: number) =>
	[0, 22].map((dx) => path(`M${x + dx} ${y}q-8-12 0-24t0-24`)).join('');

const flame = (cx: number, cy: number, p: Palette) =>
	glow(cx, cy, 26, p.pale) +
	path(`M${cx} ${cy - 16}q10 12 0 22q-10-10 0-22z`, p.accent) +
	path(`M${cx} ${cy - 6}q4 6 0 10q-4-4 0-10z`, p.pale);

const sack = (x: number, w: number, h: number, fill: string) =>
	path(
		`M${x} ${GROUND}q-6-${h * 0.6} ${w * 0.2}-${h}h${w * 0.6}q${w * 0.2 + 6} ${h * 0.4} ${w * 0.2} ${h}z`,
		fill
	) + path(`M${x + w * 0.2} ${GROUND - h}l${w * 0.3}-16l${w * 0.3} 16`);

const backpack: Motif = (p, random) => {
	const h = 140 + Math.round(random() * 20);
	const top = GROUND - h;
	return (
		rect(135, top, 130, h, p.main, 34) +
		path(`M135 ${top + 60}q0-60 65-60t65 60z`, p.second) +
		rect(158, top + 86, 84, h - 96, p.pale, 14) +
		path(`M158 ${top + 104}h84`) +
		rect(176, top + 52, 14, 26, p.accent, 3) +
		rect(210, top + 52, 14, 26, p.accent, 3) +
		path(`M180 ${top}q20-30 40 0`)
	);
};

const lantern_cage = (p: Palette, glass: string) =>
	rect(150, 214, 100, 22, p.second, 6) +
	ellipse(200, 160, 42, 56, glass) +
	path('M166 116v92M234 116v92M200 104v6') +
	rect(158, 96, 84, 16, p.second, 6) +
	path('M160 96q40-60 80 0');

/** Drawings by slug keyword; the first keyword found in a slug wins. */
const MOTIFS: [keyword: string, motif: Motif][] = [
	[
		'mug',
		(p) =>
			path('M250 150h16a22 22 0 0 1 0 44h-16', 'none').replace('/>', ' stroke-width="12"/>') +
			rect(150, 126, 104, 110, p.main, 10) +
			rect(150, 126, 104, 14, p.pale, 6) +
			circle(202, 186, 14, p.accent) +
			steam(188, 104)
	],
	[
		'percolator',
		(p) =>
			path('M236 140q30 0 30 40t-26 40', 'none').replace('/>', ' stroke-width="10"/>') +
			path('M168 236l8-110h48l8 110z', p.second) +
			path('M176 150l-36-28q-8-6 2-8l36 10z', p.second) +
			rect(166, 112, 68, 18, p.main, 6) +
			path('M190 112q10-24 20 0', p.pale) +
			path('M180 200h40', 'none')
	],
	[
		'spork',
		(p) => {
			const spork = (deg: number, fill: string) =>
				rotate(
					deg,
					200,
					170,
					rect(192, 150, 16, 96, fill, 8) +
						ellipse(200, 118, 24, 32, fill) +
						path('M190 92v14M200 88v16M210 92v14')
				);
			return spork(-28, p.main) + spork(22, p.accent);
		}
	],
	[
		'skillet',
		(p) =>
			rect(258, 172, 110, 22, p.second, 11) +
			ellipse(190, 184, 100, 52, p.second) +
			ellipse(190, 180, 80, 38, p.ink) +
			ellipse(176, 178, 34, 20, p.pale) +
			circle(180, 176, 11, p.accent) +
			circle(332, 183, 5, p.sky)
	],
	[
		'cook-pot',
		(p) =>
			path('M128 150h-24M272 150h24', 'none').replace('/>', ' stroke-width="10"/>') +
			path('M130 130v92q0 14 14 14h112q14 0 14-14v-92z', p.second) +
			ellipse(200, 130, 70, 14, p.main) +
			rect(188, 106, 24, 14, p.accent, 6) +
			path('M146 180h108', 'none')
	],
	[
		'coffee-cone',
		(p) =>
			rect(160, 170, 80, 66, p.main, 10) +
			path('M140 170h120', 'none') +
			path('M142 100h116l-30 62h-56z', p.second) +
			path('M156 116h88M164 132h72M172 148h56', 'none') +
			path('M200 60v28', 'none')
	],
	[
		'water-jug',
		(p) =>
			rect(140, 106, 120, 130, p.main, 16) +
			path('M140 146h120M140 176h120M140 206h120', 'none') +
			rect(176, 86, 48, 20, p.accent, 6) +
			rect(250, 196, 30, 16, p.pale, 4) +
			path('M268 212v14', 'none')
	],
	[
		'spice-tin',
		(p) =>
			[p.main, p.second, p.accent, p.main]
				.map((fill, i) => {
					const x = 112 + i * 46;
					return rect(x, 160, 40, 76, fill, 6) + rect(x - 3, 150, 46, 14, p.pale, 4);
				})
				.join('') + rect(130, 196, 30, 18, p.pale, 3)
	],
	['daypack', backpack],
	['backpack', backpack],
	[
		'dry-bag',
		(p) =>
			rect(150, 110, 100, 126, p.main, 18) +
			rect(146, 84, 108, 30, p.accent, 10) +
			path('M146 98h108', 'none') +
			rect(186, 72, 28, 18, p.ink, 4) +
			path('M150 150q50 12 100 0', 'none')
	],
	[
		'hip-pack',
		(p) =>
			path('M40 184q60 18 120 2M240 186q60 16 120-2', 'none').replace(
				'/>',
				' stroke-width="10"/>'
			) +
			path('M130 190q0-60 70-60t70 60q0 40-70 40t-70-40z', p.main) +
			path('M138 172q62-22 124 0', 'none') +
			rect(178, 196, 44, 14, p.second, 4)
	],
	[
		'duffel',
		(p) =>
			path('M160 130q40-70 80 0', 'none').replace('/>', ' stroke-width="9"/>') +
			rect(90, 130, 220, 106, p.main, 50) +
			path('M112 138h176', 'none') +
			ellipse(112, 183, 22, 44, p.second) +
			rect(180, 186, 40, 22, p.second, 4)
	],
	[
		'tote',
		(p) =>
			path('M160 120q0-60 40-60t40 60M178 120q0-40 22-40', 'none') +
			path('M130 120h140l-10 116h-120z', p.second) +
			rect(156, 160, 88, 60, p.main, 4) +
			path('M172 150l14 10 14-10 14 10 14-10', p.pale) +
			path('M156 176h88', 'none')
	],
	[
		'packing-cube',
		(p) => {
			const cube = (x: number, y: number, w: number, fill: string) =>
				rect(x, y, w, 40, fill, 10) + path(`M${x + 10} ${y + 12}h${w - 20}`);
			return (
				cube(120, 196, 160, p.main) + cube(134, 156, 132, p.accent) + cube(150, 116, 100, p.second)
			);
		}
	],
	[
		'stuff-sack',
		(p) =>
			sack(92, 70, 70, p.accent) +
			sack(152, 96, 124, p.main) +
			sack(238, 80, 92, p.second) +
			rect(194, 140, 16, 12, p.ink, 3)
	],
	[
		'oil-lantern',
		(p) => glow(200, 160, 90, p.main, 0.25) + lantern_cage(p, p.pale) + flame(200, 170, p)
	],
	[
		'camp-lantern',
		(p) =>
			glow(200, 160, 100, p.main, 0.25) +
			rect(150, 200, 100, 36, p.second, 10) +
			rect(156, 120, 88, 80, p.pale, 8) +
			path('M178 120v80M200 120v80M222 120v80', 'none') +
			rect(150, 96, 100, 26, p.second, 10) +
			path('M176 96q24-40 48 0') +
			circle(200, 218, 7, p.main)
	],
	[
		'headlamp',
		(p) =>
			path('M280 140l90-30v90z', p.pale).replace('/>', ' stroke="none" opacity=".35"/>') +
			ellipse(190, 170, 110, 46, 'none').replace('/>', ' stroke-width="12"/>') +
			ellipse(190, 170, 110, 46, 'none').replace('/>', ` stroke="${p.accent}" stroke-width="5"/>`) +
			rect(220, 130, 64, 62, p.second, 14) +
			circle(262, 161, 20, p.pale) +
			circle(238, 144, 5, p.accent)
	],
	[
		'string-light',
		(p) => {
			// The wire is a quadratic curve whose x is linear in t, so its height at x is exact.
			const bulbs = [56, 106, 156, 206, 256, 306, 350].map((x) => {
				const t = (x - 20) / 360;
				const y = Math.round(80 + 200 * t * (1 - t));
				return (
					glow(x, y + 26, 18, p.main) +
					rect(x - 5, y, 10, 10, p.ink) +
					ellipse(x, y + 24, 11, 15, p.main)
				);
			});
			return path('M20 80q180 100 360 0', 'none') + bulbs.join('');
		}
	],
	[
		'pillar-candle',
		(p) =>
			glow(200, 100, 70, p.main, 0.2) +
			rect(160, 124, 80, 112, p.main, 8) +
			path('M168 140q8 12 0 30', 'none') +
			path('M200 124v-8', 'none') +
			flame(200, 100, p)
	],
	[
		'tea-light',
		(p) =>
			glow(200, 190, 110, p.main, 0.2) +
			path('M130 170h140q-6 66-70 66t-70-66z', p.second) +
			[160, 185, 215, 240].map((x) => circle(x, 196, 6, p.pale)).join('') +
			ellipse(200, 170, 70, 12, p.ink) +
			flame(200, 150, p)
	],
	[
		'path-light',
		(p) => {
			const light = (x: number, y: number) =>
				glow(x, y + 22, 40, p.main) +
				path(`M${x} ${y + 40}V${GROUND + 8}`, 'none') +
				rect(x - 18, y + 10, 36, 30, p.pale, 6) +
				path(`M${x - 26} ${y + 10}l8-16h36l8 16z`, p.glow);
			return light(110, 150) + light(200, 120) + light(290, 160);
		}
	],
	[
		'flashlight',
		(p) =>
			path('M268 120l110-60v130z', p.pale).replace('/>', ' stroke="none" opacity=".3"/>') +
			rotate(
				-14,
				200,
				160,
				rect(100, 140, 130, 40, p.second, 12) +
					rect(226, 128, 46, 64, p.second, 8) +
					rect(268, 134, 8, 52, p.pale, 3) +
					path('M120 136v-10h60v10', 'none')
			)
	],
	[
		'quilt',
		(p) =>
			path('M80 236q-10-60 20-90h200q30 30 20 90z', p.main) +
			path('M96 176q104 14 208 0M90 206q110 16 220 0', 'none') +
			rect(112, 106, 176, 48, p.second, 24) +
			path('M150 110v40M200 110v40M250 110v40', 'none')
	],
	[
		'blanket',
		(p) =>
			[GROUND - 44, GROUND - 88, GROUND - 132]
				.map(
					(y, i) =>
						rect(100 + i * 8, y, 200 - i * 16, 44, p.pale, 10) +
						rect(100 + i * 8, y + 12, 200 - i * 16, 10, i === 1 ? p.accent : p.main) +
						rect(100 + i * 8, y + 26, 200 - i * 16, 6, p.second)
				)
				.join('')
	],
	[
		'camp-pillow',
		(p) =>
			path('M116 150q84 44 168 0l12 50q-96 56-192 0z', p.main) +
			path('M126 172q74 34 148 0', 'none') +
			rect(272, 160, 16, 22, p.accent, 4)
	],
	[
		'pillowcase',
		(p) => {
			const pillow = (x: number, y: number, fill: string) =>
				path(`M${x} ${y}q90-12 180 0q10 25 0 50q-90-12-180 0q-10-25 0-50z`, fill);
			return pillow(110, 184, p.second) + pillow(100, 130, p.main) + path('M250 130v50', 'none');
		}
	],
	[
		'sleeping-bag',
		(p) =>
			rotate(
				-12,
				200,
				180,
				path('M70 150q0-40 50-40h190q40 0 40 40l-10 60q-4 16-30 16h-190q-50 0-50-40z', p.main) +
					ellipse(112, 168, 28, 40, p.ink) +
					ellipse(112, 168, 18, 28, p.second) +
					path('M150 120v106M180 120v106M230 120v106M280 120v106', 'none')
			)
	],
	[
		'sleeping-pad',
		(p) =>
			[0, 1, 2, 3, 4]
				.map((i) => {
					const y = GROUND - 24 - i * 24;
					return rect(110 - (i % 2) * 10, y, 190, 24, i % 2 ? p.main : p.accent, 6);
				})
				.join('') + [140, 170, 200, 230, 260].map((x) => circle(x, 128, 4, p.ink)).join('')
	],
	[
		'hammock',
		(p) =>
			rect(56, 60, 20, 176, p.second) +
			rect(324, 60, 20, 176, p.second) +
			circle(66, 60, 40, p.main) +
			circle(334, 60, 40, p.main) +
			path('M76 120l40 40M324 120l-40 40', 'none') +
			path('M116 160q84 80 168 0q-84 40-168 0z', p.accent)
	],
	[
		'socks',
		(p) => {
			const sock = (x: number, fill: string) =>
				path(`M${x} 90h56v90q0 10 10 14l34 12q18 8 10 26t-30 10l-60-26q-20-8-20-30z`, fill) +
				rect(x - 4, 84, 64, 24, p.pale, 6);
			return sock(110, p.main) + sock(200, p.second);
		}
	],
	[
		'plate',
		(p, random) =>
			ellipse(200, 170, 130, 62, p.ground) +
			ellipse(200, 166, 112, 50, p.pale) +
			ellipse(200, 166, 70, 30, 'none') +
			Array.from({ length: 9 }, () =>
				circle(130 + Math.round(random() * 140), 140 + Math.round(random() * 50), 2, p.ink).replace(
					'/>',
					' stroke="none"/>'
				)
			).join('')
	],
	[
		'tea-towel',
		(p) =>
			rect(100, 60, 200, 12, p.second, 6) +
			path('M200 72v20', 'none') +
			rect(140, 92, 120, 144, p.pale, 6) +
			path('M170 92v144M200 92v144M230 92v144M140 128h120M140 164h120M140 200h120', 'none').replace(
				'/>',
				` stroke="${p.main}" stroke-width="8"/>`
			)
	],
	[
		'serving-board',
		(p) =>
			rect(60, 178, 280, 44, p.second, 14) +
			rect(330, 188, 40, 24, p.second, 10) +
			circle(356, 200, 5, p.sky) +
			path('M90 182q0-50 70-50t70 50z', p.accent) +
			path('M130 160l14-12M160 156l14-12M190 160l14-12', 'none') +
			path('M250 182l70-40v40z', p.pale)
	],
	[
		'pasta-bowl',
		(p) =>
			path('M90 160h220q-10 76-110 76t-110-76z', p.second) +
			ellipse(200, 160, 110, 22, p.ink) +
			path('M150 160q10-24 26-8t26-8 26 8 26-8', p.accent).replace('/>', ' stroke-width="6"/>') +
			circle(224, 150, 8, p.main)
	],
	[
		'teapot',
		(p) =>
			path('M264 160q36 0 30 40t-40 24', 'none').replace('/>', ' stroke-width="10"/>') +
			path('M138 190l-40-48q-6-10 6-8l44 22z', p.main) +
			ellipse(200, 186, 72, 52, p.main) +
			ellipse(200, 136, 40, 10, p.pale) +
			circle(200, 120, 9, p.accent) +
			path('M150 200q50 14 100 0', 'none')
	],
	[
		'apron',
		(p) =>
			path('M170 60l-40 60M230 60l40 60', 'none') +
			path('M160 70h80v40q10 20 40 30v96h-160v-96q30-10 40-30z', p.second) +
			rect(138, 170, 50, 40, p.pale, 6) +
			rect(212, 170, 50, 40, p.pale, 6)
	],
	[
		'carafe',
		(p) =>
			path('M184 96h32v40q54 20 54 60q0 40-70 40t-70-40q0-40 54-60z', p.pale) +
			path('M134 186q66 20 132 0q4 40-66 46t-66-46z', p.main).replace('/>', ' opacity=".55"/>') +
			path('M176 96l-6-40h60l-6 40z', p.glow)
	],
	[
		'spoon',
		(p) =>
			rotate(
				-30,
				200,
				160,
				rect(192, 150, 16, 130, p.second, 8) +
					ellipse(200, 110, 34, 46, p.second) +
					ellipse(200, 110, 22, 32, p.accent) +
					path('M196 170v90', 'none')
			)
	],
	[
		'trowel',
		(p) =>
			rotate(
				24,
				200,
				160,
				path('M200 40q44 40 30 110h-60q-14-70 30-110z', p.second) +
					path('M188 90h10M186 110h12M186 130h12', 'none') +
					rect(194, 150, 12, 24, p.ink) +
					rect(186, 172, 28, 90, p.accent, 12)
			)
	],
	[
		'watering-can',
		(p) =>
			path('M240 110q50 0 50 50', 'none').replace('/>', ' stroke-width="10"/>') +
			path('M150 170l-70-70', 'none').replace('/>', ' stroke-width="14"/>') +
			path('M64 100l16-30 20 20z', p.accent) +
			path('M140 120h110v116h-110z', p.second) +
			ellipse(195, 120, 55, 10, p.pale)
	],
	[
		'pruners',
		(p) =>
			path('M200 140l-40-90q30 10 52 80z', p.second) +
			path('M200 140l40-90q-30 10-52 80z', p.second) +
			path('M196 150l-60 84q-14 10-10-10l56-80z', p.accent) +
			path('M204 150l60 84q14 10 10-10l-56-80z', p.accent) +
			circle(200, 144, 10, p.pale)
	],
	[
		'planter',
		(p) =>
			ellipse(200, 228, 86, 12, p.accent) +
			path('M140 146h120l-14 82h-92z', p.accent) +
			rect(132, 132, 136, 22, p.accent, 4) +
			ellipse(172, 104, 20, 34, p.main) +
			ellipse(228, 104, 20, 34, p.main) +
			ellipse(200, 90, 18, 40, p.main)
	],
	[
		'raised-bed',
		(p) =>
			path('M70 150h260l-30 30h-200z', p.ground) +
			path('M70 150l30 30v56M330 150l-30 30v56', 'none') +
			rect(100, 180, 200, 56, p.accent) +
			path('M100 198h200M100 216h200', 'none') +
			[130, 180, 230, 280].map((x) => ellipse(x - 20, 140, 12, 20, p.main)).join('')
	],
	[
		'seed',
		(p) =>
			path('M90 130q110-90 220 0', p.pale).replace('/>', ' opacity=".6"/>') +
			rect(80, 170, 240, 66, p.second, 8) +
			[0, 1, 2, 3, 4, 5]
				.map((i) => {
					const x = 100 + i * 40;
					return (
						rect(x - 14, 180, 28, 22, p.ground, 4) + path(`M${x} 180v-24l-12-10M${x} 166l12-10`)
					);
				})
				.join('') +
			rect(80, 130, 240, 40, p.pale, 8).replace('/>', ' opacity=".6"/>')
	],
	[
		'gloves',
		(p) => {
			const glove =
				rect(-40, -20, 80, 90, p.accent, 18) +
				[-34, -14, 6, 26].map((x) => rect(x, -70, 16, 64, p.accent, 8)).join('') +
				rotate(-40, -40, 20, rect(-62, -10, 18, 56, p.accent, 9)) +
				rect(-46, 60, 92, 40, p.second, 8);
			return (
				`<g transform="translate(150 150) rotate(-12)">${glove}</g>` +
				`<g transform="translate(250 156) rotate(14) scale(-1 1)">${glove}</g>`
			);
		}
	],
	[
		'mister',
		(p) =>
			path('M200 92l-60-20M204 92l-50 10M204 96l-44 30', 'none').replace(
				'/>',
				' stroke-dasharray="2 10"/>'
			) +
			circle(220, 190, 46, p.accent) +
			rect(204, 110, 32, 50, p.accent, 4) +
			rect(196, 86, 48, 24, p.second, 6) +
			rect(238, 104, 26, 12, p.second, 4)
	]
];

/** FNV-1a over the slug, then mulberry32: a stable stream of numbers in [0, 1) per product. */
function seeded_random(slug: string): () => number {
	let seed = 0x811c9dc5;
	for (const char of slug) seed = Math.imul(seed ^ char.charCodeAt(0), 0x01000193);
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

function escape_xml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function backdrop(p: Palette, random: () => number): string {
	const sun_x = 60 + Math.round(random() * 280);
	const sun_r = 40 + Math.round(random() * 30);
	const hill = 150 + Math.round(random() * 100);
	const rise = GROUND - 30 - Math.round(random() * 30);
	return (
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="${p.sky}"/>` +
		`<circle cx="${sun_x}" cy="80" r="${sun_r}" fill="${p.glow}"/>` +
		`<path d="M0 ${GROUND}Q${hill} ${rise} ${WIDTH} ${GROUND + 4}V${HEIGHT}H0z" fill="${p.glow}"/>` +
		`<rect y="${GROUND}" width="${WIDTH}" height="${HEIGHT - GROUND}" fill="${p.ground}"/>`
	);
}

/** Renders the SVG document of one product. */
function draw_product(slug: string, name: string, category: string): string {
	const palette = PALETTES[category];
	if (!palette) throw new Error(`No palette for category "${category}": add it to PALETTES`);
	const entry = MOTIFS.find(([keyword]) => slug.includes(keyword));
	if (!entry)
		throw new Error(`No motif for product "${slug}": add a keyword from its slug to MOTIFS`);

	const random = seeded_random(slug);
	const tilt = Math.round((random() - 0.5) * 6);
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img">` +
		`<title>${escape_xml(name)}</title>` +
		backdrop(palette, random) +
		`<g stroke="${palette.ink}" stroke-width="4" stroke-linejoin="round" stroke-linecap="round" transform="rotate(${tilt} 200 ${GROUND})">` +
		entry[1](palette, random) +
		'</g></svg>\n'
	);
}

mkdirSync(OUT_DIR, { recursive: true });
const expected = new Set<string>();
let largest = 0;

for (const category of CATALOG) {
	for (const product of category.products) {
		const svg = draw_product(product.slug, product.name, category.slug);
		const bytes = Buffer.byteLength(svg);
		if (bytes > MAX_BYTES) {
			throw new Error(`Artwork for "${product.slug}" is ${bytes} bytes; the limit is ${MAX_BYTES}`);
		}
		largest = Math.max(largest, bytes);
		const file = `${product.slug}.svg`;
		expected.add(file);
		writeFileSync(join(OUT_DIR, file), svg);
	}
}

// Artwork of products removed from the catalog would otherwise stay in the deploy.
for (const file of readdirSync(OUT_DIR)) {
	if (!expected.has(file)) rmSync(join(OUT_DIR, file));
}
console.log(`draw_art: wrote ${expected.size} files to static/art (largest ${largest} bytes)`);
