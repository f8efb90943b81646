// A thin wrapper: starts `apig-lint lsp` (stdio) for JSON, JSONC and YAML files. Everything else,
// diagnostics, hover, completion, definition, symbols and quick fixes, comes from the server.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const SECTION = "apig-lint";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function settings() {
  const config = vscode.workspace.getConfiguration(SECTION);
  const path = config.get<string>("path", "apig-lint").trim() || "apig-lint";
  const run = config.get<string>("run", "onType") === "onSave" ? "onSave" : "onType";
  const lang = config.get<string>("lang", "");
  return { path, run, lang };
}

async function start(): Promise<void> {
  const { path, run, lang } = settings();
  const serverOptions: ServerOptions = {
    command: path,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  // An empty `lang` is left out: the server then follows VS Code's display language.
  const initializationOptions: { run: string; lang?: string } = { run };
  if (lang) {
    initializationOptions.lang = lang;
  }
  const clientOptions: LanguageClientOptions = {
    documentSelector: ["json", "jsonc", "yaml"].flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    initializationOptions,
    outputChannel: output,
  };
  const next = new LanguageClient(SECTION, "apig-lint", serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (error) {
    client = undefined;
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `apig-lint: could not start \`${path} lsp\` (${message}). Install apig-lint or set "apig-lint.path".`,
    );
  }
}

async function stop(): Promise<void> {
  const current = client;
  client = undefined;
  if (current) {
    try {
      await current.stop();
    } catch {
      // A server that never started or already exited has nothing left to stop.
    }
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("apig-lint");
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // `run` and `lang` are initialization options, so they need a restart as `path` does.
      if (
        event.affectsConfiguration(`${SECTION}.path`) ||
        event.affectsConfiguration(`${SECTION}.run`) ||
        event.affectsConfiguration(`${SECTION}.lang`)
      ) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
