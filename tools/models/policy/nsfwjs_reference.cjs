// Reference run of the ORIGINAL NSFWJS MobileNetV2-mid model with TensorFlow.js (CPU backend,
// node), loaded through nsfwjs' own loader (nsfwjs.load("MobileNetV2Mid", {modelDefinitions:
// [MobileNetV2MidModel]}), i.e. the package's JS modules, base64 decoding and tfjs-core's
// uint8 dequantisation).
//
// Input: MANIFEST json {"images":[{"path":..., "width":W, "height":H, "rgb":FILE}]} where
// FILE holds the decoded image as raw uint8 RGB, H*W*3 bytes, row-major (written by
// verify_nsfwjs.py with Pillow). For each image this does exactly what NSFWJS.infer() does
// (dist/cjs/core.js): int32 [H,W,3] tensor -> toFloat() -> div(scalar 255) ->
// tf.image.resizeBilinear([224,224], alignCorners=true) if H or W != 224 -> reshape
// [1,224,224,3] -> model.predict. The preprocessed tensor is written to OUT/<i>.f32
// (float32 little-endian, 224*224*3) so that ONNX Runtime can be fed the very same bytes;
// nsfw.classify() is also run on the same int32 tensor and must agree with predict().
// OUT/reference.json gets the 5 probabilities (class order of nsfw_classes.js), the
// classify() top-5, and the sha256 of every weight tensor as tfjs holds it after loading.
//
// usage: node nsfwjs_reference.cjs MANIFEST OUT_DIR     (run from a directory whose
//        node_modules has nsfwjs 4.4.0, @tensorflow/tfjs 4.22.0 and buffer 6.0.3)
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const [manifestPath, outDir] = process.argv.slice(2);
if (!manifestPath || !outDir) {
  console.error("usage: node nsfwjs_reference.cjs MANIFEST OUT_DIR");
  process.exit(2);
}

const req = (m) => require(require.resolve(m, { paths: [process.cwd()] }));
const tf = req("@tensorflow/tfjs");
const nsfwjs = req("nsfwjs");
const { MobileNetV2MidModel } = req("nsfwjs/models/mobilenet_v2_mid");
// nsfw_classes.js and package.json are not in the package's "exports": load them by path
const nsfwjsDir = path.resolve(path.dirname(require.resolve("nsfwjs", { paths: [process.cwd()] })), "../..");
const { NSFW_CLASSES } = require(path.join(nsfwjsDir, "dist/cjs/nsfw_classes.js"));

async function main() {
  await tf.setBackend("cpu");
  await tf.ready();
  if (tf.getBackend() !== "cpu") throw new Error("backend is " + tf.getBackend());
  const nsfw = await nsfwjs.load("MobileNetV2Mid", { modelDefinitions: [MobileNetV2MidModel] });
  const size = nsfw.options.size;
  if (size !== 224) throw new Error("size " + size);

  const weights = {};
  const wm = nsfw.model.weights;
  for (const name of Object.keys(wm).sort()) {
    const t = wm[name][0];
    const d = t.dataSync();
    weights[name] = {
      dtype: t.dtype,
      shape: t.shape,
      sha256: crypto.createHash("sha256").update(Buffer.from(d.buffer, d.byteOffset, d.byteLength)).digest("hex"),
    };
  }

  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  fs.mkdirSync(outDir, { recursive: true });
  const results = [];
  let predictMs = 0;
  for (let i = 0; i < manifest.images.length; i++) {
    const im = manifest.images[i];
    const raw = fs.readFileSync(im.rgb);
    if (raw.length !== im.width * im.height * 3) throw new Error(im.path + ": bad raw size");
    const img = tf.tensor3d(Int32Array.from(raw), [im.height, im.width, 3], "int32");
    // == NSFWJS.infer(img), split so that the model input can be saved
    const batched = tf.tidy(() => {
      const normalized = img.toFloat().div(nsfw.normalizationOffset);
      let resized = normalized;
      if (img.shape[0] !== size || img.shape[1] !== size) {
        resized = tf.image.resizeBilinear(normalized, [size, size], true);
      }
      return resized.reshape([1, size, size, 3]);
    });
    const inputData = batched.dataSync();
    fs.writeFileSync(path.join(outDir, i + ".f32"),
      Buffer.from(inputData.buffer, inputData.byteOffset, inputData.byteLength));
    const t0 = process.hrtime.bigint();
    const out = nsfw.model.predict(batched);
    const probs = Array.from(out.dataSync());
    predictMs += Number(process.hrtime.bigint() - t0) / 1e6;
    out.dispose();
    batched.dispose();
    const top = await nsfw.classify(img, 5);
    img.dispose();
    for (const { className, probability } of top) {
      const k = Object.keys(NSFW_CLASSES).find((j) => NSFW_CLASSES[j] === className);
      if (Math.fround(probs[k]) !== Math.fround(probability)) {
        throw new Error(im.path + ": classify() and predict() disagree for " + className);
      }
    }
    results.push({ path: im.path, probabilities: probs, classify: top });
  }
  const report = {
    tfjs_versions: {
      "@tensorflow/tfjs": tf.version.tfjs,
      "@tensorflow/tfjs-core": tf.version["tfjs-core"],
      "@tensorflow/tfjs-backend-cpu": tf.version["tfjs-backend-cpu"],
      "@tensorflow/tfjs-converter": tf.version["tfjs-converter"],
      nsfwjs: require(path.join(nsfwjsDir, "package.json")).version,
      node: process.version,
    },
    backend: tf.getBackend(),
    classes: Object.keys(NSFW_CLASSES).sort((a, b) => a - b).map((k) => NSFW_CLASSES[k]),
    predict_ms_per_image: predictMs / manifest.images.length,
    weights,
    results,
  };
  fs.writeFileSync(path.join(outDir, "reference.json"), JSON.stringify(report));
  console.log(JSON.stringify({ images: results.length, predict_ms_per_image: report.predict_ms_per_image }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
