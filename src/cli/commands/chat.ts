import { Command } from "commander";
import { createInterface } from "node:readline/promises";
import { ChatEngine } from "../../chat/engine.ts";
import { newConversation } from "../../chat/conversation.ts";
import { loadEngine } from "../../recommend/engine.ts";
import { createJsonGenerator, type LlmFlags } from "../../llm/llm-config.ts";
import { InputError } from "../../util/errors.ts";
import { action } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { addLlmChatOptions } from "../llm-options.ts";

export function chatCommand(): Command {
  const cmd = new Command("chat").description("talk to hporec in the terminal (the same chat engine as POST /v1/chat)").option("--pack <dir>", PACK_HELP);
  addLlmChatOptions(cmd);
  return cmd
    .addHelpText("after", '\nThen type e.g. "5,000 dermoscopy images, 7 classes, 224 px", "what if I only have one GPU-hour?", "why this learning rate?". Ctrl-D quits.')
    .action(
      action(async (o: LlmFlags & { pack?: string; llmTimeoutMs: number }) => {
        const generator = createJsonGenerator(o);
        const engine = await loadEngine(resolvePackDir(o.pack));
        const chat = new ChatEngine(engine, { llm: generator && { generator, timeoutMs: o.llmTimeoutMs } });
        const conv = newConversation("terminal");
        const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
        process.stdout.write('hporec chat — describe your dataset, or ask "which hyperparameters matter?" (Ctrl-D to quit)\n');
        rl.setPrompt("> ");
        rl.prompt();
        try {
          for await (const raw of rl) {
            const line = raw.trim();
            if (line) {
              try {
                const r = await chat.reply(conv, line);
                process.stdout.write(`${r.reply}\n\n`);
              } catch (e) {
                if (!(e instanceof InputError)) throw e;
                process.stdout.write(`${e.describe()}\n\n`);
              }
            }
            rl.prompt();
          }
        } finally {
          rl.close();
          await generator?.dispose();
        }
      }),
    );
}
