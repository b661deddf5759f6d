import { parseArgs, parseDuration } from "../../loadgen/args";
import { arrivals } from "../../loadgen/schedule";
import { journeyOf } from "../../loadgen/journeys";

describe("loadgen command line", () => {
  it("reads durations in ms, s, m, h and bare seconds", () => {
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("30")).toBe(30_000);
    expect(() => parseDuration("five")).toThrow(/not a duration/);
    expect(() => parseDuration("0s")).toThrow(/positive/);
  });

  it("parses the documented options and refuses the rest", () => {
    expect(
      parseArgs([
        "--target",
        "http://h:3000/",
        "--rate",
        "50",
        "--duration",
        "5m",
        "--journey",
        "checkout",
        "--json",
        "o.json",
      ]),
    ).toEqual({
      target: "http://h:3000",
      rate: 50,
      durationMs: 300_000,
      journey: "checkout",
      json: "o.json",
      closed: undefined,
      progress: true,
    });
    expect(parseArgs(["--target=http://h", "--closed", "4", "--quiet"])).toMatchObject({
      closed: 4,
      progress: false,
      journey: "mix",
    });
    expect(() => parseArgs(["--rate", "5"])).toThrow(/--target/);
    expect(() => parseArgs(["--target", "http://h", "--rate", "-1"])).toThrow(/--rate/);
    expect(() => parseArgs(["--target", "http://h", "--journey", "shop"])).toThrow(/--journey/);
    expect(() => parseArgs(["--target", "http://h", "--rps", "5"])).toThrow(/unknown option --rps/);
  });

  it("schedules rate × duration arrivals and mixes journeys in exact proportions", () => {
    expect(arrivals(50, 300_000)).toBe(15_000);
    expect(arrivals(0.5, 1000)).toBe(1);
    const mix = Array.from({ length: 100 }, (_, i) => journeyOf("mix", i));
    expect(mix.filter((j) => j === "browse")).toHaveLength(60);
    expect(mix.filter((j) => j === "get")).toHaveLength(20);
    expect(mix.filter((j) => j === "checkout")).toHaveLength(20);
    expect(journeyOf("get", 7)).toBe("get");
  });
});
