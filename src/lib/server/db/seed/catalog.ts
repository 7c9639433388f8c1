import type { SeedCategory } from './types.ts';

/**
 * The sample catalog of a fictional outdoor and home goods shop: six categories of eight
 * products. Each currency has its own price list, set by hand rather than converted. Three
 * products start with 1 to 3 in stock, so the storefront shows its "only N left" state.
 */
export const CATALOG: SeedCategory[] = [
	{
		slug: 'camp-kitchen',
		name: 'Camp Kitchen',
		description: 'Cookware, mugs and coffee gear that pack small and clean up fast.',
		products: [
			{
				slug: 'enamel-camp-mug',
				name: 'Enamel Camp Mug',
				summary: 'A 350 ml steel mug with a glass-hard enamel coat and a rolled rim.',
				description:
					'Pressed from a single sheet of steel and fired twice in porcelain enamel, this mug takes a knock and goes straight onto a low flame. The rolled stainless rim stays cool enough to sip from. It nests inside the Titanium Cook Pot.',
				prices: { USD: 1800, GBP: 1500, EUR: 1700 },
				stock: 140
			},
			{
				slug: 'stovetop-percolator',
				name: 'Stovetop Percolator',
				summary: 'Brews nine cups of strong coffee on a camp stove or a kitchen hob.',
				description:
					'A stainless steel body, a glass view knob and a basket that lifts out for easy emptying. Watch the coffee darken through the knob and pull it off the heat when it looks right. Works on gas, induction and an open grate.',
				prices: { USD: 4900, GBP: 4200, EUR: 4600 },
				stock: 36
			},
			{
				slug: 'folding-spork-set',
				name: 'Folding Spork Set',
				summary: 'Two hinged sporks in anodized aluminum with a silicone carry sleeve.',
				description:
					'Each spork folds to the length of a pen and locks open with a firm click. The bowl is deep enough for soup and the tines are sharp enough for noodles. The set comes in two colors so nobody argues over whose is whose.',
				prices: { USD: 1400, GBP: 1200, EUR: 1300 },
				stock: 200
			},
			{
				slug: 'cast-iron-skillet',
				name: 'Cast Iron Skillet',
				summary: 'A 25 cm pre-seasoned skillet with a helper handle and two pour spouts.',
				description:
					'Cast in one piece and seasoned with flaxseed oil, it is ready for eggs on the first morning. The machined cooking surface is smoother than most and gets better with every fry-up. Heavy on purpose, it holds heat over an uneven campfire.',
				prices: { USD: 6500, GBP: 5400, EUR: 5900 },
				stock: 22
			},
			{
				slug: 'titanium-cook-pot',
				name: 'Titanium Cook Pot',
				summary: 'A 900 ml pot that weighs 120 g and doubles as a mug.',
				description:
					'Titanium is light, strong and never leaves a metallic taste, so this pot works as kettle, bowl and mug. Fold-out handles lock flat against the side and the lid has a strainer edge. A gas canister and a small stove fit inside.',
				prices: { USD: 5800, GBP: 4900, EUR: 5400 },
				stock: 2
			},
			{
				slug: 'pour-over-coffee-cone',
				name: 'Pour-Over Coffee Cone',
				summary: 'A stainless mesh dripper that needs no paper filters.',
				description:
					'The double-layer mesh lets the oils through for a fuller cup and rinses clean in seconds. Three wide arms sit steadily on any mug from 7 to 11 cm across. It packs flat in the lid of a cook pot.',
				prices: { USD: 2600, GBP: 2200, EUR: 2400 },
				stock: 75
			},
			{
				slug: 'collapsible-water-jug',
				name: 'Collapsible Water Jug',
				summary: 'A 10 liter jug with a spigot that folds to the size of a book.',
				description:
					'Food-grade polyethylene with a wide fill cap and a push-button tap for hand washing at camp. Squeeze the air out when it is empty and it folds into its own handle. Fill it at the tap and you have water for a weekend.',
				prices: { USD: 2200, GBP: 1800, EUR: 2100 },
				stock: 60
			},
			{
				slug: 'spice-tin-kit',
				name: 'Spice Tin Kit',
				summary: 'Six screw-top tins in a canvas roll for salt, pepper and favorites.',
				description:
					'Each aluminum tin has a sifter insert and a label you can write on. The waxed canvas roll keeps them upright in a pack and wipes clean after a spill. Bring the spices you cook with at home.',
				prices: { USD: 2400, GBP: 1950, EUR: 2250 },
				stock: 48
			}
		]
	},
	{
		slug: 'packs-and-bags',
		name: 'Packs & Bags',
		description: 'Daypacks, duffels and dry bags for the commute, the trail and the weekend away.',
		products: [
			{
				slug: 'waxed-canvas-daypack',
				name: 'Waxed Canvas Daypack',
				summary: 'A 22 liter daypack in waxed cotton with leather straps and a padded sleeve.',
				description:
					'The heavy cotton canvas is waxed by hand, so it sheds rain and softens into its own shape over the years. A padded sleeve takes a 15-inch laptop and a side pocket holds a bottle. Rewax it once a season and it will outlast you.',
				prices: { USD: 14500, GBP: 12500, EUR: 13900 },
				stock: 28
			},
			{
				slug: 'roll-top-dry-bag',
				name: 'Roll-Top Dry Bag',
				summary: 'A 20 liter waterproof bag with welded seams and a shoulder strap.',
				description:
					'Roll the top three times, clip the buckle and the contents stay dry through a capsize. The seams are welded rather than stitched, so there are no holes for water to find. A detachable strap turns it into a beach bag.',
				prices: { USD: 3400, GBP: 2900, EUR: 3200 },
				stock: 90
			},
			{
				slug: 'trail-hip-pack',
				name: 'Trail Hip Pack',
				summary: 'A 3 liter hip pack with a bottle holster and a zipped phone pocket.',
				description:
					'Big enough for a jacket, snacks and keys, small enough to forget it is there. The wide belt spreads the weight across the hips and does not bounce on a jog. Wear it across the body for city days.',
				prices: { USD: 4200, GBP: 3600, EUR: 3900 },
				stock: 55
			},
			{
				slug: 'weekender-duffel',
				name: 'Weekender Duffel',
				summary: 'A 45 liter duffel that fits airline cabin limits, with a shoe compartment.',
				description:
					'The end pocket keeps muddy boots away from clean clothes, and the wide U-shaped opening lets you see everything at once. Padded grab handles and a removable shoulder strap make it easy to carry. It meets most carry-on size rules.',
				prices: { USD: 16800, GBP: 14500, EUR: 15900 },
				stock: 14
			},
			{
				slug: 'map-pocket-tote',
				name: 'Map Pocket Tote',
				summary: 'A canvas tote with an outside pocket sized for a folded map.',
				description:
					'Heavy canvas, long handles that fit over a coat and a zipped inside pocket for a wallet. The outside pocket fits a folded map, a paperback or a tablet. It stands up on its own at the market.',
				prices: { USD: 5200, GBP: 4400, EUR: 4900 },
				stock: 66
			},
			{
				slug: 'ridge-40-backpack',
				name: 'Ridge 40 Backpack',
				summary: 'A 40 liter trekking pack with an adjustable back and a rain cover.',
				description:
					'The back length adjusts in a minute to fit torsos from 40 to 52 cm, and the mesh panel keeps air moving. Hip belt pockets hold snacks and a phone within reach. The rain cover stows in its own base pocket.',
				prices: { USD: 21900, GBP: 18500, EUR: 20900 },
				stock: 3
			},
			{
				slug: 'packing-cube-trio',
				name: 'Packing Cube Trio',
				summary: 'Three zipped cubes in small, medium and large that keep a bag in order.',
				description:
					'Mesh tops show what is inside and a compression zip squeezes out the air. Use one for shirts, one for underwear and one for the charger tangle. They nest together when you are not traveling.',
				prices: { USD: 3900, GBP: 3300, EUR: 3600 },
				stock: 120
			},
			{
				slug: 'stuff-sack-set',
				name: 'Stuff Sack Set',
				summary: 'Four drawstring sacks from 2 to 12 liters, each in its own color.',
				description:
					'Light ripstop nylon with a toggle drawcord and a grab loop at the base. The colors let you find the first-aid kit without emptying the pack. Each sack folds into the smallest one.',
				prices: { USD: 2900, GBP: 2400, EUR: 2700 },
				stock: 85
			}
		]
	},
	{
		slug: 'lighting',
		name: 'Lighting',
		description: 'Lanterns, lamps and candles for the campsite, the porch and the power cut.',
		products: [
			{
				slug: 'brass-oil-lantern',
				name: 'Brass Oil Lantern',
				summary: 'A hurricane lantern in solid brass that burns for 20 hours on a fill.',
				description:
					'A cotton wick, a glass chimney and a wind guard give a steady flame on a breezy porch. The brass darkens to a warm patina, or polishes bright if you prefer. It burns paraffin or lamp oil.',
				prices: { USD: 8800, GBP: 7400, EUR: 8200 },
				stock: 19
			},
			{
				slug: 'rechargeable-camp-lantern',
				name: 'Rechargeable Camp Lantern',
				summary: 'A 400 lumen LED lantern that also charges a phone over USB-C.',
				description:
					'Turn the dial from a soft glow to full brightness; on the lowest setting it runs for three nights. A hook on the base hangs it from a tent ceiling. The battery charges a phone in a pinch.',
				prices: { USD: 5900, GBP: 4900, EUR: 5500 },
				stock: 64
			},
			{
				slug: 'trail-headlamp',
				name: 'Trail Headlamp',
				summary: 'A 300 lumen headlamp with a red mode and a tilting beam.',
				description:
					'The lamp tilts through 60 degrees so you can light the trail or the map in your hands. Red mode keeps your night vision and does not wake the tent. It weighs 70 g with the rechargeable battery.',
				prices: { USD: 4500, GBP: 3800, EUR: 4200 },
				stock: 110
			},
			{
				slug: 'string-light-garland',
				name: 'String Light Garland',
				summary: 'Ten meters of warm LED bulbs on a weatherproof cable.',
				description:
					'Twenty shatterproof bulbs give off a warm, even light that suits a garden table or a tent porch. The cable is rated for outdoor use all year. Link up to three strings from one plug.',
				prices: { USD: 3600, GBP: 2900, EUR: 3400 },
				stock: 72
			},
			{
				slug: 'beeswax-pillar-candle',
				name: 'Beeswax Pillar Candle',
				summary: 'A hand-poured beeswax pillar that burns for 60 hours with a honey scent.',
				description:
					'Poured from pure beeswax and a cotton wick, it burns cleanly and drips very little. The natural wax smells faintly of honey without any added fragrance. Trim the wick to 5 mm before each lighting.',
				prices: { USD: 2200, GBP: 1800, EUR: 2000 },
				stock: 150
			},
			{
				slug: 'solar-path-light',
				name: 'Solar Path Lights',
				summary: 'A set of four stake lights that charge by day and glow all night.',
				description:
					'Each light charges in the sun and switches itself on at dusk. The steel stakes push into soft ground without tools. They last through a summer night after a cloudy day.',
				prices: { USD: 6400, GBP: 5200, EUR: 5900 },
				stock: 40
			},
			{
				slug: 'pocket-flashlight',
				name: 'Pocket Flashlight',
				summary: 'A 500 lumen aluminum flashlight the size of a lipstick.',
				description:
					'Machined from one bar of aluminum with a pocket clip and a magnetic tail that sticks to a car door. Three brightness levels and a strobe cycle through one button. It charges over USB-C.',
				prices: { USD: 3200, GBP: 2700, EUR: 2900 },
				stock: 95
			},
			{
				slug: 'brass-tea-light-holder',
				name: 'Brass Tea Light Holder',
				summary: 'A spun brass holder that throws a ring of light onto the table.',
				description:
					'A ring of cut-outs in the spun brass casts a pattern of light across the table. Its weighted base sits steady on a picnic blanket. Each one is finished by hand, so no two patinas match.',
				prices: { USD: 1900, GBP: 1600, EUR: 1800 },
				stock: 1
			}
		]
	},
	{
		slug: 'sleep',
		name: 'Sleep',
		description: 'Quilts, blankets, pads and pillows for a good night under canvas or at home.',
		products: [
			{
				slug: 'down-camp-quilt',
				name: 'Down Camp Quilt',
				summary: 'An 800 fill power down quilt rated to 2 °C that packs to the size of a loaf.',
				description:
					'Responsibly sourced goose down in baffled channels keeps the warmth spread evenly. Snap the foot box closed on cold nights or open it out as a blanket in summer. It weighs 620 g with its stuff sack.',
				prices: { USD: 27900, GBP: 23500, EUR: 25900 },
				stock: 12
			},
			{
				slug: 'wool-camp-blanket',
				name: 'Wool Camp Blanket',
				summary: 'A thick lambswool blanket in a classic stripe, woven in a small mill.',
				description:
					'Dense lambswool stays warm even when the evening air turns damp. Throw it over a sleeping bag, a sofa or a pair of shoulders by the fire. The blanket stitch edge will not fray.',
				prices: { USD: 11900, GBP: 9800, EUR: 10900 },
				stock: 33
			},
			{
				slug: 'inflatable-camp-pillow',
				name: 'Inflatable Camp Pillow',
				summary: 'A curved pillow that inflates in three breaths and packs to fist size.',
				description:
					'The curved shape cradles the neck, and a brushed cover keeps it quiet against your cheek. A two-way valve lets you fine-tune the firmness. It packs into a pocket the size of a fist.',
				prices: { USD: 3400, GBP: 2800, EUR: 3100 },
				stock: 130
			},
			{
				slug: 'three-season-sleeping-bag',
				name: 'Three-Season Sleeping Bag',
				summary: 'A synthetic mummy bag with a comfort rating of 0 °C.',
				description:
					'Synthetic fill keeps its warmth when damp, which matters on a wet spring trip. A draft collar and a shaped hood hold heat in, and the zip has an anti-snag guard. It compresses to 18 by 30 cm.',
				prices: { USD: 22900, GBP: 18900, EUR: 20900 },
				stock: 17
			},
			{
				slug: 'foam-sleeping-pad',
				name: 'Foam Sleeping Pad',
				summary: 'A folding closed-cell foam pad that cannot puncture.',
				description:
					'The egg-crate surface traps warm air and the reflective side bounces heat back at you. It folds into a zig-zag that straps to the outside of a pack. Use it as a seat at lunch and a bed at night.',
				prices: { USD: 4900, GBP: 3900, EUR: 4500 },
				stock: 58
			},
			{
				slug: 'double-hammock',
				name: 'Double Hammock',
				summary: 'A parachute nylon hammock for two, with tree straps included.',
				description:
					'Soft, breathable nylon holds up to 200 kg and dries quickly after a shower. The tree straps have twenty loops each, so hanging it takes a minute and no knots. It packs into its own attached pouch.',
				prices: { USD: 8900, GBP: 7500, EUR: 8200 },
				stock: 26
			},
			{
				slug: 'linen-pillowcase-pair',
				name: 'Linen Pillowcase Pair',
				summary: 'Two stone-washed linen pillowcases that soften with every wash.',
				description:
					'Pure flax linen stays cool in summer and draws moisture away on warm nights. Stone-washing gives it a relaxed, lived-in feel from the first night. An envelope closure keeps the pillow in place.',
				prices: { USD: 6800, GBP: 5600, EUR: 6200 },
				stock: 44
			},
			{
				slug: 'merino-sleep-socks',
				name: 'Merino Sleep Socks',
				summary: 'Loose-knit merino socks that keep feet warm without squeezing.',
				description:
					'Fine merino wool keeps feet warm on a cold tent floor and does not hold odor. The loose cuff leaves no marks on the ankles. They wash on a wool cycle.',
				prices: { USD: 2600, GBP: 2100, EUR: 2400 },
				stock: 180
			}
		]
	},
	{
		slug: 'table-and-kitchen',
		name: 'Table & Kitchen',
		description: 'Stoneware, linen and wood for everyday meals and long lunches.',
		products: [
			{
				slug: 'stoneware-dinner-plate',
				name: 'Stoneware Dinner Plate',
				summary: 'A 27 cm stoneware plate with a speckled glaze and a raw clay rim.',
				description:
					'Thrown in a family pottery and glazed in an oatmeal speckle that hides everyday scratches. The unglazed rim shows the warm color of the clay underneath. It goes in the dishwasher, the oven and the microwave.',
				prices: { USD: 3200, GBP: 2600, EUR: 2900 },
				stock: 96
			},
			{
				slug: 'linen-tea-towel',
				name: 'Linen Tea Towel',
				summary: 'A checked linen towel that dries glasses without leaving lint.',
				description:
					'Linen absorbs more water than cotton and dries faster, so the towel never smells damp. The woven check and hanging loop suit any kitchen. It gets softer with every wash.',
				prices: { USD: 1800, GBP: 1400, EUR: 1600 },
				stock: 160
			},
			{
				slug: 'walnut-serving-board',
				name: 'Walnut Serving Board',
				summary: 'A long walnut board for bread, cheese and anything in between.',
				description:
					'Cut from a single piece of black walnut and finished with food-safe oil. It is long enough for a loaf and a wedge of cheese side by side. A leather loop hangs it on the wall when it is not on the table.',
				prices: { USD: 7800, GBP: 6400, EUR: 7200 },
				stock: 23
			},
			{
				slug: 'glazed-pasta-bowl',
				name: 'Glazed Pasta Bowl',
				summary: 'A wide, shallow bowl in a deep green glaze for pasta, salads and stews.',
				description:
					'The wide, shallow shape cools pasta just enough and leaves room for a fork to twirl. A deep green glaze pools darker where the walls curve. Stack a set of four in the space of two plates.',
				prices: { USD: 2900, GBP: 2400, EUR: 2700 },
				stock: 88
			},
			{
				slug: 'stoneware-teapot',
				name: 'Stoneware Teapot',
				summary: 'A one liter teapot with a steel infuser and a drip-free spout.',
				description:
					'The thick stoneware walls keep a pot hot through a second cup. The removable steel infuser lets leaves unfurl and lifts out before the tea stews. Its spout is cut sharp, so it pours without dribbling.',
				prices: { USD: 6900, GBP: 5800, EUR: 6400 },
				stock: 15
			},
			{
				slug: 'linen-apron',
				name: 'Linen Apron',
				summary: 'A heavy linen apron with cross-back straps and two deep pockets.',
				description:
					'The cross-back straps take the weight off the neck during a long afternoon of baking. Heavyweight linen shrugs off flour and splashes and washes clean. Two deep pockets hold a thermometer and a towel.',
				prices: { USD: 5400, GBP: 4500, EUR: 4900 },
				stock: 41
			},
			{
				slug: 'glass-carafe',
				name: 'Glass Carafe',
				summary: 'A one liter borosilicate carafe with a tumbler that doubles as a lid.',
				description:
					'Thin, heat-resistant borosilicate glass is light to lift and easy to clean. The tumbler sits upside down on the neck to keep dust out overnight. Use it for water by the bed or wine on the table.',
				prices: { USD: 3800, GBP: 3100, EUR: 3500 },
				stock: 52
			},
			{
				slug: 'olive-wood-spoon',
				name: 'Olive Wood Spoon',
				summary: 'A hand-carved olive wood spoon for stirring, tasting and serving.',
				description:
					'Olive wood is dense and tight-grained, so it resists stains and does not scratch pans. Each spoon is carved from pruned branches, and the grain makes every one different. Rub it with oil now and then.',
				prices: { USD: 1600, GBP: 1300, EUR: 1500 },
				stock: 124
			}
		]
	},
	{
		slug: 'garden',
		name: 'Garden',
		description: 'Hand tools, planters and watering gear for beds, balconies and window sills.',
		products: [
			{
				slug: 'ash-handled-trowel',
				name: 'Ash-Handled Trowel',
				summary: 'A stainless steel trowel with a depth scale and a smooth ash handle.',
				description:
					'The polished stainless blade slides through heavy soil and wipes clean. A depth scale stamped on the blade takes the guesswork out of planting bulbs. The ash handle is oiled, not varnished, so it will not blister your palm.',
				prices: { USD: 2800, GBP: 2300, EUR: 2600 },
				stock: 77
			},
			{
				slug: 'galvanized-watering-can',
				name: 'Galvanized Watering Can',
				summary: 'A 7 liter steel can with a long spout and a brass rose.',
				description:
					'Hot-dip galvanizing stops rust, so the can lives outside all year. The long spout reaches the back of a border, and the brass rose gives a gentle shower for seedlings. Remove the rose for a steady stream into pots.',
				prices: { USD: 5600, GBP: 4500, EUR: 5200 },
				stock: 30
			},
			{
				slug: 'bypass-pruners',
				name: 'Bypass Pruners',
				summary: 'Forged steel pruners that cut stems up to 20 mm cleanly.',
				description:
					'The bypass blades cut like scissors, which leaves a clean wound that heals fast. Every part can be replaced, from the spring to the blade. A one-handed catch locks them shut for the pocket.',
				prices: { USD: 4400, GBP: 3600, EUR: 4100 },
				stock: 63
			},
			{
				slug: 'terracotta-planter',
				name: 'Terracotta Planter',
				summary: 'A 20 cm frost-resistant terracotta pot with a matching saucer.',
				description:
					'Fired hot enough to survive a frost, this planter lets roots breathe through its unglazed walls. The saucer catches the drips on a window sill or a deck. It develops a soft white bloom with age.',
				prices: { USD: 3400, GBP: 2700, EUR: 3100 },
				stock: 45
			},
			{
				slug: 'cedar-raised-bed',
				name: 'Cedar Raised Bed',
				summary: 'A 120 by 60 cm cedar bed that slots together without screws.',
				description:
					'Western red cedar resists rot without any treatment, so it is safe for vegetables. The boards slot into corner posts, and it goes together in ten minutes. Stack a second kit on top for a deeper bed.',
				prices: { USD: 24900, GBP: 19900, EUR: 22900 },
				stock: 8
			},
			{
				slug: 'seed-starting-tray',
				name: 'Seed Starting Tray',
				summary: 'A reusable 24-cell tray with a clear humidity dome.',
				description:
					'Thick plastic cells pop seedlings out without tearing the roots, year after year. The vented dome keeps the soil moist until the first leaves show. It fits a standard window sill.',
				prices: { USD: 2400, GBP: 1900, EUR: 2200 },
				stock: 105
			},
			{
				slug: 'leather-garden-gloves',
				name: 'Leather Garden Gloves',
				summary: 'Goatskin gloves that stop thorns and still let you feel a seed.',
				description:
					'Goatskin is thin and supple but tough enough for roses and brambles. Long cuffs protect the wrists when you reach into a hedge. They soften to the shape of your hands.',
				prices: { USD: 3200, GBP: 2600, EUR: 2900 },
				stock: 70
			},
			{
				slug: 'copper-plant-mister',
				name: 'Copper Plant Mister',
				summary: 'A copper-plated mister that sprays a fine cloud over ferns and orchids.',
				description:
					'The brass pump gives a fine, even mist that settles on the leaves rather than soaking the soil. It holds 300 ml, enough for a room of houseplants. Leave it out on the shelf; it looks the part.',
				prices: { USD: 3900, GBP: 3200, EUR: 3600 },
				stock: 38
			}
		]
	}
];
