import ApiGateway from "moleculer-web";
import { moleculerWeb, overriddenMethods } from "../../../platform/patches/moleculer-web/methods";
import { changedSources } from "./canary";
import { versionChecks } from "./canary";

/**
 * Upgrade canary of platform/patches/moleculer-web/ (docs/patches.md): the ApiGateway methods
 * the gateway overrides and calls through to are still there, take the same arguments, and
 * their code is what the overrides were written against (call-action.ts repeats the end of
 * callAction for a cached answer).
 */
versionChecks("moleculer-web");

/** Arity and source hash of each method as moleculer-web 0.11.0 has it. */
const RECORDED: Record<(typeof overriddenMethods)[number], [number, string]> = {
  httpHandler: [3, "d69c68e9b8182176"],
  sendError: [3, "77822fed12f6ef36"],
  logResponse: [3, "fbc51b10ac7b00a0"],
  createAlias: [3, "bdecb9ac8b51ab74"],
  regenerateAutoAliases: [1, "e32d2a0410c7b45a"],
  callAction: [6, "25e61cfb7332debb"],
};

const methods = ApiGateway.methods as Record<string, (...args: unknown[]) => unknown>;

describe("platform/patches/moleculer-web: the upstream code the patches rely on", () => {
  it("every overridden method is moleculer-web's own, with the arguments the overrides pass", () => {
    for (const name of overriddenMethods) {
      expect({ name, same: moleculerWeb[name] === methods[name], arity: methods[name].length }).toEqual({
        name,
        same: true,
        arity: RECORDED[name][0],
      });
    }
  });

  it("their code is unchanged", () => {
    const recorded = Object.fromEntries(Object.entries(RECORDED).map(([name, [, hash]]) => [name, hash]));
    expect(changedSources(recorded, methods)).toEqual([]);
  });

  it("what sendCached calls of the gateway is there: sendResponse(req, res, data, action)", () => {
    expect(typeof methods.sendResponse).toBe("function");
    expect(methods.sendResponse.length).toBe(4);
  });
});
