// Minimal Node-RED settings for bench/ingest: local only (port from NR_PORT), no telemetry,
// no installs. The flows file is flow.template.json with ports and database filled in,
// written by run.mjs into the temp --userDir of each run (absolute path in NR_FLOW_FILE).
module.exports = {
  uiHost: '127.0.0.1', uiPort: Number(process.env.NR_PORT || 18880),
  flowFile: process.env.NR_FLOW_FILE || 'flows.json', credentialSecret: false,
  logging: { console: { level: 'warn', metrics: false, audit: false } },
  telemetry: { enabled: false }, diagnostics: { enabled: false },
  editorTheme: { projects: { enabled: false }, tours: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
};
