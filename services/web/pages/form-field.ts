import { html, type Html } from "../domain/html";

export interface FieldSpec {
  /** The input's id (the label points at it). */
  id: string;
  name: string;
  label: string;
  /** Shown again after a refused post; never set for passwords and card codes. */
  value?: string | number;
  /** The browser tests' handle. */
  testid: string;
  /** Other attributes: `true` writes a bare attribute (`required`), false or undefined leaves it out. */
  attrs?: Record<string, string | number | boolean | undefined>;
  /** A hint under the input, tied to it with aria-describedby. */
  hint?: string;
}

/** One labelled input of a form, the same markup on every page (its value escaped like any other). */
export function field(spec: FieldSpec): Html {
  const hintId = spec.hint ? `${spec.id}-hint` : undefined;
  const all: NonNullable<FieldSpec["attrs"]> = { ...spec.attrs, "aria-describedby": hintId };
  const attrs = Object.entries(all)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? html` ${k}` : html` ${k}="${v}"`));
  return html`<div class="field">
    <label for="${spec.id}">${spec.label}</label>
    <input
      id="${spec.id}"
      name="${spec.name}"
      ${spec.value !== undefined ? html` value="${spec.value}"` : ""}${attrs}
      data-testid="${spec.testid}"
    />
    ${hintId ? html`<p class="hint" id="${hintId}">${spec.hint}</p>` : ""}
  </div>`;
}
