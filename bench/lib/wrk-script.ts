import type { LoadSpec } from "./load-spec";

/**
 * The Lua script wrk runs for a LoadSpec. wrk (C, epoll) is the generator:
 * a Node generator tops out near 15–22k req/s on this kind of machine, below
 * what a bare node:http server answers, so it would be the limit it measures.
 *
 * Without users, the script only sets wrk's one static request (no Lua runs per
 * request: the generator is as fast as wrk gets) and reports wrk's own
 * histogram. With users, wrk runs one thread per user with one connection
 * each, so a user's requests never overlap (a checkout empties the cart the
 * next request fills); the thread cycles through the sequence with the user's
 * token and times each response itself (CLOCK_MONOTONIC through LuaJIT's ffi),
 * so latencies and statuses are kept per route. done() prints one JSON line.
 */

const lua = (v: string) => JSON.stringify(v); // a JSON string is a valid Lua string literal for this content

function headerTable(headers: Record<string, string>): string {
  return `{ ${Object.entries(headers)
    .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
    .join(", ")} }`;
}

function stepHeaders(spec: LoadSpec, index: number, token?: string): Record<string, string> {
  const step = spec.sequence[index];
  const headers: Record<string, string> = { ...step.headers };
  if (step.body !== undefined) headers["Content-Type"] = "application/json";
  if (step.auth && token) headers.Authorization = `Bearer ${token}`;
  return headers;
}

const REPORT = `
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p99":%d,"p999":%d',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
  if #threads > 0 then
    io.write(',"samples":[')
    local first = true
    for _, t in ipairs(threads) do
      for _, line in ipairs(t:get("samples")) do
        io.write(first and '' or ',', '"', line, '"')
        first = false
      end
    end
    io.write(']')
  end
  io.write('}\\n')
end
`;

function staticScript(spec: LoadSpec): string {
  if (spec.sequence.length !== 1) throw new Error("a load without users sends one request");
  const step = spec.sequence[0];
  return [
    `wrk.method = ${lua(step.method)}`,
    `wrk.path = ${lua(step.path)}`,
    `wrk.headers = ${headerTable(stepHeaders(spec, 0))}`,
    step.body === undefined ? "" : `wrk.body = ${lua(JSON.stringify(step.body))}`,
    "threads = {}",
    REPORT,
  ].join("\n");
}

function userScript(spec: LoadSpec, keyPrefix: string): string {
  const users = spec.users!;
  const perUser = users.map((u) => {
    const steps = spec.sequence.map((step, i) => {
      const path = step.path.replace(/\{(\w+)\}/g, (_, name: string) => u.vars?.[name] ?? "");
      const body = step.body === undefined ? "nil" : lua(JSON.stringify(step.body));
      return `{ route = ${lua(step.route)}, method = ${lua(step.method)}, path = ${lua(path)}, headers = ${headerTable(
        stepHeaders(spec, i, u.token),
      )}, body = ${body}, key = ${step.idempotencyKey ? "true" : "false"} }`;
    });
    return `{ ${steps.join(",\n    ")} }`;
  });
  return `
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } agora_timespec; int clock_gettime(int, agora_timespec*); ]]
local ts = ffi.new("agora_timespec")
local function nowUs()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local users = {
  ${perUser.join(",\n  ")}
}
threads = {}
local started = 0
function setup(thread)
  started = started + 1
  thread:set("user", started)
  table.insert(threads, thread)
end

local steps, prebuilt, i, nextStep, sentAt, keys = nil, {}, 0, 1, 0, 0
samples = {}
function init(args)
  steps = users[user]
  for n, s in ipairs(steps) do
    if not s.key then prebuilt[n] = wrk.format(s.method, s.path, s.headers, s.body) end
  end
end

-- The sequence moves on at each response, not at each request(): wrk calls
-- request() once more on its first thread to count requests for pipelining,
-- which made that user start with its second step (a checkout of an empty cart:
-- one 422 per run).
function request()
  i = nextStep
  sentAt = nowUs()
  local s = steps[i]
  if s.key then
    keys = keys + 1
    s.headers["Idempotency-Key"] = ${lua(keyPrefix)} .. user .. "-" .. keys
    return wrk.format(s.method, s.path, s.headers, s.body)
  end
  return prebuilt[i]
end

function response(status, headers, body)
  samples[#samples + 1] = steps[i].route .. " " .. status .. " " .. math.floor(nowUs() - sentAt)
  nextStep = i % #steps + 1
end
${REPORT}`;
}

export function wrkScript(spec: LoadSpec, keyPrefix: string): string {
  return spec.users?.length ? userScript(spec, keyPrefix) : staticScript(spec);
}
