import fs from "node:fs";
import path from "node:path";
import { verifiedPactFiles } from "./verifications";

describe("every committed pact is verified", () => {
  it("pacts/ holds exactly the files the provider verifications read", () => {
    const committed = fs.readdirSync(path.resolve(__dirname, "../../pacts")).filter((f) => f.endsWith(".json"));
    expect(committed.sort()).toEqual(verifiedPactFiles().sort());
  });
});
