/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | number | undefined> = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === "text") el.textContent = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

/**
 * A labelled <select>. A choice's `title` is its full name where its label is short: the entry's tooltip, and the
 * select's while it is chosen.
 */
export function selectControl(
  id: string,
  label: string,
  choices: readonly { value: string; label: string; title?: string; disabled?: boolean }[],
  value: string,
  onChange: (value: string) => void,
): HTMLElement {
  const select = h("select", { id, name: id });
  for (const c of choices) {
    const o = h("option", { value: c.value, text: c.label, title: c.title, disabled: c.disabled });
    if (c.value === value) {
      o.selected = true;
      if (c.title) select.title = c.title;
    }
    select.append(o);
  }
  select.addEventListener("change", () => onChange(select.value));
  return h("div", { class: "control" }, h("label", { for: id, text: label }), select);
}

/** A labelled checkbox. */
export function checkboxControl(
  id: string,
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLElement {
  const input = h("input", { type: "checkbox", id, name: id });
  input.checked = checked;
  input.addEventListener("change", () => onChange(input.checked));
  return h("div", { class: "control check" }, input, h("label", { for: id, text: label }));
}

/** A fieldset of checkboxes selecting several values; none checked means "all". */
export function multiControl(
  id: string,
  legend: string,
  values: readonly string[],
  selected: readonly string[],
  onChange: (selected: string[]) => void,
): HTMLElement {
  const set = new Set(selected);
  const fs = h(
    "fieldset",
    { class: "multi", id },
    h("legend", { text: `${legend}${set.size === 0 ? " (all)" : ""}` }),
  );
  values.forEach((v, i) => {
    const input = h("input", { type: "checkbox", id: `${id}-${i}`, value: v });
    input.checked = set.has(v);
    input.addEventListener("change", () => {
      const next = values.filter((x, j) => (j === i ? input.checked : set.has(x)));
      onChange(next);
    });
    fs.append(h("span", { class: "opt" }, input, h("label", { for: `${id}-${i}`, text: v })));
  });
  return fs;
}

/** Saves a blob under a file name (through a temporary link). */
export function download(name: string, data: Blob | string): void {
  const url = typeof data === "string" ? data : URL.createObjectURL(data);
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  if (typeof data !== "string") setTimeout(() => URL.revokeObjectURL(url), 1000);
}
