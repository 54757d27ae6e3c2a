/**
 * Checks real HTTP answers against the served OpenAPI document: the status must be documented for the operation,
 * and a JSON body must validate (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses) against the documented schema.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

type Schema = Record<string, unknown>;
type Operation = { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };
export type OpenApiDoc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

/** Keywords that describe a value without constraining it: a schema made only of these accepts anything. */
const ANNOTATIONS = new Set(["description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment"]);
export const isUnconstrained = (s: unknown): boolean => !!s && typeof s === "object" && Object.keys(s).every((k) => ANNOTATIONS.has(k));

/** Every subschema of `schema` (with its JSON pointer) that accepts any value, $refs followed once. */
export function unconstrainedParts(schema: unknown, components: Record<string, Schema> = {}, at = "", seen = new Set<string>()): string[] {
  if (!schema || typeof schema !== "object") return [];
  if (isUnconstrained(schema)) return [at || "/"];
  const s = schema as Schema;
  if (typeof s.$ref === "string") {
    const name = s.$ref.replace("#/components/schemas/", "");
    if (seen.has(name)) return [];
    return unconstrainedParts(components[name], components, at, new Set([...seen, name]));
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(s)) {
    if (key === "properties" || key === "$defs") for (const [name, sub] of Object.entries(value as Schema)) out.push(...unconstrainedParts(sub, components, `${at}/${key}/${name}`, seen));
    else if (key === "additionalProperties" || key === "items" || key === "not") out.push(...unconstrainedParts(value, components, `${at}/${key}`, seen));
    else if (Array.isArray(value) && ["anyOf", "oneOf", "allOf", "prefixItems"].includes(key)) value.forEach((sub, i) => out.push(...unconstrainedParts(sub, components, `${at}/${key}/${i}`, seen)));
  }
  return out;
}

/**
 * The documented schema as ajv takes it: components become $defs, and every object that lists its properties is
 * closed (unevaluatedProperties: false), so a field the server sends and the document does not name fails too.
 */
function standalone(schema: Schema, components: Record<string, Schema>): Schema {
  const close = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(close);
    if (!v || typeof v !== "object") return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, close(x)]));
    if (o.properties && !("additionalProperties" in o) && !("unevaluatedProperties" in o)) o.unevaluatedProperties = false;
    return o;
  };
  const rebased = JSON.parse(JSON.stringify({ ...schema, $defs: components }).replaceAll('"#/components/schemas/', '"#/$defs/'));
  return close(rebased) as Schema;
}

export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  /** Operations ("GET /v1/explain") and the statuses checked for each. */
  readonly checked = new Map<string, Set<number>>();

  constructor(readonly doc: OpenApiDoc) {}

  get components(): Record<string, Schema> {
    return this.doc.components?.schemas ?? {};
  }

  /** Throws, naming the operation, status and ajv's errors, when an answer is not what the document says. */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
    const op = `${method.toUpperCase()} ${path}`;
    const responses = this.doc.paths[path]?.[method.toLowerCase()]?.responses;
    if (!responses) throw new Error(`${op} is not in the OpenAPI document`);
    const documented = responses[String(status)];
    if (!documented) throw new Error(`${op} answered ${status}, which is not documented (documented: ${Object.keys(responses).join(", ")})`);
    const type = contentType?.split(";")[0].trim();
    if (!documented.content) {
      if (type) throw new Error(`${op} ${status}: documented without a body, answered ${type}`);
    } else if (!type || !documented.content[type]) {
      throw new Error(`${op} ${status}: answered ${type ?? "no content type"}; documented: ${Object.keys(documented.content).join(", ")}`);
    } else if (type === "application/json") this.validate(op, status, documented.content[type].schema ?? {}, body);
    this.checked.set(op, (this.checked.get(op) ?? new Set()).add(status));
  }

  private validate(op: string, status: number, schema: Schema, body: unknown): void {
    const key = `${op} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(standalone(schema, this.components));
      this.validators.set(key, validate);
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 10).map((e) => `  ${e.instancePath || "/"} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ""}`);
      throw new Error(`${op} ${status}: the body does not match the documented schema:\n${errors.join("\n")}`);
    }
  }
}
