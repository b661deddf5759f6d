import fs from "node:fs";
import path from "node:path";
import { verifiedPactFiles } from "./verifications";

const ROOT = path.resolve(__dirname, "../..");

function sourcesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(ROOT, dir, f));
}

/** The actions of other services a service's code calls: `call(ctx, "catalog.get", ...)` or `ctx.call("...")`. */
function calledActions(dir: string, own: string): string[] {
  const called = new Set<string>();
  for (const file of sourcesUnder(dir)) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/\bcall(?:<[^>]*>)?\(\s*(?:[\w.]+\s*,\s*)?"([a-z][\w-]*)\.(\w+)"/g)) {
      if (m[1] !== own) called.add(`${m[1]}.${m[2]}`);
    }
  }
  return [...called].sort();
}

/** The actions `consumer`'s committed pacts have interactions for. */
function pactedActions(consumer: string): Set<string> {
  const pacted = new Set<string>();
  for (const file of fs.readdirSync(path.join(ROOT, "pacts"))) {
    if (!file.startsWith(`${consumer}-`)) continue;
    const pact = JSON.parse(fs.readFileSync(path.join(ROOT, "pacts", file), "utf8")) as {
      messages: { metadata?: { action?: string } }[];
    };
    for (const m of pact.messages) if (m.metadata?.action) pacted.add(m.metadata.action);
  }
  return pacted;
}

describe("every committed pact is verified", () => {
  it("pacts/ holds exactly the files the provider verifications read", () => {
    const committed = fs.readdirSync(path.join(ROOT, "pacts")).filter((f) => f.endsWith(".json"));
    expect(committed.sort()).toEqual(verifiedPactFiles().sort());
  });
});

describe("every call the storefront makes has a pact", () => {
  it("each action services/web calls on another service is an interaction of a web pact", () => {
    const called = calledActions("services/web", "web");
    // The scan itself works: the pages call at least these.
    expect(called).toEqual(expect.arrayContaining(["catalog.get", "users.resolveToken", "orders.checkout"]));
    const pacted = pactedActions("web");
    expect(called.filter((action) => !pacted.has(action))).toEqual([]);
  });
});
