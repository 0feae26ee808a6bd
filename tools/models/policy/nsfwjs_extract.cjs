// Extract the TensorFlow.js graph model of NSFWJS MobileNetV2-mid from the npm package's
// JS modules (dist/models/mobilenet_v2_mid/*.min.js) into a plain tfjs model directory:
//   OUT/model.json, OUT/group1-shard1of2, OUT/group1-shard2of2   (raw weight bytes)
// The modules are browserify UMD bundles: model.min.js exports the model.json object,
// each group1-shardNofM.min.js exports the base64 text of that shard. Nothing is changed:
// model.json is the exported object as JSON, the shards are Buffer.from(base64, "base64"),
// which is what nsfwjs' own JSONHandler does (dist/cjs/core.js).
//
// usage: node nsfwjs_extract.cjs PACKAGE_DIR OUT_DIR
"use strict";
const fs = require("fs");
const path = require("path");

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error("usage: node nsfwjs_extract.cjs PACKAGE_DIR OUT_DIR");
  process.exit(2);
}
const modelDir = path.resolve(pkgDir, "dist/models/mobilenet_v2_mid");
fs.mkdirSync(outDir, { recursive: true });

const modelJson = require(path.join(modelDir, "model.min.js"));
if (modelJson.format !== "graph-model") throw new Error("not a graph model: " + modelJson.format);
fs.writeFileSync(path.join(outDir, "model.json"), JSON.stringify(modelJson));

const report = { model_json_nodes: modelJson.modelTopology.node.length, shards: [] };
for (const group of modelJson.weightsManifest) {
  for (const p of group.paths) {
    const b64 = require(path.join(modelDir, p + ".min.js"));
    if (typeof b64 !== "string") throw new Error(p + ": module does not export a string");
    const bytes = Buffer.from(b64, "base64");
    if (bytes.toString("base64") !== b64) throw new Error(p + ": base64 does not round-trip");
    fs.writeFileSync(path.join(outDir, p), bytes);
    report.shards.push({ path: p, bytes: bytes.length });
  }
}
console.log(JSON.stringify(report));
