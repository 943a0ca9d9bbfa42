'use strict';
// The VS Code client of `somon lsp`. Plain CommonJS: no build step.

const vscode = require('vscode');
const { LanguageClient, RevealOutputChannelOn } = require('vscode-languageclient/node');
const { serverCandidates, initializationOptions } = require('./server');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;
let warnedMissing = false;

function settings() {
  const config = vscode.workspace.getConfiguration('somon');
  return {
    serverPath: config.get('server.path', ''),
    language: config.get('diagnostics.language', 'auto'),
  };
}

function workspaceFolderPaths() {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => folder.uri.fsPath);
}

/** A client for one server candidate (not started). */
function createClient(server, language) {
  const run = {
    command: server.command,
    args: server.args,
    options: {
      env: { ...process.env, ...server.env },
      shell: server.shell,
      cwd: workspaceFolderPaths()[0],
    },
  };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'somon' },
      { scheme: 'untitled', language: 'somon' },
    ],
    synchronize: {
      configurationSection: 'somon',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.som,somon.config.json,package.json}'),
    },
    initializationOptions: initializationOptions(language),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  // The id `somon` makes the client read `somon.trace.server` itself.
  return new LanguageClient('somon', 'SomonScript', { run, debug: run }, clientOptions);
}

async function start(context) {
  const { serverPath, language } = settings();
  const { found, tried } = serverCandidates({
    workspaceFolders: workspaceFolderPaths(),
    configuredPath: serverPath,
    extensionPath: context.extensionPath,
    execPath: process.execPath,
  });
  if (found.length === 0) {
    output.appendLine(`SomonScript language server not found; looked in:\n  ${tried.join('\n  ')}`);
    if (!warnedMissing) {
      warnedMissing = true;
      vscode.window.showWarningMessage(
        vscode.l10n.t(
          'SomonScript: the language server (`somon lsp`) was not found. Install `somonscript` in the project (`npm install --save-dev somonscript`) or set `somon.server.path`. Highlighting and snippets still work.',
        ),
      );
    }
    return;
  }
  // The first that starts wins; one that does not (an older `somonscript`
  // without `somon lsp`) gives way to the next.
  for (const server of found) {
    output.appendLine(`Starting ${server.command} ${server.args.join(' ')} (${server.source}: ${server.path})`);
    const candidate = createClient(server, language);
    try {
      await candidate.start();
      client = candidate;
      return;
    } catch (error) {
      output.appendLine(`It did not start: ${error instanceof Error ? error.message : String(error)}`);
      try {
        await candidate.stop();
      } catch {
        // Never started.
      }
    }
  }
  vscode.window.showErrorMessage(
    vscode.l10n.t(
      'SomonScript: no language server started (tried {0}). See the "SomonScript" output.',
      found.map((s) => s.path).join(', '),
    ),
  );
}

async function stop() {
  const current = client;
  client = undefined;
  if (current) {
    try {
      await current.stop();
    } catch {
      // Already stopped (it crashed, or never started).
    }
  }
}

async function restart(context) {
  await stop();
  await start(context);
}

async function activate(context) {
  output = vscode.window.createOutputChannel('SomonScript');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('somon.restartServer', () => restart(context)),
    vscode.commands.registerCommand('somon.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('somon.server.path') || event.affectsConfiguration('somon.diagnostics.language')) {
        return restart(context);
      }
      return undefined;
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => restart(context)),
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
