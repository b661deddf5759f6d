import { createHash } from "node:crypto";
import type { NewProduct } from "../../contracts";

/**
 * The id of a seeded demo product, derived from its sku. Replicas that start
 * together on one empty MongoDB all seed it; with the same _id, every insert
 * but the first is refused by the store, so the catalog holds each demo
 * product once.
 */
export function demoProductId(sku: string): string {
  return createHash("sha256").update(`demo-product:${sku}`).digest("hex").slice(0, 24);
}

/** The demo catalog seeded into an empty store (npm run dev, the REPL's `seed`). */
const item = (
  sku: string,
  name: string,
  category: string,
  priceCents: number,
  tags: string[],
  description: string,
): NewProduct => ({
  sku,
  name,
  category,
  priceCents,
  currency: "EUR",
  tags,
  description,
});

export const demoProducts: NewProduct[] = [
  item("MUG-001", "Stoneware Mug", "kitchen", 1400, ["mug", "ceramic"], "A heavy stoneware mug that keeps coffee hot."),
  item(
    "MUG-002",
    "Enamel Camp Mug",
    "kitchen",
    1100,
    ["mug", "outdoor"],
    "Light enamel mug for the trail and the desk.",
  ),
  item("KET-001", "Gooseneck Kettle", "kitchen", 5900, ["kettle", "coffee"], "Pour-over kettle with a precise spout."),
  item(
    "GRN-001",
    "Burr Coffee Grinder",
    "kitchen",
    8900,
    ["coffee", "grinder"],
    "Conical burr grinder with 40 settings.",
  ),
  item(
    "PAN-001",
    "Cast Iron Skillet",
    "kitchen",
    4500,
    ["pan", "cast-iron"],
    "A 26 cm skillet, seasoned and ready to cook.",
  ),
  item(
    "KNF-001",
    "Chef's Knife",
    "kitchen",
    7900,
    ["knife", "steel"],
    "A 20 cm chef's knife forged from carbon steel.",
  ),
  item(
    "BRD-001",
    "Oak Cutting Board",
    "kitchen",
    3500,
    ["board", "wood"],
    "End-grain oak board that is kind to knife edges.",
  ),
  item(
    "TEE-001",
    "Organic Cotton Tee",
    "clothing",
    2500,
    ["shirt", "cotton"],
    "Plain crew-neck tee in organic cotton.",
  ),
  item("HOD-001", "Merino Hoodie", "clothing", 11900, ["hoodie", "wool"], "Warm merino wool hoodie for cold mornings."),
  item(
    "SCK-001",
    "Wool Hiking Socks",
    "clothing",
    1800,
    ["socks", "wool", "outdoor"],
    "Cushioned socks for long walks.",
  ),
  item("CAP-001", "Canvas Cap", "clothing", 2200, ["cap", "canvas"], "Six-panel cap in waxed canvas."),
  item(
    "JKT-001",
    "Rain Shell Jacket",
    "clothing",
    14900,
    ["jacket", "outdoor"],
    "Packable waterproof shell with taped seams.",
  ),
  item(
    "BAG-001",
    "Waxed Canvas Tote",
    "accessories",
    4900,
    ["bag", "canvas"],
    "A tote that carries a laptop and groceries.",
  ),
  item(
    "BAG-002",
    "Roll-top Backpack",
    "accessories",
    9900,
    ["bag", "outdoor"],
    "Weatherproof roll-top backpack, 24 litres.",
  ),
  item("WAL-001", "Leather Card Wallet", "accessories", 3900, ["wallet", "leather"], "Slim wallet for six cards."),
  item("BTL-001", "Insulated Bottle", "accessories", 2900, ["bottle", "outdoor"], "Keeps water cold for 24 hours."),
  item(
    "NTB-001",
    "Dot Grid Notebook",
    "stationery",
    1600,
    ["notebook", "paper"],
    "A5 notebook with 192 dot grid pages.",
  ),
  item("PEN-001", "Brass Pen", "stationery", 3400, ["pen", "brass"], "A brass pen that writes smoothly for years."),
  item("PEN-002", "Fountain Pen", "stationery", 5200, ["pen", "ink"], "Steel-nib fountain pen with a converter."),
  item("INK-001", "Blue-black Ink", "stationery", 1300, ["ink"], "Permanent blue-black ink, 50 ml."),
  item("LMP-001", "Desk Lamp", "home", 6900, ["lamp", "light"], "Adjustable desk lamp with a warm LED."),
  item("CND-001", "Beeswax Candle", "home", 1900, ["candle"], "Hand-poured beeswax candle, 40 hours."),
  item(
    "PLT-001",
    "Terracotta Planter",
    "home",
    2400,
    ["planter", "garden"],
    "Unglazed planter with a drainage saucer.",
  ),
  item("BLK-001", "Wool Throw Blanket", "home", 8900, ["blanket", "wool"], "A soft throw woven from lambswool."),
];
