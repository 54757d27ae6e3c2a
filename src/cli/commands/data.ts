import { Command } from "commander";

/** `hporec data …`: inspect meta-datasets and describe new datasets. (Filled in by the metadata layer.) */
export function dataCommand(): Command {
  return new Command("data").description("inspect meta-datasets and describe new datasets");
}
