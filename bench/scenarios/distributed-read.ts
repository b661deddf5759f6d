import { runLoad } from "../lib/load";
import { freePort } from "../lib/procs";
import { deploy } from "../lib/shop";
import { fromLoad, ns, productPath, profileFlags, readSpec, reportProfiles, withProcs } from "./common";
import type { Scenario } from "./context";

/** S2: the product read with the gateway and catalog in processes of their own; every read crosses NATS. */
export const s2: Scenario = {
  id: "S2",
  requires: ["nats-server"],
  title: "GET /products/:id, gateway and catalog processes over NATS, every read crosses NATS",
  needs: ["C2"],
  async run(ctx) {
    const d = await deploy({
      layout: [
        // The gateway-side read cache off: this is the hop itself (S2-cache has it on).
        {
          name: "api",
          services: ["api"],
          nodeFlags: profileFlags(ctx, "S2", "api"),
          env: { GATEWAY_CACHE: "false" },
        },
        {
          name: "catalog+inventory",
          services: ["catalog", "inventory"],
          nodeFlags: profileFlags(ctx, "S2", "catalog"),
        },
      ],
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S2"),
      transporter: ctx.natsUrl,
    });
    const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
    reportProfiles(ctx, "S2", ["api", "catalog"], load);
    return fromLoad("S2", this.title, load, "C2");
  },
};

/** S2-cache: S2 as deployed, with the gateway's read cache answering repeated reads. */
export const s2Cache: Scenario = {
  id: "S2-cache",
  requires: ["nats-server"],
  title: "S2 with the gateway-side read cache (production default)",
  needs: ["C2"],
  async run(ctx) {
    const d = await deploy({
      layout: [
        { name: "api-cache", services: ["api"], nodeFlags: profileFlags(ctx, "S2-cache", "api") },
        { name: "catalog-cache", services: ["catalog", "inventory"] },
      ],
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S2-cache"),
      transporter: ctx.natsUrl,
    });
    const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
    reportProfiles(ctx, "S2-cache", ["api"], load);
    return fromLoad("S2-cache", this.title, load, "C2");
  },
};

/** S2-tcp: S2 over Moleculer's TCP transporter, no broker hop. */
export const s2Tcp: Scenario = {
  id: "S2-tcp",
  title: "GET /products/:id, gateway and catalog over Moleculer's TCP transporter",
  needs: ["C2"],
  async run(ctx) {
    const ports = [await freePort(), await freePort()];
    const d = await deploy({
      layout: [
        { name: "api-tcp", services: ["api"] },
        { name: "catalog-tcp", services: ["catalog", "inventory"] },
      ],
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S2-tcp"),
      // Static peers: no UDP discovery, which loopback-only machines may not carry.
      transporter: (ids) => ids.map((id, i) => `tcp://127.0.0.1:${ports[i]}/${id}`).join(","),
    });
    const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
    return fromLoad("S2-tcp", this.title, load, "C2");
  },
};

/** S3: S2 with two catalog + inventory nodes behind the gateway's round-robin. */
export const s3: Scenario = {
  id: "S3",
  requires: ["nats-server"],
  title: "GET /products/:id, gateway and two catalog nodes over NATS, every read crosses NATS",
  needs: ["C2", "S2"],
  async run(ctx) {
    const d = await deploy({
      layout: [
        // As S2 (read cache off), so the two compare: with it on, reads stop at the gateway and never reach a catalog.
        { name: "api-s3", services: ["api"], env: { GATEWAY_CACHE: "false" } },
        { name: "catalog-a", services: ["catalog", "inventory"] },
        { name: "catalog-b", services: ["catalog", "inventory"] },
      ],
      seed: ctx.seed,
      workDir: ctx.workDir,
      logDir: ctx.logDir,
      namespace: ns("S3"),
      transporter: ctx.natsUrl,
    });
    const load = await withProcs(d.nodes, () => runLoad(readSpec(ctx, d.url, productPath(ctx)), ctx.workDir));
    return fromLoad("S3", this.title, load, "C2");
  },
};
