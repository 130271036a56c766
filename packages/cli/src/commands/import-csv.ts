/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into records keyed by the header.
 * @example parseCsv('a,b\n1,"x,y"\n') // [{ a: "1", b: "x,y" }]
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const nonEmpty = rows.filter((r) => !(r.length === 1 && r[0] === ""));
  const [header, ...body] = nonEmpty;
  if (!header) return [];
  return body.map((cells, n) => {
    if (cells.length !== header.length)
      throw new Error(`record ${n + 1}: ${cells.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h.trim(), cells[k]!]));
  });
}
