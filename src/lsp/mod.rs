//! `apig-lint lsp`: a language server over any [`Connection`] (stdio in the binary, in memory in
//! tests), a thin layer over the library. Open documents are linted with [`crate::lint`] under the
//! configuration [`Settings`] finds for their path, exactly as the CLI would; positions are
//! converted through the line index in the negotiated encoding; hover and completion read the
//! field tables the rules use. Synchronous: one message at a time, in order.
//!
//! Nothing here prints; what the user should see goes to the client (`window/showMessage`,
//! `window/logMessage`).

mod actions;
mod fields;
pub mod position;
pub mod scan;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, InitializeParams, Location, NumberOrString,
    PositionEncodingKind, Uri,
};
use serde_json::{Value as Json, json};

use crate::diagnostic::Diagnostic;
use crate::document::{Document, LineIndex, Syntax};
use crate::engine::Engine;
use crate::fix::{Applicability, FixMode};
use crate::lint::{Options, lint_keeping_documents};
use crate::rules::{Check, Constraint, RuleSet, Severity};
use crate::settings::Settings;
use position::{Encoding, Lines};

/// When documents are linted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// On open, on every change and on save.
    OnType,
    /// On open and on save only.
    OnSave,
}

/// Why the server stopped: the process exit code follows the spec (0 after `shutdown`, 1 without).
#[derive(Debug, PartialEq, Eq)]
pub enum Exit {
    AfterShutdown,
    WithoutShutdown,
}

/// The command the JSON "suppress" action runs: the server shows the `[[suppress]]` entry.
pub const SHOW_SUPPRESS_ENTRY: &str = "apig-lint.showSuppressEntry";

/// Serves one client until `exit` (or until the connection closes).
pub fn run(connection: &Connection) -> Result<Exit, String> {
    let rules = RuleSet::builtin().map_err(|e| e.to_string())?;
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let mut server = Server::new(connection, rules, &params);
    let result = json!({
        "capabilities": server.capabilities(),
        "serverInfo": { "name": "apig-lint", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    server.main_loop()
}

/// An open document.
struct Open {
    uri: Uri,
    path: Option<PathBuf>,
    syntax: Syntax,
    version: i32,
    text: String,
    index: LineIndex,
    /// The findings of the last lint and the version they belong to.
    findings: Option<(i32, Vec<Diagnostic>)>,
    /// The parsed documents of the current text (`None` until needed, or when stale).
    tree: Option<(i32, Vec<Document>)>,
}

struct Server<'c> {
    connection: &'c Connection,
    rules: &'static RuleSet,
    encoding: Encoding,
    run: Run,
    /// The client pulls diagnostics (`textDocument/diagnostic`), so none are pushed.
    pull: bool,
    refresh: bool,
    watch: bool,
    panic_hook: bool,
    docs: HashMap<Uri, Open>,
    settings: Settings<'static>,
    engines: HashMap<Option<usize>, Engine<'static>>,
    shutdown: bool,
    next_id: i32,
    /// The language of messages and hovers: the `lang` initialization option, else the client's
    /// `locale` (any `zh*` is Simplified Chinese), else English.
    lang: crate::Lang,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, rules: &'static RuleSet, params: &InitializeParams) -> Self {
        let caps = &params.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let options = params.initialization_options.as_ref();
        let option = |name: &str| options.and_then(|o| o.get(name).or_else(|| o.get("apig-lint")?.get(name)));
        let run = match option("run").and_then(Json::as_str) {
            Some("onSave") => Run::OnSave,
            _ => Run::OnType,
        };
        let text_document = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        Server {
            connection,
            rules,
            encoding: if utf8 { Encoding::Utf8 } else { Encoding::Utf16 },
            run,
            pull: text_document.is_some_and(|t| t.diagnostic.is_some()),
            refresh: workspace.and_then(|w| w.diagnostic.as_ref()).and_then(|d| d.refresh_support).unwrap_or(false),
            watch: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            panic_hook: option("testPanics").and_then(Json::as_bool).unwrap_or(false),
            docs: HashMap::new(),
            settings: fresh_settings(rules),
            engines: HashMap::new(),
            shutdown: false,
            next_id: 0,
            lang: option("lang")
                .and_then(Json::as_str)
                .and_then(crate::Lang::parse)
                .or_else(|| params.locale.as_deref().map(crate::Lang::from_locale))
                .unwrap_or_default(),
        }
    }

    fn capabilities(&self) -> Json {
        let encoding = match self.encoding {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        };
        let mut caps = json!({
            "positionEncoding": encoding,
            "textDocumentSync": { "openClose": true, "change": 1, "save": { "includeText": false } },
            "hoverProvider": true,
            "completionProvider": { "triggerCharacters": ["\"", ":", " "] },
            "definitionProvider": true,
            "documentSymbolProvider": true,
            "codeActionProvider": {
                "codeActionKinds": ["quickfix", actions::FIX_ALL],
                "resolveProvider": false,
            },
            "executeCommandProvider": { "commands": [SHOW_SUPPRESS_ENTRY] },
        });
        if self.pull {
            caps["diagnosticProvider"] =
                json!({ "identifier": "apig-lint", "interFileDependencies": false, "workspaceDiagnostics": false });
        }
        caps
    }

    fn main_loop(&mut self) -> Result<Exit, String> {
        if self.watch {
            let registration = json!({ "registrations": [{
                "id": "apig-lint-configuration",
                "method": notif::DidChangeWatchedFiles::METHOD,
                "registerOptions": { "watchers": [{ "globPattern": "**/{apig-lint,.apig-lint}.toml" }] },
            }]});
            self.request(req::RegisterCapability::METHOD, registration);
        }
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => self.on_request(request),
                Message::Notification(notification) => {
                    if notification.method == notif::Exit::METHOD {
                        return Ok(if self.shutdown { Exit::AfterShutdown } else { Exit::WithoutShutdown });
                    }
                    self.on_notification(notification);
                }
                // Answers to our own requests (registration, refresh): nothing to do.
                Message::Response(_) => {}
            }
        }
        Ok(if self.shutdown { Exit::AfterShutdown } else { Exit::WithoutShutdown })
    }

    fn send(&self, message: impl Into<Message>) {
        // A closed connection ends the main loop on the next receive.
        let _ = self.connection.sender.send(message.into());
    }

    fn notify(&self, method: &str, params: Json) {
        self.send(Notification::new(method.to_owned(), params));
    }

    fn request(&mut self, method: &str, params: Json) {
        self.next_id += 1;
        let id = RequestId::from(format!("apig-lint-{}", self.next_id));
        self.send(Request::new(id, method.to_owned(), params));
    }

    fn show(&self, kind: lsp_types::MessageType, message: String) {
        self.notify(notif::ShowMessage::METHOD, json!({ "type": kind, "message": message }));
    }

    fn log(&self, message: String) {
        self.notify(notif::LogMessage::METHOD, json!({ "type": lsp_types::MessageType::LOG, "message": message }));
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            let message = "the server is shutting down".to_owned();
            self.send(Response::new_err(id, ErrorCode::InvalidRequest as i32, message));
            return;
        }
        if request.method == req::Shutdown::METHOD {
            self.shutdown = true;
            self.send(Response::new_ok(id, Json::Null));
            return;
        }
        let method = request.method.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.handle(request)));
        let response = match outcome {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err(Failure(code, message))) => Response::new_err(id, code as i32, message),
            Err(panic) => {
                let message = format!("apig-lint failed on `{method}`: {}", panic_text(&panic));
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            }
        };
        self.send(response);
    }

    fn handle(&mut self, request: Request) -> Result<Json, Failure> {
        let params = request.params;
        match request.method.as_str() {
            req::HoverRequest::METHOD => self.hover(parse(params)?),
            req::Completion::METHOD => self.completion(parse(params)?),
            req::GotoDefinition::METHOD => self.definition(parse(params)?),
            req::DocumentSymbolRequest::METHOD => self.symbols(parse(params)?),
            req::CodeActionRequest::METHOD => self.code_actions(parse(params)?),
            req::ExecuteCommand::METHOD => self.execute(parse(params)?),
            req::DocumentDiagnosticRequest::METHOD => self.pull_diagnostics(parse(params)?),
            "apig-lint/panic" if self.panic_hook => panic!("a panic asked for by the client"),
            other => Err(Failure(ErrorCode::MethodNotFound, format!("unknown method `{other}`"))),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        let method = notification.method.clone();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.notified(notification)));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(Failure(_, message))) => self.log(format!("apig-lint: `{method}`: {message}")),
            Err(panic) => self.log(format!("apig-lint failed on `{method}`: {}", panic_text(&panic))),
        }
    }

    fn notified(&mut self, notification: Notification) -> Result<(), Failure> {
        let params = notification.params;
        match notification.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = parse(params)?;
                let item = p.text_document;
                let path = file_path(&item.uri);
                let syntax = match item.language_id.as_str() {
                    "json" | "jsonc" => Syntax::Json,
                    "yaml" => Syntax::Yaml,
                    _ => Syntax::from_path(path.as_ref().map_or(item.uri.as_str(), |p| p.to_str().unwrap_or(""))),
                };
                let index = LineIndex::new(&item.text);
                let open = Open {
                    uri: item.uri.clone(),
                    path,
                    syntax,
                    version: item.version,
                    text: item.text,
                    index,
                    findings: None,
                    tree: None,
                };
                self.docs.insert(item.uri.clone(), open);
                self.lint_and_publish(&item.uri);
            }
            notif::DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = parse(params)?;
                let uri = p.text_document.uri;
                let doc = self.docs.get_mut(&uri).ok_or_else(|| not_open(&uri))?;
                // Full sync: the last change holds the whole text (a range, if a client sends one
                // anyway, is applied).
                for change in p.content_changes {
                    match change.range {
                        None => doc.text = change.text,
                        Some(range) => {
                            let lines = Lines { text: &doc.text, index: &doc.index, encoding: self.encoding };
                            let (start, end) = (lines.offset(range.start), lines.offset(range.end));
                            doc.text.replace_range(start..end.max(start), &change.text);
                        }
                    }
                    doc.index = LineIndex::new(&doc.text);
                }
                doc.version = p.text_document.version;
                doc.tree = None;
                if self.run == Run::OnType {
                    self.lint_and_publish(&uri);
                }
            }
            notif::DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = parse(params)?;
                let uri = p.text_document.uri;
                let doc = self.docs.get_mut(&uri).ok_or_else(|| not_open(&uri))?;
                if let Some(text) = p.text {
                    doc.index = LineIndex::new(&text);
                    doc.text = text;
                    doc.tree = None;
                }
                doc.findings = None;
                self.lint_and_publish(&uri);
            }
            notif::DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = parse(params)?;
                if self.docs.remove(&p.text_document.uri).is_some() && !self.pull {
                    self.notify(
                        notif::PublishDiagnostics::METHOD,
                        json!({ "uri": p.text_document.uri, "diagnostics": [] }),
                    );
                }
            }
            notif::DidChangeWatchedFiles::METHOD | notif::DidChangeConfiguration::METHOD => {
                // A configuration file changed (or the client says settings did): find every
                // document's configuration again and re-lint the open documents.
                self.settings = fresh_settings(self.rules);
                self.engines.clear();
                let uris: Vec<Uri> = self.docs.keys().cloned().collect();
                for uri in &uris {
                    if let Some(doc) = self.docs.get_mut(uri) {
                        doc.findings = None;
                    }
                    self.lint_and_publish(uri);
                }
                if self.pull && self.refresh {
                    self.request(req::WorkspaceDiagnosticRefresh::METHOD, Json::Null);
                }
            }
            "initialized" | "$/cancelRequest" | "$/setTrace" => {}
            other if other.starts_with("$/") => {}
            other => return Err(Failure(ErrorCode::MethodNotFound, format!("unknown notification `{other}`"))),
        }
        Ok(())
    }

    /// Lints a document at its current version unless already done, and pushes the result when
    /// the client does not pull.
    fn lint_and_publish(&mut self, uri: &Uri) {
        if self.lint(uri).is_none() || self.pull {
            return;
        }
        let Some(doc) = self.docs.get(uri) else { return };
        let diagnostics = self.to_lsp(doc);
        let params = json!({ "uri": uri, "version": doc.version, "diagnostics": diagnostics });
        self.notify(notif::PublishDiagnostics::METHOD, params);
    }

    /// What the configuration says about a document: its configuration (if any), whether it is
    /// checked at all, and how (as the CLI's hook decides).
    fn plan(&mut self, uri: &Uri) -> Option<Plan> {
        let doc = self.docs.get(uri)?;
        let place = match &doc.path {
            None => None,
            Some(path) => match self.settings.place(path, false, false) {
                Ok(place) => Some(place),
                Err(message) => {
                    self.show(lsp_types::MessageType::ERROR, format!("apig-lint: {message}"));
                    None
                }
            },
        };
        let (config, selected, included) =
            place.as_ref().map_or((None, true, false), |p| (p.config, p.selected, p.included));
        let policy = place.as_ref().and_then(|p| self.settings.policy(p.config, p.relative.as_deref()));
        let rules = self.rules;
        if !self.engines.contains_key(&config) {
            let levels = config.map(|c| self.settings.found[c].config.engine_levels()).unwrap_or_default();
            self.engines.insert(config, Engine::new(rules).with_lang(self.lang).with_levels(&levels));
        }
        Some(Plan { config, selected, included, policy })
    }

    /// The findings for the current text (linting it if needed).
    fn lint(&mut self, uri: &Uri) -> Option<()> {
        let doc = self.docs.get(uri)?;
        if doc.findings.as_ref().is_some_and(|(v, _)| *v == doc.version) {
            return Some(());
        }
        let plan = self.plan(uri)?;
        let engine = self.engines.get(&plan.config)?;
        let doc = self.docs.get_mut(uri)?;
        let version = doc.version;
        if !plan.selected {
            // Excluded, or outside `include`: as the CLI's hook, never checked.
            doc.findings = Some((version, Vec::new()));
            return Some(());
        }
        let options = plan.options(doc.syntax);
        let (report, documents) = lint_keeping_documents(engine, doc.name(), doc.text.as_bytes(), &options);
        let findings = if report.skipped { Vec::new() } else { report.diagnostics };
        doc.findings = Some((version, findings));
        doc.tree = Some((version, documents));
        Some(())
    }

    /// The text with every safe fix applied (the library's applier, to its fixpoint), if any.
    fn fix_all(&mut self, uri: &Uri) -> Option<String> {
        let plan = self.plan(uri)?;
        let engine = self.engines.get(&plan.config)?;
        let doc = self.docs.get(uri)?;
        if !plan.selected {
            return None;
        }
        let options = plan.options(doc.syntax);
        let fixed = crate::fix::fix_bytes(engine, &doc.name(), doc.text.as_bytes(), &options, FixMode::default());
        (fixed.changed && !fixed.report.skipped).then_some(fixed.text)
    }

    fn to_lsp(&self, doc: &Open) -> Vec<lsp_types::Diagnostic> {
        let Some((_, findings)) = &doc.findings else { return Vec::new() };
        let lines = Lines { text: &doc.text, index: &doc.index, encoding: self.encoding };
        findings.iter().map(|d| self.diagnostic(doc, &lines, d)).collect()
    }

    fn diagnostic(&self, doc: &Open, lines: &Lines, d: &Diagnostic) -> lsp_types::Diagnostic {
        let rule = &self.rules.rules[d.rule];
        let severity = match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        };
        let mut tags = Vec::new();
        if rule.deprecated {
            tags.push(DiagnosticTag::DEPRECATED);
        }
        if matches!(rule.check, Check::Ignored { .. } | Check::Schema { constraint: Constraint::UnknownKey }) {
            tags.push(DiagnosticTag::UNNECESSARY);
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location { uri: doc.uri.clone(), range: lines.range(r.span) },
                message: r.message.clone(),
            })
            .collect();
        let message = if d.help.is_empty() { d.message.clone() } else { format!("{}\n{}", d.message, d.help) };
        lsp_types::Diagnostic {
            range: lines.range(d.span),
            severity: Some(severity),
            code: Some(NumberOrString::String(rule.id.to_string())),
            code_description: None,
            source: Some("apig-lint".to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: (!tags.is_empty()).then_some(tags),
            data: Some(actions::data(self.rules, d)),
        }
    }

    fn doc(&self, uri: &Uri) -> Result<&Open, Failure> {
        self.docs.get(uri).ok_or_else(|| not_open(uri))
    }

    /// The parsed documents of the current text: those of the last lint when it is current, else
    /// parsed now.
    fn tree(&mut self, uri: &Uri) -> Result<&Open, Failure> {
        let doc = self.docs.get_mut(uri).ok_or_else(|| not_open(uri))?;
        if doc.tree.as_ref().is_none_or(|(v, _)| *v != doc.version) {
            let loaded = crate::document::load(doc.text.as_bytes(), doc.syntax, crate::document::Limits::default());
            doc.tree = Some((doc.version, loaded.documents));
        }
        self.doc(uri)
    }

    fn pull_diagnostics(&mut self, p: lsp_types::DocumentDiagnosticParams) -> Result<Json, Failure> {
        let uri = p.text_document.uri;
        self.doc(&uri)?;
        self.lint(&uri);
        let doc = self.doc(&uri)?;
        let items = self.to_lsp(doc);
        Ok(json!({ "kind": "full", "resultId": doc.version.to_string(), "items": items }))
    }

    fn hover(&mut self, p: lsp_types::HoverParams) -> Result<Json, Failure> {
        let uri = p.text_document_position_params.text_document.uri;
        let position = p.text_document_position_params.position;
        self.lint(&uri);
        let rules = self.rules;
        let encoding = self.encoding;
        let lang = self.lang;
        let doc = self.tree(&uri)?;
        let lines = Lines { text: &doc.text, index: &doc.index, encoding };
        let offset = lines.offset(position);
        let mut sections = Vec::new();
        let mut range = None;
        // Findings under the cursor: the rule's explanation.
        if let Some((_, findings)) = &doc.findings {
            for d in findings.iter().filter(|d| d.span.start <= offset && offset <= d.span.end) {
                let rule = &rules.rules[d.rule];
                let mut text = format!("**{} `{}`** ({}): {}", rule.id, rule.name, d.severity, d.message);
                if !d.help.is_empty() {
                    text.push_str(&format!("\n\n{}", d.help));
                }
                text.push_str(&format!("\n\n{}", explanation(rules, d.rule, lang)));
                sections.push(text);
                range.get_or_insert(lines.range(d.span));
            }
        }
        let place = doc.tree.as_ref().and_then(|(_, docs)| {
            let doc = docs.iter().rev().find(|d| d.root().is_some_and(|r| d.node(r).span.start <= offset))?;
            Some((doc, fields::locate(doc, offset)?))
        });
        match place {
            Some((_, fields::Place::Key(path, span))) => {
                if let (Some(field), Some(object)) =
                    (fields::field_at(rules, &path), fields::object_at(rules, &path[..path.len() - 1]))
                {
                    sections.insert(0, fields::describe(rules, object, field, lang));
                    range = Some(lines.range(span));
                }
            }
            Some((tree, fields::Place::Value(path, node))) => {
                if let (Some(field), Some(object)) = (
                    fields::field_at(rules, &path),
                    fields::object_at(rules, path.split_last().map_or(&[][..], |(_, p)| p)),
                ) {
                    let value = &tree.node(node).value;
                    let chosen =
                        field.allowed.iter().flat_map(|a| a.iter()).find(|l| l.matches(value, field.ignore_case));
                    if let Some(literal) = chosen {
                        let meaning = fields::meaning(field, literal).unwrap_or_else(|| format!("{literal}"));
                        sections.insert(
                            0,
                            format!("`{}`: {meaning}\n\n{}", field.name, fields::describe(rules, object, field, lang)),
                        );
                        range = Some(lines.range(tree.node(node).span));
                    }
                }
            }
            None => {}
        }
        if sections.is_empty() {
            return Ok(Json::Null);
        }
        Ok(json!({
            "contents": { "kind": "markdown", "value": sections.join("\n\n---\n\n") },
            "range": range,
        }))
    }

    fn completion(&mut self, p: lsp_types::CompletionParams) -> Result<Json, Failure> {
        let uri = p.text_document_position.text_document.uri;
        let lang = self.lang;
        let doc = self.doc(&uri)?;
        let lines = Lines { text: &doc.text, index: &doc.index, encoding: self.encoding };
        let offset = lines.offset(p.text_document_position.position);
        let context = match doc.syntax {
            Syntax::Json => scan::json(&doc.text, offset),
            Syntax::Yaml => scan::yaml(&doc.text, offset),
        };
        let items = context.map(|c| fields::completions(self.rules, lang, &c, doc.syntax, &lines)).unwrap_or_default();
        Ok(json!({ "isIncomplete": false, "items": items }))
    }

    fn definition(&mut self, p: lsp_types::GotoDefinitionParams) -> Result<Json, Failure> {
        let uri = p.text_document_position_params.text_document.uri;
        let encoding = self.encoding;
        let doc = self.tree(&uri)?;
        let lines = Lines { text: &doc.text, index: &doc.index, encoding };
        let offset = lines.offset(p.text_document_position_params.position);
        let Some((_, trees)) = &doc.tree else { return Ok(Json::Null) };
        for tree in trees {
            if let Some(fields::Place::Value(path, node)) = fields::locate(tree, offset)
                && path.last().is_some_and(|n| n == "member_group_name")
                && path.first().is_some_and(|n| n == "members")
                && let crate::document::Value::Str(name) = &tree.node(node).value
                && let Some(span) = fields::group_definition(tree, name)
            {
                return Ok(json!(Location { uri: uri.clone(), range: lines.range(span) }));
            }
        }
        Ok(Json::Null)
    }

    fn symbols(&mut self, p: lsp_types::DocumentSymbolParams) -> Result<Json, Failure> {
        let encoding = self.encoding;
        let doc = self.tree(&p.text_document.uri)?;
        let lines = Lines { text: &doc.text, index: &doc.index, encoding };
        let symbols: Vec<_> =
            doc.tree.iter().flat_map(|(_, trees)| trees.iter().flat_map(|t| fields::symbols(t, &lines))).collect();
        Ok(json!(symbols))
    }

    fn code_actions(&mut self, p: lsp_types::CodeActionParams) -> Result<Json, Failure> {
        let uri = p.text_document.uri;
        self.doc(&uri)?;
        self.lint(&uri);
        let suppress_path = self.suppress_path(&uri);
        let doc = self.doc(&uri)?;
        let lines = Lines { text: &doc.text, index: &doc.index, encoding: self.encoding };
        let context = actions::Context { rules: self.rules, uri: &uri, lines: &lines, syntax: doc.syntax };
        let findings = doc.findings.as_ref().map_or(&[][..], |(_, f)| f.as_slice());
        let range = (lines.offset(p.range.start), lines.offset(p.range.end));
        let only = p.context.only.as_deref();
        let mut out = actions::actions(&context, findings, range, only, &suppress_path);
        if actions::wants(only, &lsp_types::CodeActionKind::from(actions::FIX_ALL))
            && findings.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe))
            && let Some(fixed) = self.fix_all(&uri)
            && let Ok(doc) = self.doc(&uri)
        {
            let lines = Lines { text: &doc.text, index: &doc.index, encoding: self.encoding };
            out.push(actions::fix_all(&uri, &lines, fixed));
        }
        Ok(json!(out))
    }

    /// How a `[[suppress]]` entry names this document: relative to its configuration's
    /// directory, else by file name.
    fn suppress_path(&mut self, uri: &Uri) -> String {
        let Some(path) = self.docs.get(uri).and_then(|d| d.path.clone()) else { return uri.as_str().to_owned() };
        match self.settings.for_path(&path) {
            Ok(Some(c)) => self.settings.relative(c, &path),
            _ => path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        }
    }

    fn execute(&mut self, p: lsp_types::ExecuteCommandParams) -> Result<Json, Failure> {
        if p.command != SHOW_SUPPRESS_ENTRY {
            return Err(Failure(ErrorCode::InvalidParams, format!("unknown command `{}`", p.command)));
        }
        let entry = p.arguments.first().and_then(Json::as_str).unwrap_or_default();
        let message = format!(
            "JSON has no comments: to suppress this finding, add this entry to apig-lint.toml and give the reason:\n\n{entry}"
        );
        self.show(lsp_types::MessageType::INFO, message);
        Ok(Json::Null)
    }
}

/// How one document is linted.
struct Plan {
    config: Option<usize>,
    selected: bool,
    included: bool,
    policy: Option<crate::lint::FilePolicy>,
}

impl Plan {
    fn options(&self, syntax: Syntax) -> Options<'_> {
        Options {
            skip_foreign: !self.included,
            policy: self.policy.as_ref(),
            syntax: Some(syntax),
            // The editor shows no fingerprints and writes no baselines.
            skip_value_hash: true,
            ..Options::default()
        }
    }
}

impl Open {
    /// The name findings are reported under: the path, or the URI of an unsaved document.
    fn name(&self) -> String {
        self.path.as_ref().map_or_else(|| self.uri.as_str().to_owned(), |p| p.display().to_string())
    }
}

/// A request that could not be answered, with the JSON-RPC error code to answer with.
struct Failure(ErrorCode, String);

fn parse<T: serde::de::DeserializeOwned>(params: Json) -> Result<T, Failure> {
    serde_json::from_value(params).map_err(|e| Failure(ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn not_open(uri: &Uri) -> Failure {
    Failure(ErrorCode::InvalidParams, format!("{} is not open", uri.as_str()))
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

fn fresh_settings(rules: &'static RuleSet) -> Settings<'static> {
    Settings::discover(rules)
}

/// The rule's documentation without its examples, for hovers.
fn explanation(rules: &RuleSet, rule: usize, lang: crate::Lang) -> String {
    let full = crate::rules::docs::explain(rules, rule, lang);
    let examples =
        [lang.pick("\n## Invalid example", "\n## 错误示例"), lang.pick("\n## Valid example", "\n## 正确示例")];
    let end = examples.iter().filter_map(|heading| full.find(heading)).min().unwrap_or(full.len());
    full[..end].replacen("# ", "### ", 1).replace("\n## ", "\n#### ")
}

/// The file a `file:` URI names (percent-decoded), if it is one.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///path` or `file://localhost/path`.
    let path = &rest[rest.find('/')?..];
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.into_owned()))
}
