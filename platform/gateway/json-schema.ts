/**
 * fastest-validator rules → JSON Schema (the OpenAPI 3.0 dialect), so the
 * documentation of an action is its validation schema and cannot drift from
 * it. Rules without a JSON Schema equivalent (custom checks) become `{}`:
 * documented as "anything", still enforced by the validator.
 */
export type JsonSchema = Record<string, unknown>;

type Rule = Record<string, unknown>;

/** Expands the string shorthand "string|min:3|optional" into a rule object. */
export function ruleObject(rule: unknown): Rule {
  if (typeof rule === "string") {
    const [type, ...options] = rule.split("|");
    const out: Rule = { type };
    for (const option of options) {
      const [key, value] = option.split(":");
      if (value === undefined) out[key] = true;
      else if (value === "true" || value === "false") out[key] = value === "true";
      else if (value !== "" && Number.isFinite(Number(value))) out[key] = Number(value);
      else out[key] = value;
    }
    return out;
  }
  if (Array.isArray(rule)) return { type: "multi", rules: rule };
  if (rule && typeof rule === "object") return rule as Rule;
  return { type: "any" };
}

export function isOptional(rule: unknown): boolean {
  const r = ruleObject(rule);
  return r.optional === true || r.default !== undefined;
}

function patternSource(pattern: unknown): string | undefined {
  if (pattern instanceof RegExp) return pattern.source;
  if (typeof pattern === "string") return pattern;
  return undefined;
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function stringSchema(r: Rule): JsonSchema {
  const s: JsonSchema = { type: "string" };
  const length = num(r.length);
  if (length !== undefined) Object.assign(s, { minLength: length, maxLength: length });
  if (num(r.min) !== undefined) s.minLength = r.min;
  if (num(r.max) !== undefined) s.maxLength = r.max;
  if (r.empty === false && s.minLength === undefined) s.minLength = 1;
  const pattern = patternSource(r.pattern);
  if (pattern) s.pattern = pattern;
  if (Array.isArray(r.enum)) s.enum = r.enum;
  if (r.numeric) s.pattern ??= "^-?[0-9]+(\\.[0-9]+)?$";
  if (r.alpha) s.pattern ??= "^[a-zA-Z]+$";
  if (r.alphanum) s.pattern ??= "^[a-zA-Z0-9]+$";
  if (r.hex) s.pattern ??= "^[0-9a-fA-F]+$";
  return s;
}

function numberSchema(r: Rule): JsonSchema {
  const s: JsonSchema = { type: r.integer ? "integer" : "number" };
  if (num(r.min) !== undefined) s.minimum = r.min;
  if (num(r.max) !== undefined) s.maximum = r.max;
  if (num(r.equal) !== undefined) s.enum = [r.equal];
  if (r.positive) Object.assign(s, { minimum: 0, exclusiveMinimum: true });
  if (r.negative) Object.assign(s, { maximum: 0, exclusiveMaximum: true });
  return s;
}

/** The JSON Schema of an object whose properties are the given rules. */
export function objectSchema(props: Record<string, unknown>, strict: unknown): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, rule] of Object.entries(props)) {
    if (name.startsWith("$$")) continue;
    const r = ruleObject(rule);
    if (r.type === "forbidden") continue;
    properties[name] = toJsonSchema(r);
    if (!isOptional(r)) required.push(name);
  }
  const s: JsonSchema = { type: "object", properties };
  if (required.length) s.required = required;
  // "remove" drops unknown fields silently, so they are allowed; true rejects them.
  if (strict === true || strict === "true") s.additionalProperties = false;
  return s;
}

export function toJsonSchema(rule: unknown): JsonSchema {
  const r = ruleObject(rule);
  let s: JsonSchema;
  switch (r.type) {
    case "string":
      s = stringSchema(r);
      break;
    case "number":
      s = numberSchema(r);
      break;
    case "boolean":
      s = { type: "boolean" };
      break;
    case "email":
      s = { type: "string", format: "email" };
      if (num(r.min) !== undefined) s.minLength = r.min;
      if (num(r.max) !== undefined) s.maxLength = r.max;
      break;
    case "url":
      s = { type: "string", format: "uri" };
      if (num(r.min) !== undefined) s.minLength = r.min;
      if (num(r.max) !== undefined) s.maxLength = r.max;
      break;
    case "uuid":
      s = { type: "string", format: "uuid" };
      break;
    case "date":
      s = { type: "string", format: "date-time" };
      break;
    case "objectID":
      s = { type: "string", pattern: "^[0-9a-fA-F]{24}$" };
      break;
    case "enum":
      s = Array.isArray(r.values) ? { enum: r.values } : {};
      if (Array.isArray(r.values) && r.values.every((v) => typeof v === "string")) s.type = "string";
      break;
    case "equal":
      s = { enum: [r.value] };
      break;
    case "array":
      s = { type: "array", items: r.items === undefined ? {} : toJsonSchema(r.items) };
      if (num(r.min) !== undefined) s.minItems = r.min;
      if (num(r.max) !== undefined) s.maxItems = r.max;
      if (num(r.length) !== undefined) Object.assign(s, { minItems: r.length, maxItems: r.length });
      if (r.empty === false && s.minItems === undefined) s.minItems = 1;
      if (r.unique) s.uniqueItems = true;
      if (Array.isArray(r.enum)) s.items = { ...(s.items as JsonSchema), enum: r.enum };
      break;
    case "object": {
      const props = (r.props ?? r.properties) as Record<string, unknown> | undefined;
      s = props ? objectSchema(props, r.strict) : { type: "object" };
      if (num(r.minProps) !== undefined) s.minProperties = r.minProps;
      if (num(r.maxProps) !== undefined) s.maxProperties = r.maxProps;
      break;
    }
    case "record":
      s = { type: "object", additionalProperties: r.value === undefined ? {} : toJsonSchema(r.value) };
      break;
    case "tuple":
      s = { type: "array" };
      if (Array.isArray(r.items)) Object.assign(s, { minItems: r.items.length, maxItems: r.items.length });
      break;
    case "multi":
      s = Array.isArray(r.rules) ? { oneOf: r.rules.map(toJsonSchema) } : {};
      break;
    default:
      // any, custom, function, ...: the validator checks it, JSON Schema cannot say how.
      s = {};
  }
  if (r.nullable === true) s.nullable = true;
  if (r.default !== undefined && typeof r.default !== "function") s.default = r.default;
  if (typeof r.description === "string") s.description = r.description;
  return s;
}
