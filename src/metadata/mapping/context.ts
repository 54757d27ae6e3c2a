/** Where a mapping is applied, and how its errors name the mapping file and key. */
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import type { SourceTable } from "../sources/types.ts";
import { listColumns } from "./select.ts";

export interface ApplyContext {
  /** The mapping file, for the report and messages. */
  mappingFile?: string;
  /** Folders where side tables and references are looked up: the sources' folders, then the mapping's. */
  baseDirs: string[];
}

export function missingColumn(table: SourceTable, column: string, ctx: ApplyContext, key: string): InputError {
  const files = table.files.map((f) => path.basename(f)).join(", ");
  return new InputError(`the mapping names column ${JSON.stringify(column)}, which ${files} does not have`, mappingWhere(ctx, key), `use one of: ${listColumns(table.columns)}`);
}

export function mappingWhere(ctx: ApplyContext, key: string): string {
  return `${ctx.mappingFile ? path.basename(ctx.mappingFile) : "mapping"}: ${key}`;
}
